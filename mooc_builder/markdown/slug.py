"""Heading anchors, as python-slugify makes them."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")  # only these letters may be combining marks
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def _drop_accents(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def slug(text: str) -> str:
    """A heading's anchor, as python-slugify makes it. Headings in French or English take a short cut: slugify
    tries to import a transliteration table for each accented letter, which costs more than the parsing;
    tests/test_build.py compares the two on a list of headings."""
    if text.isascii():
        folded = text  # nothing to fold: the common case in English, worth skipping a look at each letter
    else:
        folded = _NOT_ASCII.sub(_drop_accents, unicodedata.normalize("NFKD", text.translate(_LIGATURES)))
    if folded.isascii() and "&" not in folded:  # else: entities, other scripts, symbols: slugify knows them
        return _NOT_ALNUM.sub("-", _DECIMAL_COMMA.sub("", folded).lower()).strip("-") or "section"
    from slugify import slugify  # imported only for the rare heading that needs it

    return str(slugify(text)) or "section"
