"""Load a content tree into the model, reporting every problem found.

Reading order: discover the tree (:mod:`tree`), read site.yml, then each course, module and sequence (one
module per kind of file: site.py, course.py, module.py, sequence.py, video.py, quiz.py); Markdown is rendered
once here, with its links checked against the whole tree. Nothing is written; the result is a Site or None.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.lang.text import say
from mooc_builder.load.cache import CourseMemo, LoadCache, Shape
from mooc_builder.load.checks import course_warnings, one_file_each
from mooc_builder.load.drawings import once_per_drawing
from mooc_builder.load.keys import Reader
from mooc_builder.load.parallel import PARALLEL_FROM, Claims, read_in_parallel
from mooc_builder.load.site import ALLOW_HTML, SITE, read_site
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import discover, read_text, show
from mooc_builder.load.values import Ctx
from mooc_builder.load.yamlsrc import Source, parse_yaml
from mooc_builder.markdown.processor import MarkdownProcessor
from mooc_builder.model import Site


def check(content: Path, cache: LoadCache | None = None, workers: int = 1,
          changed: Collection[Path] | None = None, meanwhile: Callable[[], None] | None = None,
          parallel_from: int = PARALLEL_FROM, kept: Mapping[str, CourseMemo] | None = None,
          made: dict[str, CourseMemo] | None = None,
          languages: Collection[str] | None = None) -> tuple[Site | None, Report]:
    """Load and validate a tree; the report holds every error and warning (see load_site for the rest).
    ``languages``: those the theme has interface text in (None: any language code)."""
    report = Report()
    site = load_site(content, report, cache, workers, changed=changed, meanwhile=meanwhile,
                     parallel_from=parallel_from, kept=kept, made=made, languages=languages)
    if site is not None:
        for course in site.courses:
            known = kept.get(course.id) if kept else None
            if known is not None:
                report.items.extend(known.checks)
                continue
            first = len(report.items)
            course_warnings(course, report)
            if made is not None and course.id in made:
                made[course.id].checks = report.items[first:]
        one_file_each(site, report)
    once_per_drawing(report)
    return site, report


def load_site(content_dir: Path, report: Report, cache: LoadCache | None = None, workers: int = 1,
              claims: Claims | None = None, changed: Collection[Path] | None = None,
              meanwhile: Callable[[], None] | None = None, shape: Shape | None = None,
              parallel_from: int = PARALLEL_FROM, kept: Mapping[str, CourseMemo] | None = None,
              made: dict[str, CourseMemo] | None = None, languages: Collection[str] | None = None) -> Site | None:
    """The whole model of a content tree, or None when it has errors (all in ``report``).

    With a ``cache`` (kept by `mooc serve` and by the build cache), unchanged sequences are reused.
    With ``workers`` > 1 and ``parallel_from`` sequences to read or more, they are first read in that many
    processes, each
    reading the shares it ``claims``, into the cache; the load itself then finds them all there. This
    process does ``meanwhile`` first, if it is given, and reads fewer shares.
    ``changed`` (from `mooc serve`'s watcher): the only files that changed since the cache's last load;
    when none was added, removed or renamed, the tree is not discovered again and unchanged files are
    not looked at.
    ``shape``: the tree as this process's parent discovered it a moment before (in a reading process).
    ``kept``: courses to take as a previous load made them, by id (none of their files changed); ``made``
    receives what this load made of each course it read, for such a later load.
    """
    root = content_dir.absolute()
    if not root.is_dir():
        report.error(Pos(show(root)), say("content folder not found"),
                     say("give the folder that holds site.yml, e.g. mooc build content"))
        return None
    state = LoadState(root, report, cache=cache, claims=claims, kept=kept or {}, made=made,
                      languages=frozenset(languages) if languages is not None else None)
    site_text = read_text(root / "site.yml", report, state.real_root)
    named = {Path(os.path.abspath(p)) for p in changed} if changed is not None else None
    if shape is not None:
        report.items.extend(shape.diagnostics)
        reused = False
    else:
        shape, reused = _shape(root, report, cache, named)
    if reused:
        state.changed = named
    if site_text is None:
        return None
    site_ctx = Ctx(Source(show(root / "site.yml"), site_text), report)
    before = len(report.items)
    site_node = parse_yaml(site_ctx.source, report)
    broken = any(d.severity.value == "error" for d in report.items[before:])
    site_values = SITE.read(site_node, Reader(site_ctx, root, state), broken=broken)
    state.allow_html = site_values.given(ALLOW_HTML)
    state.markdown = MarkdownProcessor(state.allow_html, state.resolve_link, inspect=state.drawing)
    state.pages, state.pages_key = shape.pages, shape.pages_key
    if cache is not None and workers > 1 and claims is None:
        kept_pages = {f"{course_id}/" for course_id in state.kept}
        unread = [p for p, page in state.pages.items()
                  if p not in cache.sequences and page[:page.index("/") + 1] not in kept_pages]
        if len(unread) >= parallel_from:
            read_in_parallel(load_site, content_dir, cache, workers, meanwhile, shape, state.kept)
    site = read_site(site_values, shape.tree, state)
    if report.errors:
        return None
    return site


def _shape(root: Path, report: Report, cache: LoadCache | None, changed: set[Path] | None) -> tuple[Shape, bool]:
    """The tree as the last load discovered it when ``changed`` (absolute paths) cannot have altered it
    (and True), else discovered now."""
    if (cache is not None and changed is not None and cache.shape is not None and cache.shape.tree.root == root
            and not cache.reshaped(changed)):
        report.items.extend(cache.shape.diagnostics)
        return cache.shape, True
    first = len(report.items)
    tree = discover(root, report)
    files = {root / "site.yml"}
    pages: dict[Path, str] = {}
    for course_dir in tree.courses:
        files.add(course_dir.path / "course.yml")
        for module_dir in course_dir.modules:
            files.add(module_dir.path / "module.yml")
            files.update(module_dir.quizzes)
            for seq in module_dir.sequences:
                files.update((seq.path, seq.real))
                pages[seq.real] = f"{course_dir.id}/{module_dir.id}/{seq.id}/index.html"
    pages_key = hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest()
    shape = Shape(tree, report.items[first:], files, pages, pages_key)
    if cache is not None:
        cache.shape = shape
    return shape, False
