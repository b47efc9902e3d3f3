"""Errors and warnings about an author's content, each tied to a file position.

Every stage reports into one :class:`Report` instead of raising, so that a single
run of ``mooc check`` lists every problem of a content tree at once.
"""

from __future__ import annotations

import enum
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.lang.text import Message, Text, Translator, say, says


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in an author's file; line and column are 1-based, None for a whole file or folder."""

    file: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    pos: Pos
    message: Message
    hint: Message = ""
    # The line of the file where it is, and a caret under the column (YAML syntax errors): shown under the
    # message by the command line, never part of its one line.
    excerpt: str = ""

    def __str__(self) -> str:
        return self.say(None)

    def say(self, language: Translator | None) -> str:
        """The diagnostic on one line, in ``language`` (None: English)."""
        text = f"{self.pos}: {self.text(language)}"
        # One line per message, whatever a file name or a quoted value holds: an editor or a script reads
        # them line by line, and a terminal would obey control characters.
        return text.translate(_VISIBLE) if _INVISIBLE.search(text) else text

    def text(self, language: Translator | None) -> str:
        """The message and its hint, without the position."""
        message = _said(self.message, language)
        hint = _said(self.hint, language)
        return f"{message}{language_semicolon(language)}{hint}" if hint else message


def _said(message: Message, language: Translator | None) -> str:
    return message.say(language) if isinstance(message, Text) else message


def language_semicolon(language: Translator | None) -> str:
    """The semicolon between a message and its hint, spaced as the language wants (' ; ' in French)."""
    return "; " if language is None else say("; ").say(language)


def _escape(code: int) -> str:
    return {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


# Controls, line separators, and halves of UTF-16 pairs (a file name that is not UTF-8 holds them as Python
# reads it: no terminal could print them).
_CONTROLS = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0xD800, 0xE000)]
_VISIBLE = {code: _escape(code) for code in _CONTROLS}
_INVISIBLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _CONTROLS) + "]")


@dataclass
class Report:
    """Collects diagnostics; the order of discovery is kept, duplicates are dropped."""

    items: list[Diagnostic] = field(default_factory=list)
    # The diagnostics in ``items`` as a set, for dropping duplicates without scanning the list: a catalogue's
    # hundreds of warnings, reported again at each build of `mooc serve`, made that quadratic. The loader also
    # extends ``items`` directly (what a cached file reported): those are taken in before the next check.
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)
    _seen_count: int = field(default=0, repr=False, compare=False)

    def error(self, pos: Pos, message: Message, hint: Message = "", excerpt: str = "") -> None:
        self._add(Diagnostic(Severity.ERROR, pos, message, hint, excerpt))

    def warn(self, pos: Pos, message: Message, hint: Message = "", excerpt: str = "") -> None:
        self._add(Diagnostic(Severity.WARNING, pos, message, hint, excerpt))

    def _add(self, diagnostic: Diagnostic) -> None:
        items, seen = self.items, self._seen
        if self._seen_count != len(items):
            if self._seen_count > len(items):  # items taken out: start again
                seen.clear()
                self._seen_count = 0
            seen.update(items[self._seen_count:])
            self._seen_count = len(items)
        if diagnostic not in seen:
            items.append(diagnostic)
            seen.add(diagnostic)
            self._seen_count += 1

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)


def errors_counted(n: int) -> Text:
    return says("{n} error", "{n} errors", n)


def warnings_counted(n: int) -> Text:
    return says("{n} warning", "{n} warnings", n)


def excerpt(line: str, col: int) -> str:
    """A line of an author's file and a caret under its ``col``-th character (1-based), each indented by four
    spaces; tabs are shown as spaces, so that the caret stays under its character."""
    shown = line.replace("\t", " ")
    shown = shown.translate(_VISIBLE) if _INVISIBLE.search(shown) else shown
    return f"    {shown}\n    {' ' * (max(col, 1) - 1)}^"


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working folder when inside it."""
    return _display(path, os.getcwd())


@functools.lru_cache(maxsize=1 << 16)
def _display(path: Path, cwd: str) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
