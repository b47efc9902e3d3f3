"""A sequence's videos (local files with their captions and transcript, or links to another site) and its
documents."""

from __future__ import annotations

from mooc_builder.lang.text import say
from mooc_builder.load import values as v
from mooc_builder.load.keys import Duration, File, Key, Kind, Reader, Table, Text, Url, Values
from mooc_builder.load.rights import NO_RIGHTS, RIGHTS, Inherited
from mooc_builder.load.tracks import Chapters, Descriptions, webvtt_text
from mooc_builder.load.tree import read_text, show
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode
from mooc_builder.markdown.processor import Place
from mooc_builder.model import Caption, MediaFile, Resource, Video

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
        captions = []
        seen: set[str] = set()
        for key_node, value in node.value:
            language = key_node.value if isinstance(key_node, ScalarNode) else ""
            if language in seen:
                continue  # written twice: yamlsrc reported it
            seen.add(language)
            if not (v.is_id(language) and 2 <= len(language) <= 3):
                ctx.error(key_node, say("'{value}' is not a language code", value=language),
                          say("write e.g. fr: media/x.fr.vtt"))
                continue
            caption = reader.state.media(v.as_text(value, ctx) or "", value, ctx, reader.base, frozenset({"vtt"}),
                                         say("WebVTT caption file"))
            if caption is None:
                continue
            if webvtt_text(caption, value, reader) is not None:
                captions.append(Caption(language, caption))
        return tuple(captions)


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
    _looks_like_a_video(src, values.at(SRC), values.reader)
    chapters, described = values[CHAPTERS], values[DESCRIPTIONS]
    return Video(title or src.name, rights, src=src, poster=values[POSTER], captions=captions or (),
                 transcript=transcript, transcript_html=transcript_html, duration=duration,
                 chapters=chapters[0] if chapters else None, chapter_cues=chapters[1] if chapters else (),
                 descriptions=described.texts if described else (),
                 described_audio=described.audio if described else None)


def read_resource(values: Values, parent: Inherited) -> Resource | None:
    inherited = parent.child(values)
    media = values[RESOURCE_SRC]
    if media is None:
        return None
    return Resource(values[RESOURCE_TITLE] or media.name, media, inherited.rights() or NO_RIGHTS)


# What a video file starts with: an MP4 (and M4V) its 'ftyp' box after the box's size, a WebM its EBML header.
_SIGNATURES = {"mp4": (4, b"ftyp", "MP4"), "m4v": (4, b"ftyp", "MP4"), "webm": (0, b"\x1a\x45\xdf\xa3", "WebM")}


def _looks_like_a_video(src: MediaFile, node: Node, reader: Reader) -> None:
    """Warn of an empty video file, or of an .mp4/.webm that is no such video (a renamed page, a download cut
    short): the player would show nothing."""
    try:
        if not src.source.is_file():  # a pipe or a device would block the read: the copy refuses them
            return
        with src.source.open("rb") as file:
            start = file.read(8)
    except OSError:
        return  # the copy will say what is wrong with it
    if not start:
        reader.ctx.warn(node, say("'{name}' is empty (0 bytes): the player would show nothing", name=src.name),
                        say("copy the video file again, or check that it is the right file"))
        return
    signature = _SIGNATURES.get(src.source.suffix.lower().lstrip("."))
    if signature is not None:
        offset, magic, kind = signature
        if start[offset: offset + len(magic)] == magic:
            return
        reader.ctx.warn(node, say("'{name}' is not an MP4 video (its first bytes are not those of one): the player "
                                  "would show nothing", name=src.name) if kind == "MP4" else
                        say("'{name}' is not a WebM video (its first bytes are not those of one): the player "
                            "would show nothing", name=src.name),
                        say("export the video again as MP4 (H.264) or WebM, or check that it is the right file"))
