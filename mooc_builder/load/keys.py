"""The keys of each kind of file, declared once: name, type, default, help.

Each file kind (site.yml, course.yml, module.yml, a sequence's front matter, a quiz) declares a :class:`Table`
of :class:`Key` objects. From that one table come the parsing (each value converted by its kind, with a
positioned error when it is wrong), the "unknown key / did you mean" check, the required keys, and the keys'
reference for authors (``docs/keys.md``, made by ``python -m mooc_builder.load.docs``).

A builder (load/site.py, course.py, ...) reads a mapping with ``TABLE.read(node, reader)`` and makes the model
from the :class:`Values` it gets: ``values[KEY]`` is the converted value, or the key's default when the key is
absent or its value wrong (the error is already reported).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from collections.abc import Mapping as Examples
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import Message, Translator, said, say
from mooc_builder.load import values as v
from mooc_builder.load.values import Ctx
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode, SequenceNode, is_null
from mooc_builder.model import MediaFile, limits

if TYPE_CHECKING:
    from mooc_builder.load.state import LoadState

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Reader:
    """What a kind needs to read a value: the file it is in, the folder its paths start from, the load."""

    ctx: Ctx
    base: Path
    state: LoadState


class Kind(Generic[T]):
    """How one value is read. :meth:`read` reports its own errors and returns None for a wrong value."""

    label: Message = say("a value")  # what the reference calls it (said in English there: str())

    def read(self, node: Node, reader: Reader) -> T | None:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Kind[str]):
    """Text on one line, its spaces around trimmed; ``what``: how an error names what was expected."""

    what: Message = v.TEXT

    @property
    def label(self) -> Message:  # type: ignore[override]
        return self.what

    def read(self, node: Node, reader: Reader) -> str | None:
        text = v.as_text(node, reader.ctx, self.what)
        return text.strip() if text is not None else None


class TextList(Kind[tuple[str, ...]]):
    """A list of texts (one text alone is a list of one); empty items are left out."""

    label = say("a list of texts")

    def read(self, node: Node, reader: Reader) -> tuple[str, ...] | None:
        texts = (v.as_text(item, reader.ctx) for item in _items(node))
        return tuple(t.strip() for t in texts if t is not None and t.strip())


class Boolean(Kind[bool]):
    label = say("true or false (oui/non, yes/no)")

    def read(self, node: Node, reader: Reader) -> bool | None:
        return v.as_bool(node, reader.ctx)


@dataclass(frozen=True)
class Integer(Kind[int]):
    """A whole number from ``minimum`` to ``maximum`` (model/limits.py: what the format means)."""

    minimum: int
    maximum: int

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("a whole number from {minimum} to {maximum}", minimum=self.minimum, maximum=self.maximum)

    def read(self, node: Node, reader: Reader) -> int | None:
        return v.as_int(node, reader.ctx, self.minimum, self.maximum)


class Number(Kind[float]):
    label = say("a number (19, 0.5 or 0,5) of at most {digits} digits, between -{largest} and {largest}",
                digits=limits.MAX_DIGITS, largest=v.LARGEST_NUMBER)

    def read(self, node: Node, reader: Reader) -> float | None:
        return v.as_number(node, reader.ctx)


@dataclass(frozen=True)
class Duration(Kind[dt.timedelta]):
    """A duration of at most ``hours``."""

    hours: int = limits.MAX_DURATION_HOURS

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("a duration: 90s, 15min, 1h, 1h30, 4:30 (minutes:seconds); at most {hours} h", hours=self.hours)

    def read(self, node: Node, reader: Reader) -> dt.timedelta | None:
        return v.as_duration(node, reader.ctx, dt.timedelta(hours=self.hours))


class Date(Kind[dt.date]):
    label = say("a date, YYYY-MM-DD, from {first} to {last}", first=limits.FIRST_YEAR, last=limits.LAST_YEAR)

    def read(self, node: Node, reader: Reader) -> dt.date | None:
        return v.as_date(node, reader.ctx)


class Percentage(Kind[Fraction]):
    label = say("a percentage, e.g. 30%")

    def read(self, node: Node, reader: Reader) -> Fraction | None:
        return v.as_fraction(node, reader.ctx)


class Url(Kind[str]):
    """A web address; an empty value is the same as none (``base_url: ""``)."""

    label = say("a web address (https://...)")

    def read(self, node: Node, reader: Reader) -> str | None:
        if isinstance(node, ScalarNode) and not node.value.strip():
            return None
        return v.as_url(node, reader.ctx)


@dataclass(frozen=True)
class Choice(Kind[str]):
    options: tuple[str, ...]

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("one of {options}", options=", ".join(self.options))

    def read(self, node: Node, reader: Reader) -> str | None:
        return v.as_choice(node, reader.ctx, self.options)


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


class LanguageCode(Kind[str]):
    """A language the theme has a catalogue for (LoadState.languages): its pages' interface text, dates and
    numbers in that language."""

    label = say("a language code (fr, en, ...) that the theme has interface text in")

    def read(self, node: Node, reader: Reader) -> str | None:
        text = (v.as_text(node, reader.ctx) or "").strip()
        known = reader.state.languages
        written = {code.lower(): code for code in known or ()}
        if known is not None and text.replace("_", "-").lower() in written:
            code = written[text.replace("_", "-").lower()]
            if code == text:
                return text
            reader.ctx.error(node, say("'{value}' is written '{code}'", value=text, code=code),
                             say("write language: {code}", code=code))
            return None
        if not _LANGUAGE_CODE.fullmatch(text):
            reader.ctx.error(node, say("'{value}' is not a language code", value=text),
                             say("write a code such as fr or en"))
            return None
        if known is None:
            return text
        listed = ", ".join(sorted(known))
        hint = v.did_you_mean(text, sorted(known)) or say(
            "use one of {codes}, or add the theme's interface text in this language: a file locales/{code}.po "
            "(see docs/TRANSLATING.md)", codes=listed, code=text)
        reader.ctx.error(node, say("no interface text in '{code}': the theme has it in {codes}", code=text,
                                   codes=listed), hint)
        return None


@dataclass(frozen=True)
class File(Kind[MediaFile]):
    """A file of the content folder, written relative to the file that names it."""

    what: Message  # say("video file"), say("poster image"): said in messages
    extensions: frozenset[str] | None = None

    @property
    def label(self) -> Message:  # type: ignore[override]
        if self.extensions:
            return say("a path to a {what} ({extensions}), relative to this file", what=self.what,
                       extensions=", ".join(sorted(self.extensions)))
        return say("a path to a {what}, relative to this file", what=self.what)

    def read(self, node: Node, reader: Reader) -> MediaFile | None:
        raw = v.as_text(node, reader.ctx) or ""
        return reader.state.media(raw, node, reader.ctx, reader.base, self.extensions, self.what)


@dataclass(frozen=True)
class Markdown(Kind[str]):
    """Markdown, as safe HTML with its links checked; ``inline``: a phrase, not paragraphs."""

    inline: bool = False

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("Markdown (one line)") if self.inline else "Markdown"

    def read(self, node: Node, reader: Reader) -> str | None:
        text = v.as_text(node, reader.ctx)
        if not text:
            return ""
        return reader.state.markdown_value(node, text, reader.ctx, reader.base, self.inline)


@dataclass(frozen=True)
class Deferred(Kind[Node]):
    """A value its builder converts itself, because how depends on other keys (a question's ``answer``, a
    ``licence`` with its ``licence_url``): the table gives the raw node."""

    described: Message

    @property
    def label(self) -> Message:  # type: ignore[override]
        return self.described

    def read(self, node: Node, reader: Reader) -> Node | None:
        return node


class Items(list[T]):
    """Converted list items (those that were right), with the node of each."""

    def __init__(self, pairs: Iterable[tuple[Node, T]] = ()) -> None:
        pairs = list(pairs)
        super().__init__(value for _node, value in pairs)
        self.nodes = [node for node, _value in pairs]

    def pairs(self) -> list[tuple[Node, T]]:
        return list(zip(self.nodes, self, strict=True))


@dataclass(frozen=True)
class ListOf(Kind[Items[T]]):
    """A list of values of one kind; a single value is a list of one."""

    item: Kind[T]

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("a list, each {label}", label=self.item.label)

    def read(self, node: Node, reader: Reader) -> Items[T] | None:
        pairs = ((item, self.item.read(item, reader)) for item in _items(node))
        return Items((item, value) for item, value in pairs if value is not None)


@dataclass(frozen=True)
class Mapping(Kind["Values"]):
    """A mapping of the keys of another table (an organisation, a session, a video, ...)."""

    table: Table

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("{what} (its keys below)", what=self.table.what)

    def read(self, node: Node, reader: Reader) -> Values | None:
        return self.table.read(node, reader)


@dataclass(frozen=True)
class SwitchOr(Kind["bool | Values"]):
    """``false`` (none of it), ``true`` (all its defaults), or a mapping of the keys of a table."""

    table: Table

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("true, false, or {what} (its keys below)", what=self.table.what)

    def read(self, node: Node, reader: Reader) -> bool | Values | None:
        if isinstance(node, ScalarNode):
            return v.as_bool(node, reader.ctx)
        return self.table.read(node, reader)


@dataclass(frozen=True)
class TextOr(Kind["str | Values"]):
    """Either a plain text (a name) or a mapping of the keys of a table."""

    table: Table

    @property
    def label(self) -> Message:  # type: ignore[override]
        return say("a name, or {what} (its keys below)", what=self.table.what)

    def read(self, node: Node, reader: Reader) -> str | Values | None:
        if isinstance(node, ScalarNode):
            text = v.as_text(node, reader.ctx) or ""
            return text.strip() or None
        return self.table.read(node, reader)


@dataclass(frozen=True)
class Key(Generic[T]):
    """One key of a file kind: its name, how its value is read, its default and what it is for."""

    name: str
    kind: Kind[T]
    help: Message  # say("..."): the reference says it in English, an editor's schema in the site's language
    default: T | None = None
    # When the key must be there: what to add, e.g. 'title: "..."' (the error says "'title' is missing")...
    required: str = ""
    # ...and how the error names what is missing, when not by the key's name.
    missing: Message = ""
    # For the reference, when the default is not a plain value ("its position among the modules").
    shown_default: Message = ""
    # Question types the key belongs to (None: every type).
    types: frozenset[str] | None = None

    def default_text(self, language: Translator | None = None) -> str:
        """The default as the reference shows it; a described one (``shown_default``) said in ``language``."""
        if self.shown_default or self.default is None:
            return said(self.shown_default, language)
        value: Any = self.default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Fraction):
            return f"{float(value * 100):g}%"
        return str(value)


@dataclass(frozen=True)
class Table:
    """The keys of one kind of mapping, in the order the reference lists them and values are read."""

    what: Message  # how messages name the mapping: "site.yml", say("a video"), say("the front matter")
    keys: tuple[Key[Any], ...]
    help: Message = ""  # for the reference and the schema
    title: Message = ""  # the reference's heading, when not ``what``

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def read(self, node: Node | None, reader: Reader, broken: bool = False,
             examples: Examples[str, str] | None = None) -> Values:
        """The mapping's values: unknown keys reported (with the closest known one), each known value read by
        its kind, missing required keys reported (unless ``broken``: the file's YAML was already wrong), with
        what to add taken from ``examples`` when it has the key (the author's own words: see title_example)."""
        return Values(self, node, reader, broken, examples)


class Values:
    """One mapping's keys, read against a :class:`Table`."""

    def __init__(self, table: Table, node: Node | None, reader: Reader, broken: bool = False,
                 examples: Examples[str, str] | None = None) -> None:
        self.table = table
        self.node = node
        self.reader = reader
        self.ctx = reader.ctx
        self.nodes: dict[str, Node] = {}  # every key written, with its value (null included)
        self.key_nodes: dict[str, Node] = {}
        self._values: dict[str, Any] = {}
        self.ok = node is None or is_null(node) or isinstance(node, MappingNode)
        if node is not None and not is_null(node):
            self._keys(node)
        for key in table.keys:
            example = (examples or {}).get(key.name) or key.required
            value_node = self.node_of(key)
            if value_node is None:
                # Not a mapping at all ("should be a mapping" said): its keys are not missing one by one.
                if key.required and not broken and self.ok:
                    self.require(key, example, key.missing)
                continue
            value = key.kind.read(value_node, reader)
            if isinstance(value, str) and key.required and not value.strip() and not isinstance(key.kind, Markdown):
                self.ctx.error(value_node, say("'{key}' is empty", key=key.name),
                               say("add {example}", example=example))
            if value is not None:
                self._values[key.name] = value

    def _keys(self, node: Node) -> None:
        if not isinstance(node, MappingNode):
            self.ctx.error(node, say("{what} should be a mapping of keys, found {found}", what=self.table.what,
                                     found=v.describe(node)), say("write one 'key: value' per line"))
            return
        allowed = self.table.names
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if name is None:
                self.ctx.error(key_node, say("a key must be a plain word"), say("write 'key: value'"))
                continue
            if name not in allowed:
                suggestion = v.did_you_mean(name, allowed)
                self.ctx.error(key_node, say("unknown key '{key}' in {what}", key=name, what=self.table.what),
                               suggestion or say("allowed keys: {keys}", keys=", ".join(allowed)))
                continue
            self.nodes.setdefault(name, value_node)
            self.key_nodes.setdefault(name, key_node)

    def __getitem__(self, key: Key[T]) -> T | None:
        """The key's value, or its default when it is absent or wrong."""
        return cast("T | None", self._values.get(key.name, key.default))

    def given(self, key: Key[T]) -> T:
        """The value of a key that has a default."""
        value = self[key]
        assert value is not None, f"{key.name} has no default"
        return value

    def require(self, key: Key[Any], example: str, missing: Message = "") -> Node | None:
        """The value of a key that must be there in this case, else None, with the error said as for a
        required key."""
        node = self.node_of(key)
        if node is None:
            where = self.key_nodes.get(key.name) or self.node
            pos = self.ctx.pos(where) if where is not None else self.pos()
            what = missing or say("'{value}'", value=key.name)
            self.ctx.report.error(pos, say("{what} is missing", what=what), say("add {example}", example=example))
        return node

    def written(self, key: Key[Any]) -> bool:
        """Whether the author wrote the key (even with an empty or wrong value)."""
        return key.name in self.nodes

    def node_of(self, key: Key[Any]) -> Node | None:
        """The key's value as written, when it is not empty (null)."""
        node = self.nodes.get(key.name)
        return None if node is None or is_null(node) else node

    def pos(self, key: Key[Any] | None = None) -> Pos:
        """Where the key's value is, else where the mapping is, else the top of the file."""
        if key is not None and key.name in self.nodes:
            return self.ctx.pos(self.nodes[key.name])
        if self.node is not None:
            return self.ctx.pos(self.node)
        return Pos(self.ctx.source.display, 1 + self.ctx.source.line_offset, 1)

    def at(self, key: Key[Any]) -> Node:
        """The node to point at for a problem with ``key``: its value, else the mapping."""
        node = self.nodes.get(key.name, self.node)
        assert node is not None
        return node


def title_example(title: str) -> dict[str, str]:
    """The ``examples`` of Table.read for a title the author already wrote elsewhere (a heading) or named a
    folder or file with: 'title: "Lire sa facture"'; none for a title with no letter or digit."""
    title = " ".join(title.split())
    if not any(c.isalnum() for c in title):
        return {}
    return {"title": 'title: "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'}


def id_title(id_: str) -> str:
    """A title made from an id, as the author named a folder or file: 'lire-sa-facture' gives 'Lire sa facture'."""
    words = id_.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _items(node: Node) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else [node]


def each(values: Items[Values] | None, make: Callable[[Values], U | None]) -> tuple[U, ...]:
    """What ``make`` gives for each mapping of a list, those it could make."""
    made = (make(item) for item in values or ())
    return tuple(item for item in made if item is not None)

