"""What templates are given besides the model: dates, durations and sizes in the page's language, data for
scripts, the embed snippet."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from markupsafe import Markup

from mooc_builder.model import Course, Licence, Module, Sequence, Session, sessions
from mooc_builder.render.i18n import Catalogue


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
        text = f"{value:g}"
        return text.replace(".", self.catalogue.decimal_mark)

    def language_name(self, code: str) -> str:
        return self.catalogue.languages.get(code, code)

    @property
    def colon(self) -> str:
        """The colon after a label, spaced as the language wants ('Licence :' in French)."""
        return self.catalogue.colon

    def size(self, size: int) -> str:
        mark = self.catalogue.decimal_mark
        unit = "o" if self.catalogue.language == "fr" else "B"
        if size < 1000:
            return f"{size} {unit}"
        for prefix, scale in (("k", 1e3), ("M", 1e6), ("G", 1e9)):
            if size < scale * 1000 or prefix == "G":
                value = size / scale
                text = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
                return f"{text.replace('.', mark)} {prefix}{unit}"
        return f"{size} {unit}"  # pragma: no cover

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


def json_script(element_id: str, data: Any) -> Markup:
    """Data for scripts, in a script element that no text in it can close early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{element_id}">{text}</script>')


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
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '</' would end the script element early; escape it inside the JSON string.
    return Markup(text.replace("</", "<\\/"))
