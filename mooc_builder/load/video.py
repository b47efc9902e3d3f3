"""A sequence's videos (local files with their captions and transcript, or links to another site) and its
documents."""

from __future__ import annotations

import datetime as dt
import re

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import say
from mooc_builder.load.keys import (
    Choice,
    Duration,
    File,
    Integer,
    Key,
    Kind,
    Reader,
    SwitchOr,
    Table,
    Text,
    Url,
    Values,
)
from mooc_builder.load.rights import NO_RIGHTS, RIGHTS, Inherited
from mooc_builder.load.tracks import Chapters, Descriptions, by_language, webvtt_text
from mooc_builder.load.tree import read_text, show
from mooc_builder.load.yamlsrc import MappingNode, Node
from mooc_builder.markdown.processor import Place
from mooc_builder.media.videos import Probe, Unreadable, probe
from mooc_builder.model import Caption, LightVideos, MediaFile, Resource, Video, limits
from mooc_builder.model.limits import MAX_TEXT_BYTES

VIDEO_FILES = frozenset({"mp4", "webm", "ogv", "m4v", "mov"})
IMAGES = frozenset({"jpg", "jpeg", "png", "gif", "webp", "svg", "avif"})


class Captions(Kind[tuple[Caption, ...]]):
    """``{fr: media/video.fr.vtt, en: ...}``: a WebVTT file per language."""

    label = say("a mapping from a language code to a WebVTT file: {example}",
                example="{fr: ../media/video.fr.vtt}")

    def read(self, node: Node, reader: Reader) -> tuple[Caption, ...] | None:
        ctx = reader.ctx
        if not isinstance(node, MappingNode):
            ctx.error(node, say("captions should be a mapping from a language to a WebVTT file"),
                      say("write captions: {example}", example="{fr: media/video.fr.vtt}"))
            return None
        return by_language(node, reader, say("WebVTT caption file"),
                           lambda file, value: webvtt_text(file, value, reader) is not None)


SRC = Key("src", File(say("video file"), VIDEO_FILES), say("a local video file, copied into the site and its bundles"))
URL = Key("url", Url(), say("or a video on another site (PeerTube, YouTube...): shown as a link, nothing loaded"))
POSTER = Key("poster", File(say("poster image"), IMAGES), say("the picture shown before the video plays"))
CAPTIONS = Key("captions", Captions(), say("its captions, one WebVTT file per language (the first is shown)"))
TRANSCRIPT = Key("transcript", File(say("Markdown transcript"), frozenset({"md", "txt"})),
                 say("its transcript in Markdown, shown under the video"))
VIDEO_DURATION = Key("duration", Duration(), say("its length (quote it when written with ':', \"3:30\")"))
VIDEO_TITLE = Key("title", Text(), say("its title"), shown_default=say("the file name, or the address"))
CHAPTERS = Key("chapters", Chapters(), say("its chapters, a WebVTT file: listed under the player, steps in the "
                                          "projector view"))
DESCRIPTIONS = Key("descriptions", Descriptions(),
                   say("its audio description: WebVTT read aloud on demand (one file per language), or an audio "
                       "file that replaces its sound when the learner turns audio description on"))
VIDEO = Table(say("a video"), (SRC, URL, POSTER, CAPTIONS, TRANSCRIPT, CHAPTERS, DESCRIPTIONS, VIDEO_DURATION,
                               VIDEO_TITLE, *RIGHTS))

LIGHT_HEIGHT = Key("height", Integer(limits.MIN_LIGHT_HEIGHT, limits.MAX_LIGHT_HEIGHT),
                   say("the height of its picture in pixels (its width follows)"), default=360)
LIGHT_VIDEO_RATE = Key("video_bitrate", Integer(limits.MIN_VIDEO_KBPS, limits.MAX_VIDEO_KBPS),
                       say("the picture's bit rate in kbit/s"), default=400)
LIGHT_AUDIO_RATE = Key("audio_bitrate", Integer(limits.MIN_AUDIO_KBPS, limits.MAX_AUDIO_KBPS),
                       say("the sound's bit rate in kbit/s"), default=64)
LIGHT_BUNDLES = Key("bundles", Choice(("both", "light", "original")),
                    say("what the download bundles hold: both versions, the light one only, or the original only"),
                    default="both")
LIGHT_TABLE = Table("light_videos", (LIGHT_HEIGHT, LIGHT_VIDEO_RATE, LIGHT_AUDIO_RATE, LIGHT_BUNDLES))
LIGHT_VIDEOS = Key("light_videos", SwitchOr(LIGHT_TABLE),
                   say("a light version of each local video, made at build time for old phones and slow links "
                       "(H.264 + AAC in MP4): false for none, or its settings"),
                   shown_default=say("360 pixels high, 400 + 64 kbit/s, both versions in bundles"))


DEFAULT_LIGHT = LightVideos()


def read_light(value: bool | Values | None, inherited: LightVideos | None) -> LightVideos | None:
    """The light variants' settings a course.yml or site.yml asks for (``inherited`` when it says nothing)."""
    if value is None:
        return inherited
    if value is True:
        return DEFAULT_LIGHT
    if value is False:
        return None
    return LightVideos(value.given(LIGHT_HEIGHT), value.given(LIGHT_VIDEO_RATE), value.given(LIGHT_AUDIO_RATE),
                       value.given(LIGHT_BUNDLES))


RESOURCE_SRC = Key("src", File(say("file")), say("the document, copied into the site and its bundles"),
                   required="src: media/fiche.pdf", missing="the resource file (src)")
RESOURCE_TITLE = Key("title", Text(), say("what the link says"), shown_default=say("the file name"))
RESOURCE = Table(say("a resource"), (RESOURCE_SRC, RESOURCE_TITLE, *RIGHTS))


def read_video(values: Values, parent: Inherited) -> Video | None:
    ctx = values.ctx
    inherited = parent.child(values)
    local, external = values.node_of(SRC), values.node_of(URL)
    if (local is None) == (external is None):
        assert values.node is not None
        ctx.error(values.node, say("a video needs either src: (a local file) or url: (an external page), not both")
                  if local is not None else
                  say("a video needs either src: (a local file) or url: (an external page), not neither"),
                  say("write src: media/video.mp4 or url: https://..."))
        return None
    title = values[VIDEO_TITLE] or ""
    duration = values[VIDEO_DURATION]
    rights = inherited.rights() or NO_RIGHTS
    if external is not None:
        url = values[URL]
        if url is None:
            return None
        for key in (POSTER, CAPTIONS, TRANSCRIPT, CHAPTERS, DESCRIPTIONS):
            if values.written(key):
                ctx.warn(values.key_nodes[key.name], say("{key} is ignored for an external video", key=key.name),
                         say("remove it, or use a local src:"))
        return Video(title or url, rights, url=url, duration=duration)
    src = values[SRC]
    captions = values[CAPTIONS]
    if values.node_of(CAPTIONS) is None and src is not None:
        ctx.warn(values.at(SRC), say("this video has no captions"),
                 say("add captions: {example}", example="{fr: media/video.fr.vtt}"))
    transcript = values[TRANSCRIPT]
    transcript_html = ""
    if transcript is not None:
        body = read_text(transcript.source, values.reader.state.report, values.reader.state.real_root)
        if body is not None:
            place = Place(show(transcript.source), 0, transcript.source.parent)
            transcript_html = values.reader.state.md.render(body, place, values.reader.state.report).html
    if src is None:
        return None
    probed = _probe(src, values.at(SRC), values.reader)
    file_duration = None
    frame_size = (probed.width, probed.height) if probed is not None else None
    if probed is not None and probed.seconds is not None:
        file_duration = dt.timedelta(seconds=round(probed.seconds))
        if duration is not None and _far(duration, probed.seconds):
            ctx.warn(values.at(VIDEO_DURATION),
                     say("this video lasts {length} (read from '{name}'), not {written}: is it the right file?",
                         length=clock(file_duration), name=src.name, written=clock(duration)),
                     say("write duration: \"{length}\", or remove it: the file's length is then shown",
                         length=clock(file_duration)))
        for caption in captions or ():
            _cues_within(caption, probed.seconds, values.reader)
    chapters, described = values[CHAPTERS], values[DESCRIPTIONS]
    return Video(title or src.name, rights, src=src, poster=values[POSTER], captions=captions or (),
                 transcript=transcript, transcript_html=transcript_html,
                 duration=duration if duration is not None else file_duration, file_duration=file_duration,
                 frame_size=frame_size, playable=probed.playable if probed is not None else True,
                 chapters=chapters[0] if chapters else None,
                 chapter_cues=chapters[1] if chapters else (), descriptions=described.texts if described else (),
                 described_audio=described.audio if described else None)


def read_resource(values: Values, parent: Inherited) -> Resource | None:
    inherited = parent.child(values)
    media = values[RESOURCE_SRC]
    if media is None:
        return None
    return Resource(values[RESOURCE_TITLE] or media.name, media, inherited.rights() or NO_RIGHTS)


# What a video file starts with: an MP4 (and M4V) its 'ftyp' box after the box's size, a WebM its EBML header.
_SIGNATURES = {"mp4": (4, b"ftyp", "MP4"), "m4v": (4, b"ftyp", "MP4"), "webm": (0, b"\x1a\x45\xdf\xa3", "WebM")}


def _probe(src: MediaFile, node: Node, reader: Reader) -> Probe | None:
    """The video's length and picture size, once one of its pictures is decoded: a file that cannot be (empty,
    a renamed page, a download cut short, a codec FFmpeg does not know) is an error now, not a black player
    or a failed light variant later."""
    try:
        if not src.source.is_file():  # a pipe or a device would block the read: the copy refuses them
            return None
        with src.source.open("rb") as file:
            start = file.read(8)
    except OSError:
        return None  # the copy will say what is wrong with it
    if not start:
        reader.ctx.error(node, say("'{name}' is empty (0 bytes): the player would show nothing", name=src.name),
                         say("copy the video file again, or check that it is the right file"))
        return None
    signature = _SIGNATURES.get(src.source.suffix.lower().lstrip("."))
    if signature is not None:
        offset, magic, kind = signature
        if start[offset: offset + len(magic)] != magic:
            reader.ctx.error(node, say("'{name}' is not an MP4 video (its first bytes are not those of one): the "
                                       "player would show nothing", name=src.name) if kind == "MP4" else
                             say("'{name}' is not a WebM video (its first bytes are not those of one): the player "
                                 "would show nothing", name=src.name),
                             say("export the video again as MP4 (H.264) or WebM, or check that it is the right "
                                 "file"))
            return None
    try:
        return probe(src.source)
    except Unreadable as exc:
        reader.ctx.error(node, say("'{name}' cannot be read as a video ({problem}): the player would show nothing",
                                   name=src.name, problem=str(exc)),
                         say("export the video again as MP4 (H.264 and AAC), or check that it is the right file "
                             "and that it was copied whole"))
        return None


def _far(written: dt.timedelta, seconds: float) -> bool:
    """Whether an author's duration is far from the file's: more than a tenth and more than ten seconds
    apart (a rounded "4:30" for 4:27 is not)."""
    gap = abs(written.total_seconds() - seconds)
    return gap > 10 and gap > seconds / 10


def clock(length: dt.timedelta) -> str:
    """A length as an author writes it: 4:05, or 1:02:03."""
    seconds = round(length.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


_CUE = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->")


def _cues_within(caption: Caption, seconds: float, reader: Reader) -> None:
    """Warn of the first caption cue that starts after the video's end, at its line: it would never show (the
    captions of another video, or of a longer cut)."""
    try:
        text = caption.file.source.read_bytes()[:MAX_TEXT_BYTES].decode("utf-8-sig", "replace")
    except OSError:
        return
    for number, line in enumerate(text.splitlines(), 1):
        found = _CUE.match(line)
        if found is None:
            continue
        start = _stamp(found.group(1))
        if start > seconds + 0.5:
            reader.state.report.warn(
                Pos(show(caption.file.source), number, found.start(1) + 1),
                say("this caption starts at {start}, after the end of the video ({length}): it is never shown",
                    start=clock(dt.timedelta(seconds=start)), length=clock(dt.timedelta(seconds=seconds))),
                say("check that these are the captions of this video, and their timing"))
            return


def _stamp(text: str) -> float:
    total = 0.0
    for part in text.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return total
