"""The build's step for printable handouts: each module's two PDFs (course.yml `handouts: true`), made again
only when what they show changed, as a course's SCORM packages are (build/export.py).

Where they are: ``<course>/handouts/<module-id>-participant.pdf`` and ``-facilitator.pdf``
(:meth:`Module.handout_file`; render/handouts.py's ``handout_paths`` lists them for a course without a build).
What the build made of a course's handouts, with their sizes, is :func:`course_handouts`'s list: what a kit or
module page links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from mooc_builder.exports.handouts import EngineMissing, engine_version, make_pdf
from mooc_builder.lang.text import Text
from mooc_builder.model import HANDOUT_ROLES, Course, Module, Sequence, Site
from mooc_builder.render.bundles import Member
from mooc_builder.render.handouts import handout_html, handout_media, has_handouts
from mooc_builder.render.keys import Digests
from mooc_builder.render.renderer import Renderer
from mooc_builder.render.theme import Theme
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import Output


@dataclass(frozen=True)
class Handout:
    """One PDF the site holds: its module's id, its role (model.HANDOUT_ROLES), its site path, its size, and
    where its bytes are until the build's commit (the module's bundles take them from there)."""

    module: str
    role: str
    path: PurePosixPath
    size: int
    source: Path


@dataclass
class HandoutRun:
    """What one build did with handouts: how many PDFs it made (not kept from the last build), and, when
    WeasyPrint could not be loaded, why (the build says it once)."""

    made: int = 0
    missing: Text | None = None
    skipped: list[str] = field(default_factory=list)  # the courses whose handouts are missing for that reason


def without_handouts(site: Site) -> Site:
    """The site as if no course asked for printable handouts (when WeasyPrint cannot make them)."""
    return replace(site, courses=tuple(replace(c, handouts=False) if c.handouts else c for c in site.courses))


def module_keys(site: Site, course: Course, module: Module, renderer: Renderer, hashes: FileHashes,
                digests: Digests) -> dict[str, str]:
    """By role, what a module's handout shows: the site's and the course's headers (credits, licences,
    organisation), the module, the pictures' bytes, the theme, the date (in the PDF's metadata) and the engine's
    version (its layout); and each sequence whole for the participant's, what the session plan and the answers
    show of it for the facilitator's (not its text: an edit of a sequence's text makes the participant's again)."""
    media = [hashes.digest(m.source) for m in handout_media(module).values()]
    common = ["handouts", renderer.theme.fingerprint, renderer.as_of.isoformat(), engine_version(),
              digests.site_header(site), digests.course_header(course), digests.module_outline(module), *media]
    return {"participant": digests.combine([*common, "participant", *(digests.of(s) for s in module.sequences)]),
            "facilitator": digests.combine([*common, "facilitator", *(_guide(s) for s in module.sequences)])}


def _guide(sequence: Sequence) -> tuple[object, ...]:
    """What the facilitator's guide shows of a sequence."""
    return (sequence.id, sequence.order, sequence.title, sequence.duration, sequence.rights, sequence.videos,
            sequence.resources, sequence.images, sequence.discussion_html, sequence.quiz)


def course_handouts(site: Site, course: Course, renderer: Renderer, tree: Output, hashes: FileHashes,
                    digests: Digests, run: HandoutRun) -> list[Handout]:
    """Each published module's handouts, kept when the last build made them from the same key, else made;
    those WeasyPrint could not make (``run.missing`` says why) are left out."""
    handouts: list[Handout] = []
    for module in course.modules:
        if not has_handouts(module):
            continue
        keys = module_keys(site, course, module, renderer, hashes, digests)
        media = {name: m.source for name, m in handout_media(module).items()}
        for role in HANDOUT_ROLES:
            path, key = module.handout_file(role), keys[role]
            previous = tree.previous_file(path)
            if previous is not None and tree.unchanged(path, key):
                tree.keep(path)
                handouts.append(Handout(module.id, role, path, tree.previous_size(path), previous))
                continue
            try:
                data = make_pdf(handout_html(renderer, course, module, role), path, media, site.base_url)
            except EngineMissing as exc:
                run.missing = exc.args[0]
                if course.id not in run.skipped:
                    run.skipped.append(course.id)
                continue
            source = tree.write_held(path, data, key)
            run.made += 1
            handouts.append(Handout(module.id, role, path, len(data), source))
    return handouts


def handout_members(site: Site, handouts: Mapping[str, list[Handout]], theme: Theme
                    ) -> dict[str, dict[str, tuple[Member, ...]]]:
    """The handouts as files of their module's bundles (and their course's), by course and module id: under
    ``handouts/`` in the bundle as in the course's folder of the site, named in the course's language, under
    the course's licence (else the site's)."""
    extras: dict[str, dict[str, tuple[Member, ...]]] = {}
    for course in site.courses:
        made = handouts.get(course.id)
        if not made:
            continue
        _ = theme.catalogue(course.language).gettext
        titles = {"participant": _("Participant handout"), "facilitator": _("Facilitator guide")}
        rights = course.rights or site.rights
        by_module: dict[str, list[Member]] = {}
        for handout in made:
            member = Member(f"handouts/{handout.path.name}", f"{titles[handout.role]} (PDF)", rights, handout.source)
            by_module.setdefault(handout.module, []).append(member)
        extras[course.id] = {module: tuple(members) for module, members in by_module.items()}
    return extras


def merge_extras(first: Mapping[str, Mapping[str, tuple[Member, ...]]],
                 second: Mapping[str, Mapping[str, tuple[Member, ...]]]) -> dict[str, dict[str, tuple[Member, ...]]]:
    """Both sets of files, by course and module id, the first's first."""
    merged = {course: dict(modules) for course, modules in first.items()}
    for course, modules in second.items():
        mine = merged.setdefault(course, {})
        for module, members in modules.items():
            mine[module] = (*mine.get(module, ()), *members)
    return merged
