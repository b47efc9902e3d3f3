"""The build's step for printable handouts: each module's two PDFs (course.yml `handouts: true`), made again
only when what they show changed, as a course's SCORM packages are (build/export.py).

Where they are: ``<course>/handouts/<module-id>-participant.pdf`` and ``-facilitator.pdf``
(:meth:`Module.handout_file`; render/handouts.py's ``handout_paths`` lists them for a course without a build).
What the build made of a course's handouts, with their sizes, is :func:`course_handouts`'s list: what a kit or
module page links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mooc_builder.exports.handouts import EngineMissing, engine_version, make_pdf
from mooc_builder.model import HANDOUT_ROLES, Course, Module, Sequence, Site
from mooc_builder.render.handouts import handout_html, handout_media, has_handouts
from mooc_builder.render.keys import Digests
from mooc_builder.render.renderer import Renderer
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import Output


@dataclass(frozen=True)
class Handout:
    """One PDF the site holds: its module's id, its role (model.HANDOUT_ROLES), its site path, its size."""

    module: str
    role: str
    path: PurePosixPath
    size: int


@dataclass
class HandoutRun:
    """What one build did with handouts: how many PDFs it made (not kept from the last build), and, when
    WeasyPrint could not be loaded, why (the build says it once)."""

    made: int = 0
    missing: str | None = None
    skipped: list[str] = field(default_factory=list)  # the courses whose handouts are missing for that reason


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
            if tree.unchanged(path, key):
                tree.keep(path)
                handouts.append(Handout(module.id, role, path, tree.previous_size(path)))
                continue
            try:
                data = make_pdf(handout_html(renderer, course, module, role), path, media, site.base_url)
            except EngineMissing as exc:
                run.missing = str(exc)
                if course.id not in run.skipped:
                    run.skipped.append(course.id)
                continue
            tree.write_bytes(path, data, key)
            run.made += 1
            handouts.append(Handout(module.id, role, path, len(data)))
    return handouts
