"""UI strings, dates and durations in the reader's language, from one YAML file per language.

A catalogue maps the English text used in templates to its translation; English
needs no messages. Adding a language is adding ``locales/<code>.yml`` to a theme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class Messages(dict[str, str]):
    """Translations by message; a message without one is its own."""

    def __missing__(self, message: str) -> str:
        return message


@dataclass(frozen=True)
class Catalogue:
    language: str
    name: str
    messages: Mapping[str, str]
    months: tuple[str, ...]
    date_format: str  # with {day}, {month}, {year}
    first_day: str  # how the 1st of a month is written ("1er" in French)
    minutes: str  # "{m} min"
    hours: str  # "{h} h"
    hours_minutes: str  # "{h} h {m:02d}"
    decimal_mark: str
    colon: str  # a label's colon with the spacing the language wants
    languages: Mapping[str, str]  # names of languages (for caption tracks), by code

    def gettext(self, message: str, /, **values: object) -> str:
        text = self.messages.get(message) or message
        return text.format(**values) if values else text

    @cached_property
    def table(self) -> Messages:
        """What gettext gives for a message without values, as a mapping (for templates: see theme.py)."""
        return Messages({message: text for message, text in self.messages.items() if text})

    def date(self, value: dt.date) -> str:
        day = self.first_day if value.day == 1 else str(value.day)
        return self.date_format.format(day=day, month=self.months[value.month - 1], year=value.year)

    def duration(self, value: dt.timedelta) -> str:
        minutes = max(0, round(value.total_seconds() / 60))
        if value.total_seconds() > 0 and minutes == 0:
            minutes = 1
        hours, minutes = divmod(minutes, 60)
        if not hours:
            return self.minutes.format(m=minutes)
        if not minutes:
            return self.hours.format(h=hours)
        return self.hours_minutes.format(h=hours, m=minutes)

    def percent(self, value: float) -> str:
        value = float(value)
        text = f"{value * 100:.0f}" if float(value * 100).is_integer() else f"{value * 100:.1f}"
        return text.replace(".", self.decimal_mark) + (" %" if self.language == "fr" else "%")


def load_catalogues(folder: Path) -> dict[str, Catalogue]:
    catalogues = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        catalogues[path.stem] = Catalogue(
            language=path.stem,
            name=str(data["name"]),
            messages={str(k): str(v) for k, v in (data.get("messages") or {}).items()},
            months=tuple(str(m) for m in data["months"]),
            date_format=str(data["date_format"]),
            first_day=str(data.get("first_day", "1")),
            minutes=str(data["durations"]["minutes"]),
            hours=str(data["durations"]["hours"]),
            hours_minutes=str(data["durations"]["hours_minutes"]),
            decimal_mark=str(data.get("decimal_mark", ".")),
            colon=str(data.get("colon", ":")),
            languages={str(k): str(v) for k, v in (data.get("languages") or {}).items()},
        )
    return catalogues
