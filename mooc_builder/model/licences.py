"""The licences an author may name, by SPDX id, with plain-language reuse terms.

Terms are composed from the Creative Commons elements so that every combination reads the same way; names
and terms are in English here and translated where a page shows them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Licence:
    id: str
    name: str  # the official English name, e.g. "Creative Commons Attribution 4.0 International"
    url: str
    short: str  # e.g. "CC BY-NC-ND 4.0", for badges
    terms: str  # the reuse terms in plain English; {url} is the licence's address

    # The name and the terms are messages of the theme's catalogues (render/catalogues.py adds every licence of
    # the registry to messages.pot): a page shows them in its own language (render/formatting.py licence_name).


_ELEMENTS = {
    "BY": ("Attribution", "citing the source"),
    "NC": ("NonCommercial", "for non-commercial purposes"),
    "ND": ("NoDerivatives", "without modification"),
    "SA": ("ShareAlike", "sharing adaptations under the same licence"),
}
_VERSIONS = {"4.0": "International", "3.0": "Unported", "2.0": "Generic"}
_COMBINATIONS = ["BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND"]


def _cc(combo: str, version: str) -> Licence:
    parts = combo.split("-")
    name = "Creative Commons " + "-".join(_ELEMENTS[p][0] for p in parts) + f" {version} {_VERSIONS[version]}"
    # Order of the plain terms: purpose, modification, citation, share-alike.
    order = [p for p in ("NC", "ND", "BY", "SA") if p in parts]
    return Licence(
        id=f"CC-{combo}-{version}",
        name=name,
        url=f"https://creativecommons.org/licenses/{combo.lower()}/{version}/",
        short=f"CC {combo} {version}",
        terms="Reuse allowed " + ", ".join(_ELEMENTS[p][1] for p in order) + ".",
    )


def _registry() -> dict[str, Licence]:
    table = {
        "CC0-1.0": Licence(
            "CC0-1.0",
            "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0 1.0",
            "Public domain: any reuse is allowed, with no conditions.",
        ),
        "LicenseRef-All-Rights-Reserved": Licence(
            "LicenseRef-All-Rights-Reserved",
            "All rights reserved",
            "",
            "©",
            "All rights reserved: ask for permission before any reuse.",
        ),
    }
    for version in _VERSIONS:
        for combo in _COMBINATIONS:
            licence = _cc(combo, version)
            table[licence.id] = licence
    return table


REGISTRY: dict[str, Licence] = _registry()
_BY_LOWER = {key.lower(): key for key in REGISTRY}


def custom_licence(ref: str, url: str) -> Licence:
    """A ``LicenseRef-<name>`` licence, described only by its URL."""
    name = ref.removeprefix("LicenseRef-").replace("-", " ")
    return Licence(ref, name, url, name, "Reuse terms: see {url}")


def suggest(value: str) -> str | None:
    """The known id closest to a mistyped one (case and separators forgiven)."""
    norm = value.strip().lower().replace(" ", "-").replace("_", "-")
    if norm in _BY_LOWER:
        return _BY_LOWER[norm]
    close = difflib.get_close_matches(norm, list(_BY_LOWER), n=1, cutoff=0.6)
    return _BY_LOWER[close[0]] if close else None
