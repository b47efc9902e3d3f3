"""Interface text, dates, numbers and plurals in the reader's language: one gettext catalogue per language.

A theme's ``locales/<code>.po`` translates the English text its templates use (the msgids); a message
without a translation is its own. Everything else a language needs, the words and order of dates, the
decimal mark, the percent sign's spacing, the names of languages and of units, and which plural form a
number takes, comes from the CLDR data that Babel carries, so adding a language is adding one ``.po`` file
(copy ``messages.pot``; see docs/TRANSLATING.md).

Plurals: a catalogue's ``Plural-Forms`` header says which of its forms an integer takes, as gettext does; the
CLDR category of a number (``one``, ``few``, ``other``...) says it for every number, decimals included, and is
what a browser's ``Intl.PluralRules`` gives scripts. Each category is tied to the form its first sample takes
under the header, so that the page and its scripts agree (see Catalogue.plural_index and js_plural).
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import babel
import babel.dates
import babel.lists
import babel.numbers
import babel.units
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "en"  # the language of the msgids
# A number of each plural category in every CLDR language, tried in this order (integers first: gettext's
# Plural-Forms expressions are written for them).
_SAMPLES: tuple[int | float, ...] = (*range(0, 112), 1000, 1_000_000, 0.5, 1.5, 2.5, 0.1, 1.1, 2.1, 1.05)
_DAY = re.compile(r"(?<![d'])d(?![d'])")
_PLACEHOLDER = re.compile(r"\{(\w+)")


class Messages(dict[str, str]):
    """Translations by message; a message without one is its own."""

    def __missing__(self, message: str) -> str:
        return message


class CatalogueError(Exception):
    """A catalogue that cannot be used: its file, line and what is wrong."""


@dataclass(frozen=True)
class Catalogue:
    language: str  # the code authors write in site.yml, "fr"
    locale: babel.Locale
    messages: Mapping[str, str]  # msgid -> translation, for messages without a context or plural forms
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # singular msgid -> forms
    contexts: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (context, msgid) -> translation
    plural_expression: str = "(n != 1)"  # the catalogue's Plural-Forms, in C as gettext writes it
    forms: int = 2

    # --- messages ------------------------------------------------------------------------------------

    def gettext(self, message: str, /, **values: object) -> str:
        text = self.messages.get(message) or message
        return text.format(**values) if values else text

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        text = self.contexts.get((context, message)) or message
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: float, /, **values: object) -> str:
        """The form of ``singular``/``plural`` that ``n`` takes, with ``{n}`` written as the language writes
        numbers (other values as given)."""
        text = self.plural_form(singular, plural, self.plural_category(n))
        return text.format(**{"n": self.number(n), **values})

    @cached_property
    def table(self) -> Messages:
        """What gettext gives for a message without values, as a mapping (for templates: see theme.py)."""
        return Messages({message: text for message, text in self.messages.items() if text})

    # --- plurals -------------------------------------------------------------------------------------

    @cached_property
    def _rule(self) -> Callable[[int], int]:
        return gettext.c2py(self.plural_expression)

    @cached_property
    def plural_index(self) -> Mapping[str, int]:
        """The catalogue's form for each CLDR plural category of the language."""
        index: dict[str, int] = {}
        for sample in _SAMPLES:
            category = self.locale.plural_form(sample)
            if category not in index:
                # gettext's expressions are written for integers; a category only decimals have takes the
                # form 2 takes, the plural of languages with two forms and the genitive of those with more.
                chosen = self._rule(sample if isinstance(sample, int) else 2)
                index[category] = min(max(0, int(chosen)), self.forms - 1)
        return index

    def plural_form(self, singular: str, plural: str, category: str) -> str:
        forms = self.plurals.get(singular)
        if not forms or not all(forms):  # untranslated: the msgids' own two forms, as gettext gives them
            return singular if category == "one" else plural
        return forms[min(self.plural_index.get(category, self.forms - 1), len(forms) - 1)]

    def js_plural(self, singular: str, plural: str) -> dict[str, str]:
        """Every form of a message by CLDR category, for a page's scripts to pick with Intl.PluralRules
        (static/js/plural.js); ``other`` is always there."""
        categories = sorted({*self.plural_index, "other"})
        return {category: self.plural_form(singular, plural, category) for category in categories}

    def plural_category(self, n: float) -> str:
        """The CLDR plural category of ``n`` in the language: 'one', 'few', 'other'..."""
        return str(self.locale.plural_form(abs(n)))

    # --- numbers, dates, names -----------------------------------------------------------------------

    def listing(self, items: list[str], style: str = "standard") -> str:
        """Items joined as the language joins them: 'a, b ou c' (style 'or'), 'a, b et c' ('standard')."""
        return babel.lists.format_list(items, style="or" if style == "or" else "standard", locale=self.locale)

    def number(self, value: float) -> str:
        """A number as the language writes it: '5,2' and '1 000' in French; no trailing zeros."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        amount = Decimal(repr(value)) if isinstance(value, float) else value
        return babel.numbers.format_decimal(amount, locale=self.locale, decimal_quantization=False)

    def percent(self, value: float) -> str:
        """A fraction as a percentage, to one decimal at most: '30 %' in French, '30%' in English."""
        rounded = Decimal(str(round(float(value) * 100, 1))) / 100
        return babel.numbers.format_percent(rounded, locale=self.locale, decimal_quantization=False)

    @property
    def decimal_mark(self) -> str:
        return babel.numbers.get_decimal_symbol(self.locale)

    @property
    def colon(self) -> str:
        """The colon after a label, spaced as the language wants ('Licence :' in French)."""
        return self.pgettext("after a label", ":")

    def date(self, value: dt.date) -> str:
        """The long form of a date ('1er décembre 2026', 'December 1, 2026')."""
        pattern = self.locale.date_formats["long"].pattern
        if value.day == 1:
            first = self.pgettext("the first day of a month", "{day}", day=1)
            if first != "1":
                pattern = _DAY.sub("'" + first.replace("'", "''") + "'", pattern)
        return babel.dates.format_date(value, pattern, locale=self.locale)

    def duration(self, value: dt.timedelta) -> str:
        minutes = max(0, round(value.total_seconds() / 60))
        if value.total_seconds() > 0 and minutes == 0:
            minutes = 1
        hours, minutes = divmod(minutes, 60)
        if not hours:
            return self.gettext("{m} min", m=minutes)
        if not minutes:
            return self.gettext("{h} h", h=hours)
        return self.gettext("{h} h {m} min", h=hours, m=minutes)

    def size(self, size: int) -> str:
        """A file size in the language's units: '1,2 Mo', '1.2 MB' (two significant figures under 10)."""
        if size < 1000:
            return babel.units.format_unit(size, "digital-byte", length="short", locale=self.locale)
        for unit, scale in (("kilobyte", 1e3), ("megabyte", 1e6), ("gigabyte", 1e9)):
            if size < scale * 1000 or unit == "gigabyte":
                value = size / scale
                shown = Decimal(f"{value:.0f}" if value >= 10 else f"{value:.1f}")
                return babel.units.format_unit(shown, f"digital-{unit}", length="short", locale=self.locale)
        raise AssertionError  # pragma: no cover

    def language_name(self, code: str) -> str:
        """The name of a language in this one, capitalised as a label ('Anglais' on a French page)."""
        return language_name(code, self.locale)


def language_name(code: str, locale: babel.Locale | None = None) -> str:
    """The name of a language in ``locale`` (by default in itself: 'Français'), capitalised as a label; the
    code itself when CLDR does not know it."""
    try:
        parsed = babel.Locale.parse(code, sep="-")
        name = (locale or parsed).languages.get(parsed.language) or code
    except (ValueError, babel.UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def catalogue_languages(folder: Path) -> list[str]:
    """The languages a theme's folder of catalogues has, by code."""
    return sorted({p.stem.replace("_", "-") for p in folder.glob("*.po")} | {SOURCE_LANGUAGE})


def read_catalogue(path: Path) -> Catalogue:
    """A .po file, compiled: its messages checked (a placeholder lost in translation is an error) and
    sorted into plain, plural and contextual ones."""
    code = path.stem.replace("_", "-")
    try:
        locale = babel.Locale.parse(code, sep="-")
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise CatalogueError(f"{path}: '{code}' is not a language CLDR knows ({exc}); "
                             "name the file with a language code, e.g. es.po or pt-BR.po") from exc
    try:
        with path.open("rb") as file:
            po = read_po(file, locale=locale, abort_invalid=True)
    except Exception as exc:  # Babel raises its PoFileError and ValueErrors from the header
        raise CatalogueError(f"{path}: {exc}") from exc
    return _compile(po, code, locale, path)


def _compile(po: Catalog, code: str, locale: babel.Locale, path: Path) -> Catalogue:
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    contexts: dict[tuple[str, str], str] = {}
    problems = []
    for message in po:
        if not message.id:
            continue
        for error in message.check(po):
            problems.append(f"{path}:{message.lineno}: {error}")
        lost = _lost_placeholders(message.id, message.string)
        if lost:
            problems.append(f"{path}:{message.lineno}: the translation's placeholders are not the message's "
                            f"({lost}): keep each {{name}} of the msgid as it is")
        if isinstance(message.id, tuple):
            forms = tuple(str(s) for s in message.string) if isinstance(message.string, tuple) else ()
            plurals[str(message.id[0])] = forms
        elif message.context:
            contexts[(str(message.context), str(message.id))] = str(message.string or "")
        else:
            messages[str(message.id)] = str(message.string or "")
    if problems:
        raise CatalogueError("\n".join(problems))
    return Catalogue(code, locale, messages, plurals, contexts, po.plural_expr, po.num_plurals)


def _lost_placeholders(msgid: object, msgstr: object) -> str:
    """What a translation changed of its message's {placeholders}: '' when nothing. A plural form may leave out
    {n} (the Polish "one" form may spell the number), no other."""
    ids = msgid if isinstance(msgid, tuple) else (msgid,)
    strings = [s for s in (msgstr if isinstance(msgstr, tuple) else (msgstr,)) if s]
    wanted = {name for text in ids for name in _PLACEHOLDER.findall(str(text))}
    for string in strings:
        found = set(_PLACEHOLDER.findall(str(string)))
        missing = wanted - found - ({"n"} if isinstance(msgid, tuple) else set())
        if missing or found - wanted:
            return ", ".join([*(f"{{{n}}} missing" for n in sorted(missing)),
                              *(f"{{{n}}} unknown" for n in sorted(found - wanted))])
    return ""


def load_catalogues(folder: Path) -> dict[str, Catalogue]:
    catalogues = {SOURCE_LANGUAGE: Catalogue(SOURCE_LANGUAGE, babel.Locale.parse(SOURCE_LANGUAGE), {})}
    for path in sorted(folder.glob("*.po")):
        catalogue = read_catalogue(path)
        catalogues[catalogue.language] = catalogue
    return catalogues
