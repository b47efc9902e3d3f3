"""The printable handouts of a module, as HTML for a paged-media engine (exports/handouts.py makes the PDFs).

Two per module (model.HANDOUT_ROLES), from the theme's ``handout/`` templates: the participant's (the text of
each sequence, its drawings and pictures, the videos as poster and title, the quiz without its answers and
with room to answer, the credits and licences) and the facilitator's guide (the session plan, then each
sequence's answers, explanations, feedback and discussion prompts). Pure, as every renderer: the HTML is
made for the place the PDF takes in the site, and holds no script and no lazy-loaded image.

On paper a link is its text. The links a handout's texts hold are kept only where a PDF can follow them: to
another site (https:, mailto:), and, when the site has a ``base_url``, to its own pages and files (the PDF
engine makes them absolute from the PDF's address in the published site); links inside the document
(footnotes) are text too, as the same ids repeat from one sequence to the next.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from mooc_builder.model import HANDOUT_ROLES, Course, MediaFile, Module, Sequence
from mooc_builder.render.links import site_links
from mooc_builder.render.renderer import Renderer

# An href that leaves the document for another site, which a PDF reader opens; and any with a scheme.
_OUTSIDE = re.compile(r"(?:https?|mailto):", re.I)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
# A link's href (the attributes of a tag hold no ">": the Markdown and the templates escape it); a hotspot
# drawing's picture (<image href>) is no link, and stays.
_HREF = re.compile(r'(<a\b[^>]*?)\shref="([^"]*)"')
_LAZY = re.compile(r'\s(?:loading="lazy"|decoding="async")')
# What a handout shows as a picture of the files a text links or shows (the others, documents, are named).
PICTURES = frozenset({"svg", "png", "jpg", "jpeg", "gif", "webp", "avif"})


def handout_html(renderer: Renderer, course: Course, module: Module, role: str) -> str:
    """The HTML of ``module``'s handout for ``role``, made for its place in the site
    (:meth:`Module.handout_file`)."""
    if role not in HANDOUT_ROLES:
        raise ValueError(f"no handout for {role!r}: one of {', '.join(HANDOUT_ROLES)}")
    here = module.handout_file(role)
    html = site_links(here.parent.as_posix(), renderer.site.pretty_urls)  # relative to the PDF, as on a page
    text = renderer.render_template(f"handout/{role}.html", here, course.language, course=course, module=module,
                                    role=role, html=html, pictures=pictures)
    return on_paper(text, bool(renderer.site.base_url))


def on_paper(text: str, published: bool) -> str:
    """``text`` with no lazy loading, and its links as text but for those a PDF can follow (see above)."""

    def link(match: re.Match[str]) -> str:
        target = match.group(2)
        if _OUTSIDE.match(target):
            return match.group(0)
        if published and not target.startswith("#") and not _SCHEME.match(target):  # the site's, made absolute
            return match.group(0)
        return match.group(1)

    return _LAZY.sub("", _HREF.sub(link, text))


def pictures(sequence: Sequence) -> list[MediaFile]:
    """The drawings and pictures a sequence's text shows."""
    return [m for m in sequence.images if m.extension in PICTURES]


def handout_media(module: Module) -> dict[str, MediaFile]:
    """Every file a module's handouts may show, by site path (its sequences' pictures, its quizzes' drawings,
    lettered in both handouts, and its videos' posters): what the PDF engine may read, and nothing else."""
    shown = [m for s in module.sequences
             for m in (*pictures(s), *s.quiz_drawings, *(v.poster for v in s.videos if v.poster))]
    return {m.output.as_posix(): m for m in shown}


def handout_paths(course: Course) -> dict[str, dict[str, PurePosixPath]]:
    """Where the site holds each module's handouts, by module id and role, when ``course`` asks for them
    (``handouts: true``) and the module is published; {} otherwise. The files are made by the build
    (build/handouts.py), which says their sizes."""
    if not course.handouts:
        return {}
    return {m.id: {role: m.handout_file(role) for role in HANDOUT_ROLES} for m in course.modules if has_handouts(m)}


def has_handouts(module: Module) -> bool:
    """A module has handouts once published, with a sequence."""
    return module.published and bool(module.sequences)

