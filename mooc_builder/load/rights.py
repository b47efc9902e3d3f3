"""The licence and credit keys that every level may give, and how they pass down the tree."""

from __future__ import annotations

from dataclasses import dataclass

from mooc_builder.lang.text import say
from mooc_builder.load import values as v
from mooc_builder.load.keys import Deferred, Key, Text, Url, Values
from mooc_builder.model import Licence, Rights

LICENCE = Key("licence", Deferred(say("an SPDX licence id: CC-BY-NC-ND-4.0, CC-BY-4.0, CC0-1.0, ..., or "
                                   "LicenseRef-<name> with a licence_url")),
                           say("the licence of this and of everything below it that does not give its own"))
LICENCE_URL = Key("licence_url", Url(), say("the address of a LicenseRef-<name> licence's terms"))
ATTRIBUTION = Key("attribution", Text(), say("the credit line that goes with the licence (who made it, how to cite)"))
RIGHTS = (LICENCE, LICENCE_URL, ATTRIBUTION)

# Stands in for a missing licence while loading goes on; the error is reported and no site is built.
NO_RIGHTS = Rights(Licence("NOASSERTION", "", "", "", ""), "")


def licence_of(values: Values) -> Licence | None:
    """The licence a mapping gives, if any (an unknown id or a LicenseRef without its address is reported)."""
    node = values.node_of(LICENCE)
    if node is None:
        if values.written(LICENCE_URL):
            values.ctx.warn(values.nodes[LICENCE_URL.name], say("licence_url without licence is ignored"),
                            say("add licence: LicenseRef-<name>"))
        return None
    return v.as_licence(node, values.ctx, values[LICENCE_URL])


@dataclass(frozen=True, slots=True)
class Inherited:
    """Licence and credit as passed down the tree; either may still be missing."""

    licence: Licence | None = None
    attribution: str | None = None

    def child(self, values: Values) -> Inherited:
        licence = licence_of(values)
        attribution = values[ATTRIBUTION]
        return Inherited(licence or self.licence, attribution or self.attribution)

    def rights(self) -> Rights | None:
        if self.licence is None:
            return None
        return Rights(self.licence, self.attribution or "")
