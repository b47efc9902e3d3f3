"""Typed reading of YAML nodes: each author value is parsed once, here, into a real type.

Every converter reports a precise error (file:line:col, what is wrong, what would
be right) and returns None instead of raising, so the loader keeps going and the
author sees every problem in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode, SequenceNode, Source, is_null, pos_of
from mooc_builder.model import licences
from mooc_builder.model.licences import Licence


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a converter needs to know about the file it reads."""

    source: Source
    report: Report

    def pos(self, node: Node) -> Pos:
        return pos_of(node, self.source)

    def error(self, node: Node, message: str, hint: str = "") -> None:
        self.report.error(self.pos(node), message, hint)

    def warn(self, node: Node, message: str, hint: str = "") -> None:
        self.report.warn(self.pos(node), message, hint)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'"


# --- scalars -------------------------------------------------------------------------------

def as_text(node: Node, ctx: Ctx, what: str = "text") -> str | None:
    if isinstance(node, ScalarNode):
        return "" if is_null(node) else str(node.value)
    ctx.error(node, f"expected {what}, found {_describe(node)}", 'write it on one line, e.g. title: "..."')
    return None


_TRUE = {"true", "yes", "oui", "on"}
_FALSE = {"false", "no", "non", "off"}


def as_bool(node: Node, ctx: Ctx) -> bool | None:
    if isinstance(node, ScalarNode) and not is_null(node):
        word = node.value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    ctx.error(node, f"expected true or false, found {_describe(node)}", "write true or false (oui/non also work)")
    return None


_INT = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def as_int(node: Node, ctx: Ctx, minimum: int | None = None) -> int | None:
    if isinstance(node, ScalarNode) and _INT.match(node.value.strip()):
        value = int(node.value)
        if minimum is not None and value < minimum:
            ctx.error(node, f"{value} is too small", f"use a whole number of at least {minimum}")
            return None
        return value
    ctx.error(node, f"expected a whole number, found {_describe(node)}", "write digits only, e.g. 2")
    return None


def as_number(node: Node, ctx: Ctx) -> float | None:
    if isinstance(node, ScalarNode) and _NUMBER.match(node.value.strip()):
        return float(node.value.strip().replace(",", "."))
    ctx.error(node, f"expected a number, found {_describe(node)}", "write a number such as 19 or 0.5")
    return None


_DURATION_FORMS = "90s, 15min, 1h, 1h30 or 4:30"
_UNITS = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:min|mn|m))?\s*(?:(\d+)\s*(?:s|sec))?$")
_HOURS_MINUTES = re.compile(r"^(\d+)\s*h\s*(\d{1,2})$")  # 1h30: the minutes need no unit
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def parse_duration(text: str) -> dt.timedelta | None:
    """Durations as authors write them: 90s, 15min, 1h, 1h30, 1 h 30 min, 4:30 (m:ss), 1:02:30."""
    text = text.strip().lower()
    if not text:
        return None
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            return None
        return dt.timedelta(hours=int(hours or 0), minutes=int(minutes), seconds=int(seconds))
    short = _HOURS_MINUTES.match(text)
    if short:
        if int(short.group(2)) >= 60:
            return None
        return dt.timedelta(hours=int(short.group(1)), minutes=int(short.group(2)))
    units = _UNITS.match(text)
    if not units or not any(units.groups()):
        return None  # includes a bare number: minutes or seconds? The author must say.
    hours, minutes, seconds = (int(g) if g else 0 for g in units.groups())
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def as_duration(node: Node, ctx: Ctx) -> dt.timedelta | None:
    if isinstance(node, ScalarNode) and not is_null(node):
        value = parse_duration(node.value)
        if value is not None:
            return value
    ctx.error(node, f"expected a duration, found {_describe(node)}", f"write it like {_DURATION_FORMS}")
    return None


def as_date(node: Node, ctx: Ctx) -> dt.date | None:
    if isinstance(node, ScalarNode) and re.match(r"^\d{4}-\d{2}-\d{2}$", node.value.strip()):
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            ctx.error(node, f"'{node.value}' is not a real date", "check the month (01-12) and the day")
            return None
    ctx.error(node, f"expected a date, found {_describe(node)}", "write it as YYYY-MM-DD, e.g. 2017-11-14")
    return None


def as_fraction(node: Node, ctx: Ctx) -> Fraction | None:
    """A share such as a pass mark: '30%' (preferred) or a decimal from 0 to 1."""
    if isinstance(node, ScalarNode):
        text = node.value.strip().replace(",", ".")
        match = re.match(r"^(\d+(?:\.\d+)?)\s*%$", text)
        value: Fraction | None = None
        if match:
            value = Fraction(match.group(1)) / 100
        elif re.match(r"^(0(\.\d+)?|1(\.0+)?)$", text):
            value = Fraction(text)
        if value is not None and 0 <= value <= 1:
            return value
    ctx.error(node, f"expected a percentage, found {_describe(node)}", "write it like 30% (between 0% and 100%)")
    return None


_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def as_url(node: Node, ctx: Ctx) -> str | None:
    text = as_text(node, ctx, "an address")
    if text is None:
        return None
    text = text.strip()
    if text.lower().startswith(_SAFE_SCHEMES) and len(text) > 8 and not re.search(r"\s", text):
        return text
    ctx.error(node, f"'{text}' is not a web address", "write a full address starting with https://")
    return None


def as_choice(node: Node, ctx: Ctx, options: Sequence[str]) -> str | None:
    text = as_text(node, ctx)
    if text is not None and text in options:
        return text
    listed = ", ".join(options)
    suggestion = did_you_mean(text or "", options)
    ctx.error(node, f"'{text}' is not one of {listed}", suggestion or f"use one of {listed}")
    return None


def as_licence(node: Node, ctx: Ctx, licence_url: str | None) -> Licence | None:
    text = as_text(node, ctx, "a licence id")
    if text is None:
        return None
    text = text.strip()
    if text in licences.REGISTRY:
        return licences.REGISTRY[text]
    if text.startswith("LicenseRef-") and len(text) > len("LicenseRef-"):
        if licence_url:
            return licences.custom_licence(text, licence_url)
        ctx.error(node, f"licence '{text}' is not a standard one and has no address",
                  "add licence_url: https://... next to it")
        return None
    known = licences.suggest(text)
    hint = f"did you mean '{known}'?" if known else "use an SPDX id such as CC-BY-NC-ND-4.0 (see the README)"
    ctx.error(node, f"unknown licence '{text}'", hint)
    return None


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_id(text: str) -> bool:
    return bool(_ID.match(text))


# --- mappings and lists ----------------------------------------------------------------------

class Fields:
    """The keys of one YAML mapping, checked against the keys a schema allows.

    Unknown keys are reported at once (with a suggestion); typed getters report
    their own errors and return None, so the caller only handles good values.
    """

    def __init__(self, node: Node | None, ctx: Ctx, allowed: Sequence[str], what: str, broken: bool = False) -> None:
        self.ctx = ctx
        self.broken = broken  # the YAML itself was invalid (and reported): missing keys are not news
        self.node = node
        self.values: dict[str, Node] = {}
        self.keys: dict[str, Node] = {}
        self.ok = isinstance(node, MappingNode)
        if node is None or is_null(node):
            self.ok = True  # an empty file or block: every key missing
            return
        if not isinstance(node, MappingNode):
            ctx.error(node, f"{what} should be a mapping of keys, found {_describe(node)}",
                      "write one 'key: value' per line")
            return
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                ctx.error(key_node, "a key must be a plain word", "write 'key: value'")
                continue
            if key not in allowed:
                suggestion = did_you_mean(key, allowed)
                ctx.error(key_node, f"unknown key '{key}' in {what}",
                          suggestion or "allowed keys: " + ", ".join(allowed))
                continue
            self.values.setdefault(key, value_node)
            self.keys.setdefault(key, key_node)

    def pos(self, key: str | None = None) -> Pos:
        if key is not None and key in self.values:
            return self.ctx.pos(self.values[key])
        if self.node is not None:
            return self.ctx.pos(self.node)
        return Pos(self.ctx.source.display, 1 + self.ctx.source.line_offset, 1)

    def get(self, key: str) -> Node | None:
        node = self.values.get(key)
        return None if node is None or is_null(node) else node

    def require(self, key: str, what: str, example: str) -> Node | None:
        node = self.get(key)
        if node is None and not self.broken:
            where = self.keys.get(key) or self.node
            pos = self.ctx.pos(where) if where is not None else self.pos()
            self.ctx.report.error(pos, f"{what} is missing", f"add {example}")
        return node

    def text(self, key: str, required: str = "") -> str | None:
        node = self.require(key, f"'{key}'", required) if required else self.get(key)
        if node is None:
            return None
        text = as_text(node, self.ctx)
        if text is not None and required and not text.strip():
            self.ctx.error(node, f"'{key}' is empty", f"add {required}")
        return text

    def boolean(self, key: str, default: bool) -> bool:
        node = self.get(key)
        value = as_bool(node, self.ctx) if node is not None else None
        return default if value is None else value

    def integer(self, key: str, default: int | None = None, minimum: int | None = None) -> int | None:
        node = self.get(key)
        value = as_int(node, self.ctx, minimum) if node is not None else None
        return default if value is None else value

    def number(self, key: str) -> float | None:
        node = self.get(key)
        return as_number(node, self.ctx) if node is not None else None

    def duration(self, key: str) -> dt.timedelta | None:
        node = self.get(key)
        return as_duration(node, self.ctx) if node is not None else None

    def date(self, key: str) -> dt.date | None:
        node = self.get(key)
        return as_date(node, self.ctx) if node is not None else None

    def fraction(self, key: str, default: Fraction) -> Fraction:
        node = self.get(key)
        value = as_fraction(node, self.ctx) if node is not None else None
        return default if value is None else value

    def url(self, key: str) -> str | None:
        node = self.get(key)
        if node is None or (isinstance(node, ScalarNode) and not node.value.strip()):
            return None  # an optional address left empty, as in base_url: ""
        return as_url(node, self.ctx)

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        node = self.get(key)
        value = as_choice(node, self.ctx, options) if node is not None else None
        return default if value is None else value

    def licence(self) -> Licence | None:
        node = self.get("licence")
        if node is None:
            if "licence_url" in self.values:
                self.ctx.warn(self.values["licence_url"], "licence_url without licence is ignored",
                              "add licence: LicenseRef-<name>")
            return None
        return as_licence(node, self.ctx, self.url("licence_url"))

    def items(self, key: str) -> list[Node]:
        """The items of a list value; a single value is taken as a list of one."""
        node = self.get(key)
        if node is None:
            return []
        if isinstance(node, SequenceNode):
            return list(node.value)
        return [node]

    def text_list(self, key: str) -> tuple[str, ...]:
        out = []
        for item in self.items(key):
            text = as_text(item, self.ctx)
            if text is not None:
                out.append(text)
        return tuple(out)


