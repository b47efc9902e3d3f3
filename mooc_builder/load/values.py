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
from mooc_builder.lang.text import Message, Text, say, says
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode, SequenceNode, Source, is_null, pos_of
from mooc_builder.model import licences, limits
from mooc_builder.model.licences import Licence


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a converter needs to know about the file it reads."""

    source: Source
    report: Report

    def pos(self, node: Node) -> Pos:
        return pos_of(node, self.source)

    def error(self, node: Node, message: Message, hint: Message = "") -> None:
        self.report.error(self.pos(node), message, hint)

    def warn(self, node: Node, message: Message, hint: Message = "") -> None:
        self.report.warn(self.pos(node), message, hint)


NOTHING = Text("")  # no message: false, and "" in every language


def did_you_mean(word: str, options: Iterable[str]) -> Text:
    """"did you mean 'x'?" for the option closest to ``word``, or NOTHING (false) when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return say("did you mean '{option}'?", option=close[0]) if close else NOTHING


def describe(node: Node) -> Text:
    """What a node is, as a message names what it found: "a list", or the value quoted."""
    if isinstance(node, MappingNode):
        return say("a mapping (key: value lines)")
    if isinstance(node, SequenceNode):
        return say("a list")
    return say("'{value}'", value=shorten(node.value))


def shorten(text: str, longest: int = 60) -> Message:
    """A value as a message quotes it: on one line, and cut in the middle when long (a 5,000-digit number, a
    pasted paragraph)."""
    text = " ".join(text.split())
    if len(text) <= longest:
        return text
    half = (longest - 1) // 2
    return says("{start}…{end} ({n} character)", "{start}…{end} ({n} characters)", len(text),
                start=text[:half], end=text[-half:])


# --- scalars -------------------------------------------------------------------------------

TEXT = say("text")  # what as_text expects, unless told


def as_text(node: Node, ctx: Ctx, what: Message = TEXT) -> str | None:
    if isinstance(node, ScalarNode):
        return "" if is_null(node) else str(node.value)
    ctx.error(node, say("expected {what}, found {found}", what=what, found=describe(node)),
              say('write it on one line, e.g. title: "..."'))
    return None


# The words of a yes and a no (load/schema.py gives editors the same list).
TRUE_WORDS = ("true", "yes", "oui", "on", "vrai")
FALSE_WORDS = ("false", "no", "non", "off", "faux")
_TRUE = frozenset(TRUE_WORDS)
_FALSE = frozenset(FALSE_WORDS)


def as_bool(node: Node, ctx: Ctx) -> bool | None:
    if isinstance(node, ScalarNode) and not is_null(node):
        word = node.value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    ctx.error(node, say("expected true or false, found {found}", found=describe(node)),
              say("write true or false (vrai/faux and oui/non also work)"))
    return None


_INT = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def as_int(node: Node, ctx: Ctx, minimum: int | None = None, maximum: int | None = None) -> int | None:
    text = node.value.strip() if isinstance(node, ScalarNode) else ""
    if not _INT.match(text):
        ctx.error(node, say("expected a whole number, found {found}", found=describe(node)),
                  say("write digits only, e.g. 2"))
        return None
    span = _span(minimum, maximum)
    # Counted before converting: Python refuses to convert over 4,300 digits, and no bound needs 12.
    value = int(text) if len(text.lstrip("+-0")) <= limits.MAX_INTEGER_DIGITS else None
    if value is not None and minimum is not None and value < minimum:
        ctx.error(node, say("{value} is too small", value=value), say("use a whole number {span}", span=span))
        return None
    if value is None or (maximum is not None and value > maximum):
        ctx.error(node, say("{value} is too large", value=shorten(text)), say("use a whole number {span}", span=span))
        return None
    return value


def _span(minimum: int | None, maximum: int | None) -> Text:
    if maximum is None:
        return say("of at least {minimum}", minimum=minimum) if minimum is not None else NOTHING
    if minimum is not None:
        return say("from {minimum} to {maximum}", minimum=minimum, maximum=maximum)
    return say("of at most {maximum}", maximum=maximum)


# The largest number, as each language writes it: a literal, for the catalogue (tests/test_messages_values.py
# checks that it is limits.MAX_NUMBER).
LARGEST_NUMBER = say("1,000,000,000,000")


def as_number(node: Node, ctx: Ctx) -> float | None:
    """A finite number that a browser holds exactly as written: at most 15 significant digits, and at most
    1e12 in size (quiz answers are compared in the browser, and JSON has no infinity)."""
    text = node.value.strip().replace(",", ".") if isinstance(node, ScalarNode) else ""
    if not _NUMBER.match(text):
        ctx.error(node, say("expected a number, found {found}", found=describe(node)),
                  say("write a number such as 19 or 0.5"))
        return None
    integer, _point, fraction = text.lstrip("+-").partition(".")
    too_large = say("use a number between -{largest} and {largest}", largest=LARGEST_NUMBER)
    if len(integer.lstrip("0")) > len(str(int(limits.MAX_NUMBER))):
        ctx.error(node, say("{value} is too large", value=shorten(text)), too_large)
        return None
    if len((integer + fraction).strip("0")) > limits.MAX_DIGITS or len(text) > 40:
        ctx.error(node, say("{value} has too many digits", value=shorten(text)),
                  say("write at most {digits} significant digits, e.g. 0.333", digits=limits.MAX_DIGITS))
        return None
    value = float(text)
    if abs(value) > limits.MAX_NUMBER:
        ctx.error(node, say("{value} is too large", value=shorten(text)), too_large)
        return None
    return value


_DURATION_FORMS = say("90s, 15min, 1h, 1h30 or 4:30")
# The units in English or French, whole or short: 1 h, 1 heure, 2 min, 2 minutes, 90 s, 90 secondes.
# The words of each unit, in French and English (load/schema.py makes the editors' pattern from them too).
HOUR_WORDS = ("heures", "heure", "hours", "hour", "hrs", "hr", "h")
MINUTE_WORDS = ("minutes", "minute", "mins", "min", "mn", "m")
SECOND_WORDS = ("secondes", "seconde", "seconds", "second", "secs", "sec", "s")
_H = "(?:" + "|".join(HOUR_WORDS) + ")"
_MIN = "(?:" + "|".join(MINUTE_WORDS) + ")"
_SEC = "(?:" + "|".join(SECOND_WORDS) + ")"
_UNITS = re.compile(rf"^(?:(\d+)\s*{_H})?\s*(?:(\d+)\s*{_MIN})?\s*(?:(\d+)\s*{_SEC})?$")
_HOURS_MINUTES = re.compile(rf"^(\d+)\s*{_H}\s*(\d{{1,2}})$")  # 1h30: the minutes need no unit
_MINUTES_SECONDS = re.compile(rf"^(\d+)\s*{_MIN}\s*(\d{{1,2}})$")  # 2min30, 2 min 30: nor the seconds
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_LONG_NUMBER = re.compile(r"\d{7}")  # a million hours, minutes or seconds: no duration the format means


def parse_duration(text: str) -> dt.timedelta | None:
    """Durations as authors write them: 90s, 15min, 1h, 1h30, 1 h 30 min, 4:30 (m:ss), 1:02:30, and in French
    words too: 2 minutes, 2min30, 2 min 30, 90 secondes, 1 heure 30."""
    text = text.strip().lower()
    if not text or _LONG_NUMBER.search(text):
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
    short = _MINUTES_SECONDS.match(text)
    if short:
        if int(short.group(2)) >= 60:
            return None
        return dt.timedelta(minutes=int(short.group(1)), seconds=int(short.group(2)))
    units = _UNITS.match(text)
    if not units or not any(units.groups()):
        return None  # includes a bare number: minutes or seconds? The author must say.
    hours, minutes, seconds = (int(g) if g else 0 for g in units.groups())
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def as_duration(node: Node, ctx: Ctx, longest: dt.timedelta | None = None) -> dt.timedelta | None:
    """A duration, at most ``longest`` (default: a day, as a video or a sequence lasts at most)."""
    longest = longest or dt.timedelta(hours=limits.MAX_DURATION_HOURS)
    if isinstance(node, ScalarNode) and not is_null(node):
        value = parse_duration(node.value)
        if value is not None and value <= longest:
            return value
        if value is not None or _LONG_NUMBER.search(node.value):
            ctx.error(node, say("{value} is too long", value=describe(node)),
                      say("a duration here is at most {hours} h; check the unit (90s, 15min, 1h30)",
                          hours=longest.days * 24 + longest.seconds // 3600))
            return None
    ctx.error(node, say("expected a duration, found {found}", found=describe(node)),
              say("write it like {forms}", forms=_DURATION_FORMS))
    return None


def as_date(node: Node, ctx: Ctx) -> dt.date | None:
    if isinstance(node, ScalarNode) and re.match(r"^\d{4}-\d{2}-\d{2}$", node.value.strip()):
        try:
            value = dt.date.fromisoformat(node.value.strip())
        except ValueError:
            ctx.error(node, say("'{value}' is not a real date", value=node.value),
                      say("check the month (01-12) and the day"))
            return None
        problem = date_problem(value)
        if problem:
            ctx.error(node, say("'{value}' {problem}", value=node.value, problem=problem),
                      say("write a date between {first} and {last}, e.g. 2017-11-14", first=limits.FIRST_YEAR,
                          last=limits.LAST_YEAR))
            return None
        return value
    meant = _day_first(node.value) if isinstance(node, ScalarNode) else None
    hint = say("did you mean {date}? Dates are written year-month-day", date=meant) if meant else \
        say("write it as YYYY-MM-DD, e.g. 2017-11-14")
    ctx.error(node, say("expected a date, found {found}", found=describe(node)), hint)
    return None


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _day_first(text: str) -> str:
    """The date a day written the French way (14/11/2026, 14-11-2026, 14.11.2026) means, as YYYY-MM-DD; or
    month first, when that is the only real date it can be (11/14/2026); or ''."""
    match = _DAY_FIRST.match(text.strip())
    if not match:
        return ""
    first, second, year = (int(g) for g in match.groups())
    for day, month in ((first, second), (second, first)):
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""


def date_problem(value: dt.date) -> Text:
    """What is wrong with a date a session could not mean (also for `--as-of`), or NOTHING (false)."""
    if value.year < limits.FIRST_YEAR:
        return say("is too far in the past")
    if value.year > limits.LAST_YEAR:
        return say("is too far in the future")
    return NOTHING


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
    ctx.error(node, say("expected a percentage, found {found}", found=describe(node)),
              say("write it like 30% (between 0% and 100%)"))
    return None


_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def as_url(node: Node, ctx: Ctx) -> str | None:
    text = as_text(node, ctx, say("an address"))
    if text is None:
        return None
    text = text.strip()
    if text.lower().startswith(_SAFE_SCHEMES) and len(text) > 8 and not re.search(r"\s", text):
        return text
    ctx.error(node, say("'{value}' is not a web address", value=text),
              say("write a full address starting with https://"))
    return None


def as_choice(node: Node, ctx: Ctx, options: Sequence[str]) -> str | None:
    text = as_text(node, ctx)
    if text is not None and text in options:
        return text
    listed = ", ".join(options)
    suggestion = did_you_mean(text or "", options)
    ctx.error(node, say("'{value}' is not one of {options}", value=text, options=listed),
              suggestion or say("use one of {options}", options=listed))
    return None


def as_licence(node: Node, ctx: Ctx, licence_url: str | None) -> Licence | None:
    text = as_text(node, ctx, say("a licence id"))
    if text is None:
        return None
    text = text.strip()
    if text in licences.REGISTRY:
        return licences.REGISTRY[text]
    if text.startswith("LicenseRef-") and len(text) > len("LicenseRef-"):
        if licence_url:
            return licences.custom_licence(text, licence_url)
        ctx.error(node, say("licence '{value}' is not a standard one and has no address", value=text),
                  say("add licence_url: https://... next to it"))
        return None
    known = licences.suggest(text)
    hint = say("did you mean '{option}'?", option=known) if known else \
        say("use an SPDX id such as CC-BY-NC-ND-4.0 (see the README)")
    ctx.error(node, say("unknown licence '{value}'", value=text), hint)
    return None


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def is_id(text: str) -> bool:
    return bool(_ID.match(text))
