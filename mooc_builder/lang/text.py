"""What mooc says to an author, kept in English with its values and said in the author's language when shown.

The loader, the checks and the command build :class:`Text` values (``say("expected {what}, found {found}",
what=..., found=...)``) rather than strings, so that a report made once (by worker processes, or replayed from
the last build's record) can be printed in French for one author and in English for another. The English
template is the gettext msgid: ``make messages`` extracts every ``say`` and ``says`` call into
``lang/locales/messages.pot`` (lang/extract.py), and ``lang/locales/<code>.po`` translates it.

A value may itself be a Text (a fragment such as "a list" or the label of a kind of value), a
:class:`Listing` ("'a', 'b' or 'c'", with the language's own "or"), or anything else, shown with ``str``.
``str(text)`` is the English: what tests, docs and the JSON Schemas read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class Translator(Protocol):
    """What saying a Text in a language needs (lang.catalogue.Catalogue is one)."""

    def gettext(self, message: str, /, **values: object) -> str: ...

    def plural_form(self, singular: str, plural: str, category: str) -> str: ...

    def plural_category(self, n: float) -> str: ...

    def number(self, value: float) -> str: ...

    def listing(self, items: list[str], style: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Text:
    """A message: its English template (the msgid), and for a plural message the plural template and the count
    (``{n}`` in both)."""

    template: str
    values: tuple[tuple[str, object], ...] = ()
    plural: str = ""
    n: int | None = None

    def say(self, language: Translator | None = None) -> str:
        """The message in ``language`` (None: the English of the templates)."""
        values = {name: said(value, language) for name, value in self.values}
        if language is None:
            template = self.template if self.n is None or self.n == 1 or not self.plural else self.plural
            if self.n is not None:
                values["n"] = str(self.n)
            return template.format(**values) if values else template
        if self.n is None:
            return language.gettext(self.template, **values)
        template = language.plural_form(self.template, self.plural, language.plural_category(self.n))
        return template.format(**{"n": language.number(self.n), **values})

    def __str__(self) -> str:
        return self.say(None)

    def __bool__(self) -> bool:
        return bool(self.template)


@dataclass(frozen=True, slots=True)
class Listing:
    """Items joined as the language joins them: "'a', 'b' or 'c'" (style "or"), "a, b and c" (style "and")."""

    items: tuple[object, ...]
    style: str = "or"
    quoted: bool = True

    def say(self, language: Translator | None = None) -> str:
        items = [said(item, language) for item in self.items]
        if self.quoted:  # each language its quotes: « a » in French
            items = [Text(_QUOTED.template, (("value", item),)).say(language) for item in items]
        if language is not None:
            return language.listing(items, self.style)
        if len(items) < 2:
            return "".join(items)
        word = "or" if self.style == "or" else "and"
        return f"{', '.join(items[:-1])} {word} {items[-1]}"

    def __str__(self) -> str:
        return self.say(None)


def say(template: str, /, **values: object) -> Text:
    """A message to the author; ``template`` is English, with ``{name}`` for each value."""
    return Text(template, tuple(values.items()))


def says(singular: str, plural: str, n: int, /, **values: object) -> Text:
    """A message that counts: ``says("{n} error", "{n} errors", 2)``; the language chooses the form."""
    return Text(singular, tuple(values.items()), plural, n)


def listing(items: Iterable[object], style: str = "or", quoted: bool = True) -> Listing:
    """Items joined with the language's "or" (style "or") or "and" (style "and"), each quoted unless not
    ``quoted``."""
    return Listing(tuple(items), style, quoted)


def said(value: object, language: Translator | None) -> str:
    """A value of a message, in ``language``."""
    if isinstance(value, Text | Listing):
        return value.say(language)
    return str(value)


_QUOTED = say("'{value}'")  # a value quoted as the language quotes it (« a » in French): see Listing.say

Message = Text | str  # what a diagnostic holds: a Text, or a string that is no one's to translate (a file name)
