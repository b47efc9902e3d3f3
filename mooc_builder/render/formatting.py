"""What templates are given besides the model: dates, durations and sizes in the page's language, data for
scripts, the embed snippet."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from markupsafe import Markup

from mooc_builder.lang.catalogue import Catalogue
from mooc_builder.model import Course, Licence, Module, Sequence, Session, sessions


class Formatter:
    """Dates, durations, numbers and session states, worded for one language."""

    def __init__(self, catalogue: Catalogue, as_of: dt.date) -> None:
        self.catalogue = catalogue
        self.as_of = as_of

    def date(self, value: dt.date) -> str:
        return self.catalogue.date(value)

    def duration(self, value: dt.timedelta) -> str:
        return self.catalogue.duration(value)

    def percent(self, value: float) -> str:
        return self.catalogue.percent(value)

    def number(self, value: float) -> str:
        return self.catalogue.number(value)

    def language_name(self, code: str) -> str:
        return self.catalogue.language_name(code)

    @property
    def colon(self) -> str:
        """The colon after a label, spaced as the language wants ('Licence :' in French)."""
        return self.catalogue.colon

    def size(self, size: int) -> str:
        return self.catalogue.size(size)

    def licence_name(self, licence: Licence) -> str:
        """A licence's official name in the page's language."""
        return self.catalogue.gettext(licence.name) if licence.name else ""

    def licence_terms(self, licence: Licence) -> str:
        """What a licence allows, in plain words of the page's language."""
        return self.catalogue.gettext(licence.terms, url=licence.url) if licence.terms else ""

    def session(self, course: Course) -> Session | None:
        """The session that matters on the build date: current, else next, else the last one."""
        return sessions.current(course, self.as_of)

    def enrolment(self, session: Session) -> str:
        """'not_yet', 'open', 'closed' or 'ended', as of the build date."""
        return sessions.enrolment(session, self.as_of).value

    def weeks(self, course: Course, session: Session) -> list[tuple[int, dt.date, tuple[Module, ...]]]:
        return sessions.weeks(course, session)


def embed_snippet(src: str, title: str) -> str:
    """An iframe and the few lines that size it from the height the embedded page reports."""
    quoted = html.escape(title, quote=True)
    return (f'<iframe src="{src}" title="{quoted}" style="width:100%;border:0" height="600" loading="lazy"></iframe>\n'
            "<script>addEventListener('message',function(e){if(e.data&&e.data.type==='mooc:height'){"
            "document.querySelectorAll('iframe').forEach(function(f){if(f.contentWindow===e.source)"
            "f.height=e.data.height;});}});</script>")


def sequence_key(sequence: Sequence) -> str:
    """How the learner's progress names a sequence: module-id/sequence-id."""
    return "/".join(sequence.page.path.parts[1:])


# JSON as a script element or a script file holds it. In an HTML page, '<' starts what may end the element
# ('</script>') or change how the rest is read ('<!--<script>' hides the real '</script>'), and '&' and '>'
# follow; in a script, U+2028 and U+2029 end a line for browsers before 2019 (old phones). Each appears in
# JSON only inside strings, where its escape means the same character.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def script_json(data: Any, sort_keys: bool = True) -> str:
    """``data`` as JSON that reads the same in any script element and any script file. NaN and infinities
    are refused (JSON has none): the loader bounds every number an author writes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"),
                      allow_nan=False).translate(_SCRIPT_SAFE)


def json_script(element_id: str, data: Any) -> Markup:
    """Data for scripts, in a script element that no text in it can close early."""
    return Markup(f'<script type="application/json" id="{element_id}">{script_json(data)}</script>')


def course_licences(course: Course) -> list[Licence]:
    """Every licence that applies to something in the course, in a stable order."""
    found: dict[str, Licence] = {}
    if course.rights:
        found[course.rights.licence.id] = course.rights.licence
    for sequence in course.sequences:
        rights = [sequence.rights, *(v.rights for v in sequence.videos), *(r.rights for r in sequence.resources)]
        for item in rights:
            found.setdefault(item.licence.id, item.licence)
    return [found[key] for key in sorted(found)]


def json_ld(data: dict[str, Any]) -> Markup:
    return Markup(script_json(data))
