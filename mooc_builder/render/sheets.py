"""The pages and texts a download bundle holds besides its media (see render/bundles.py for its layout): its
start page, each module's session plan and projector view, each sequence's facilitator's and participants'
sheets, projector view and video players, LICENCE.txt and CREDITS.txt.

The projector views are the site's (the planner's jobs, rendered by the same renderer and template), with
their links made to what the bundle holds (render/kit.py). A page is rendered once per build for every bundle
it is the same in: a page none of whose links depends on the bundle's other modules serves in its module's
bundle and in its course's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mooc_builder.model import Course, Module, Sequence, Video
from mooc_builder.render.bundles import (
    START,
    Bundle,
    KitPaths,
    Member,
    licences_text,
    participants_path,
    plan_path,
    player_path,
    projection_path,
    sheet_path,
)
from mooc_builder.render.kit import BundlePlaces, CoursePlaces
from mooc_builder.render.links import Place, relative
from mooc_builder.render.plan import PageJob, Template
from mooc_builder.render.renderer import Renderer

FACILITATOR, PARTICIPANTS, PLAYER, PLAN, PROJECTION, START_PAGE = (
    "facilitator", "participants", "player", "plan", "projection", "start")


class Sheets:
    """Renders a site's bundle pages and texts with its renderer."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._courses: dict[str, tuple[Course, CoursePlaces]] = {}
        self._places: dict[int, tuple[Bundle, BundlePlaces]] = {}
        # By kind, object and the bundle's modules ('' for a page that is the same in every bundle).
        self._texts: dict[tuple[str, int, str], tuple[object, str]] = {}

    # --- where things are --------------------------------------------------------------------------

    def places(self, bundle: Bundle) -> BundlePlaces:
        known = self._places.get(id(bundle))
        if known is None or known[0] is not bundle:
            course = self._courses.get(bundle.course.id)
            if course is None or course[0] is not bundle.course:
                course = self._courses[bundle.course.id] = (bundle.course, CoursePlaces.of(bundle.course))
            known = self._places[id(bundle)] = (bundle, BundlePlaces.of(self.renderer.site, course[1], bundle))
        return known[1]

    def _page(self, kind: str, subject: object, bundle: Bundle, path: str, own: str | None,
              render: Callable[[Place, dict[str, Any]], str], participants: bool = False) -> str:
        """The text of the page at ``path`` of ``bundle``, about ``subject`` (of module ``own``)."""
        places = self.places(bundle)
        scope = ",".join(sorted(places.modules))
        for key in ((kind, id(subject), ""), (kind, id(subject), scope)):
            known = self._texts.get(key)
            if known is not None and known[0] is subject:
                return known[1]
        place, lookup = places.place(path, own, participants)
        from_dir = place.path.parent.as_posix()
        text = render(place, {"paths": KitPaths, "kit_url": lambda target: _kit_link(target, from_dir)})
        self._texts[(kind, id(subject), scope if lookup.outside else "")] = (subject, text)
        return text

    # --- pages -------------------------------------------------------------------------------------

    def sheet(self, bundle: Bundle, module: Module, sequence: Sequence) -> str:
        """The facilitator's sheet: text, media, discussion prompt, quiz with answers, timing."""
        path = sheet_path(module, sequence)
        return self._page(FACILITATOR, sequence, bundle, path, module.id, lambda place, kit: self._template(
            "bundle/sheet.html", bundle.course, path, place, module=module, sequence=sequence,
            timing=timings(module)[sequence.id], **kit))

    def participants(self, bundle: Bundle, module: Module, sequence: Sequence) -> str:
        """The participants' sheet: the facilitator's without answers, explanations, feedback or prompts."""
        path = participants_path(module, sequence)
        return self._page(PARTICIPANTS, sequence, bundle, path, module.id, lambda place, kit: self._template(
            "bundle/participants.html", bundle.course, path, place, module=module, sequence=sequence, **kit),
            participants=True)

    def player(self, bundle: Bundle, module: Module, sequence: Sequence, number: int) -> str:
        """The ``number``-th video of a sequence (from 1) in a player, with its captions and transcript."""
        video: Video = sequence.videos[number - 1]
        path = player_path(module, sequence, number)
        return self._page(f"{PLAYER} {number}", sequence, bundle, path, module.id, lambda place, kit: self._template(
            "bundle/player.html", bundle.course, path, place, module=module, sequence=sequence, video=video,
            number=number, **kit))

    def plan(self, bundle: Bundle, module: Module) -> str:
        """A module's session plan."""
        path = plan_path(module)
        order = timings(module)
        return self._page(PLAN, module, bundle, path, module.id, lambda place, kit: self._template(
            "bundle/plan.html", bundle.course, path, place, module=module,
            timings=[order[s.id] for s in module.sequences], **kit))

    def projection(self, bundle: Bundle, job: PageJob) -> str:
        """A projector view of the site, rendered from the planner's job into the bundle."""
        module, sequence = projected(job)
        path = projection_path(module, sequence)
        return self._page(PROJECTION, job, bundle, path, module.id,
                          lambda place, _kit: self.renderer.render(job, place))

    def start(self, bundle: Bundle) -> str:
        """The bundle's start page."""
        return self._page(START_PAGE, bundle, bundle, START, None, lambda place, kit: self._template(
            "bundle/index.html", bundle.course, START, place, bundle=bundle, **kit))

    def _template(self, template: str, course: Course, path: str, place: Place, **values: Any) -> str:
        here = course.page.path / path  # where the page would be in the site: its absolute address's base
        return self.renderer.render_template(template, here, course.language, place, course=course, **values)

    # --- texts -------------------------------------------------------------------------------------

    def text(self, name: str, course: Course, members: list[Member], module: Module | None) -> str:
        template = {"LICENCE.txt": "bundle/LICENCE.txt", "CREDITS.txt": "bundle/CREDITS.txt"}[name]
        licences = licences_text(members)
        return self.renderer.render_template(template, course.page.path / name, course.language, course=course,
                                             module=module, members=members, licences=licences)

    def roles(self, course: Course) -> dict[str, str]:
        """How the bundle's list names its files, in the course's language."""
        _ = self.renderer.theme.catalogue(course.language).gettext
        return {"poster": _("Poster"), "light": _("Light version"), "transcript": _("Transcript"),
                "captions": _("Captions"),
                "chapters": _("Chapters"), "descriptions": _("Audio description"),
                "described_audio": _("Audio description (recorded)"),
                FACILITATOR: _("Facilitator's sheet"), PARTICIPANTS: _("Participants' sheet"),
                PLAYER: _("Video"), PLAN: _("Session plan"), PROJECTION: _("Projector view"),
                START_PAGE: _("Start page of the kit"), "asset": _("for the pages of the kit"),
                "script": _("as a script, for the players opened from the folder")}


def projected(job: PageJob) -> tuple[Module, Sequence | None]:
    """The module and sequence (None: the whole module) a projector view's job shows."""
    assert isinstance(job.make, Template)
    values = dict(job.make.values)
    module = values["module"]
    sequence = values.get("sequence")
    assert isinstance(module, Module) and (sequence is None or isinstance(sequence, Sequence))
    return module, sequence


def timings(module: Module) -> dict[str, tuple[dt.timedelta, dt.timedelta]]:
    """When each sequence of a module starts and ends in a session that runs through them in order."""
    found = {}
    start = dt.timedelta()
    for sequence in module.sequences:
        found[sequence.id] = (start, start + sequence.duration)
        start += sequence.duration
    return found


def _kit_link(target: str, from_dir: str) -> str:
    """A link from a page of the bundle in ``from_dir`` to another (``target``, from the bundle's folder)."""
    path, _sep, fragment = target.partition("#")
    return relative(path, from_dir or ".", False, f"#{fragment}" if fragment else "")

