"""A video's WebVTT files as the loader reads them: each is UTF-8 text starting with WEBVTT, with well-formed
cue timings in order; chapters each have a title and do not overlap. Descriptions are WebVTT per language,
or an audio file the author recorded (the video's sound with the description in it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mooc_builder.lang.text import Message, say
from mooc_builder.load import values as v
from mooc_builder.load.keys import Kind, Reader
from mooc_builder.load.tree import not_utf8, read_bounded
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode
from mooc_builder.model import Caption, Cue, MediaFile

AUDIO_FILES = frozenset({"mp3", "m4a", "aac", "ogg", "opus"})
WEBVTT = frozenset({"vtt"})

# A WebVTT timestamp: hours optional, minutes and seconds on two digits, milliseconds on three.
_STAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_STAMP}[ \t]+-->[ \t]+{_STAMP}(?:[ \t]+.*)?$")


def by_language(node: MappingNode, reader: Reader, what: Message,
                good: Callable[[MediaFile, Node], bool]) -> tuple[Caption, ...]:
    """``{fr: media/x.fr.vtt, en: ...}``: each language's WebVTT file that ``good`` takes (captions,
    descriptions), a wrong language code said at its key."""
    ctx = reader.ctx
    found = []
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
        file = reader.state.media(v.as_text(value, ctx) or "", value, ctx, reader.base, WEBVTT, what)
        if file is not None and good(file, value):
            found.append(Caption(language, file))
    return tuple(found)


def webvtt_text(file: MediaFile, node: Node, reader: Reader) -> str | None:
    """A WebVTT file's text, if it is WebVTT in UTF-8, as the specification requires and as the build copies
    it into a script for pages opened from file:// (reported at its first wrong byte if not)."""
    state = reader.state
    data = read_bounded(file.source, state.report, state.real_root)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        state.report.error(not_utf8(file.source, data, exc), say("this caption file is not UTF-8 text"),
                           say("save it as UTF-8 (WebVTT files are always UTF-8), e.g. with 'Save with encoding: "
                               "UTF-8' in your editor"))
        return None
    if not text.startswith("WEBVTT"):
        reader.ctx.error(node, say("'{name}' is not a WebVTT file", name=file.name),
                         say("its first line must be WEBVTT"))
        return None
    return text


def _seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(g or 0) for g in groups)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _stamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:06.3f}"


def cues(file: MediaFile, text: str, node: Node, reader: Reader) -> tuple[Cue, ...] | None:
    """The cues of a WebVTT file, each timing checked and the cues in order (reported at ``node``, the line of
    the file named in the message); None when one is wrong."""
    ctx = reader.ctx
    found: list[Cue] = []
    good = True
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines) and lines[index].strip():  # the header: WEBVTT and what follows it
        index += 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[start:index]
        if block[0].split(" ", 1)[0].split("\t", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        at = 1 if len(block) > 1 and "-->" not in block[0] else 0  # a cue's identifier line, before its timing
        match = _TIMING.match(block[at].strip())
        line = start + at + 1
        if match is None:
            ctx.error(node, say("'{name}' line {line}: '{text}' is not a cue timing", name=file.name, line=line,
                                text=block[at].strip()[:60]),
                      say("write it as 00:01.000 --> 00:04.500 (minutes:seconds.milliseconds, or with hours "
                          "01:00:01.000)"))
            good = False
            continue
        begin, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        if end <= begin:
            ctx.error(node, say("'{name}' line {line}: the cue ends ({end}) before it starts ({start})",
                                name=file.name, line=line, end=_stamp(end), start=_stamp(begin)),
                      say("the time after --> is the cue's end, later than its start"))
            good = False
        elif found and begin < found[-1].start:
            ctx.error(node, say("'{name}' line {line}: this cue starts ({start}) before the one above it ({before})",
                                name=file.name, line=line, start=_stamp(begin), before=_stamp(found[-1].start)),
                      say("put the cues in the order of their start times"))
            good = False
        found.append(Cue(begin, end, "\n".join(part.strip() for part in block[at + 1:]).strip()))
    return tuple(found) if good else None


def chapter_cues(file: MediaFile, text: str, node: Node, reader: Reader) -> tuple[Cue, ...] | None:
    """The chapters of a WebVTT chapters file: its cues, each with a title, none overlapping the one before."""
    found = cues(file, text, node, reader)
    if found is None:
        return None
    good = True
    for number, (before, cue) in enumerate(zip((None, *found), found, strict=False), start=1):
        if not cue.text:
            reader.ctx.error(node, say("'{name}': chapter {n} (at {start}) has no title",
                                       name=file.name, n=number, start=_stamp(cue.start)),
                             say("write the chapter's title on the line under its timing"))
            good = False
        if before is not None and cue.start < before.end:
            reader.ctx.error(node, say("'{name}': chapter {n} starts ({start}) before chapter {m} ends ({end})",
                                       name=file.name, n=number, start=_stamp(cue.start), m=number - 1,
                                       end=_stamp(before.end)),
                             say("end each chapter when the next one starts, or earlier"))
            good = False
    if not found:
        reader.ctx.warn(node, say("'{name}' has no chapters", name=file.name),
                        say("add cues: 00:00.000 --> 00:30.000 then the chapter's title on the next line"))
    return found if good else None


class Chapters(Kind[tuple[MediaFile, tuple[Cue, ...]]]):
    """``chapters: media/video.chapters.vtt``: one WebVTT file, a cue per chapter with its title."""

    label = say("a path to a WebVTT chapters file (vtt), relative to this file")

    def read(self, node: Node, reader: Reader) -> tuple[MediaFile, tuple[Cue, ...]] | None:
        if not isinstance(node, ScalarNode):
            reader.ctx.error(node, say("chapters should be one WebVTT file"),
                             say("write chapters: {example}", example="media/video.chapters.vtt"))
            return None
        file = reader.state.media(v.as_text(node, reader.ctx) or "", node, reader.ctx, reader.base, WEBVTT,
                                  say("WebVTT chapters file"))
        if file is None:
            return None
        text = webvtt_text(file, node, reader)
        found = chapter_cues(file, text, node, reader) if text is not None else None
        return (file, found) if found is not None else None


@dataclass(frozen=True, slots=True)
class Described:
    """What ``descriptions:`` gives: WebVTT descriptions (language "" for the page's), or a recorded track."""

    texts: tuple[Caption, ...] = ()
    audio: MediaFile | None = None


class Descriptions(Kind[Described]):
    """``{fr: media/video.desc.fr.vtt}``, one .vtt file (in the course's language), or an audio file."""

    label = say("a WebVTT file, a mapping from a language code to one, or an audio file (mp3, m4a, aac, ogg, "
                "opus): {example}", example="{fr: ../media/video.desc.fr.vtt}")

    def read(self, node: Node, reader: Reader) -> Described | None:
        ctx = reader.ctx
        if isinstance(node, ScalarNode):
            raw = v.as_text(node, ctx) or ""
            file = reader.state.media(raw, node, ctx, reader.base, WEBVTT | AUDIO_FILES,
                                      say("WebVTT description file or audio file"))
            if file is None:
                return None
            if file.extension in AUDIO_FILES:
                return Described(audio=file)
            return Described((Caption("", file),)) if self._good(file, node, reader) else None
        if not isinstance(node, MappingNode):
            ctx.error(node, say("descriptions should be a WebVTT file, a mapping from a language to one, or an "
                                "audio file"),
                      say("write descriptions: {example}", example="{fr: media/video.desc.fr.vtt}"))
            return None
        return Described(by_language(node, reader, say("WebVTT description file"),
                                     lambda file, value: self._good(file, value, reader)))

    @staticmethod
    def _good(file: MediaFile, node: Node, reader: Reader) -> bool:
        text = webvtt_text(file, node, reader)
        if text is None:
            return False
        found = cues(file, text, node, reader)
        if found is None:
            return False
        if not any(cue.text for cue in found):
            reader.ctx.warn(node, say("'{name}' has no description to read", name=file.name),
                            say("add cues: 00:01.000 --> 00:03.000 then what the picture shows on the next line"))
        return True
