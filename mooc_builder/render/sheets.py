"""The texts a download bundle holds besides its media: a sheet per sequence (its text and its quiz with the
answers, for a facilitator), LICENCE.txt and CREDITS.txt."""

from __future__ import annotations

from mooc_builder.model import Course, Module, Sequence
from mooc_builder.render.bundles import Member, licences_text, sheet_path
from mooc_builder.render.links import relative
from mooc_builder.render.renderer import Renderer


class Sheets:
    """Renders a site's bundle texts with its renderer; each sheet once per build, for every bundle it is in."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._paths: dict[str, dict[str, str]] = {}
        self._texts: dict[int, tuple[Sequence, str]] = {}

    def sheet(self, course: Course, module: Module, sequence: Sequence) -> str:
        """A sequence's sheet in a bundle: text, media list and quiz with answers, standalone HTML.

        Links to sequences of the same module point to their sheets; links elsewhere go to the published site
        when it has a base_url, else are shown as their text: the one sheet serves in the module's bundle and
        in the course's.
        """
        known = self._texts.get(id(sequence))
        if known is not None and known[0] is sequence:
            return known[1]
        here = course.page.path / sheet_path(module, sequence)
        by_page = self._sheet_paths(course)
        course_prefix = course.page.path.as_posix() + "/"
        module_prefix = f"{module.id}/"

        def remap(target: str) -> str | None:
            if target in by_page:
                path = by_page[target]
                return course_prefix + path if path.startswith(module_prefix) else self._elsewhere(target)
            return target if target.startswith(course_prefix) else self._elsewhere(target)

        text = self.renderer.render_template("bundle/sheet.html", here, course.language, remap=remap, course=course,
                                             module=module, sequence=sequence)
        self._texts[id(sequence)] = (sequence, text)
        return text

    def _elsewhere(self, target: str) -> str | None:
        """A site path a bundle has not: its address on the published site, or None without a base_url."""
        site = self.renderer.site
        if not site.base_url:
            return None
        return f"{site.base_url}/{relative(target, '.', site.pretty_urls).removeprefix('./')}"

    def _sheet_paths(self, course: Course) -> dict[str, str]:
        """Where each sequence's sheet sits in a bundle, by the site path of its page (once per course)."""
        known = self._paths.get(course.id)
        if known is None:
            known = {s.page.file.as_posix(): sheet_path(m, s) for m in course.modules for s in m.sequences}
            self._paths[course.id] = known
        return known

    def text(self, name: str, course: Course, members: list[Member], module: Module | None) -> str:
        template = {"LICENCE.txt": "bundle/LICENCE.txt", "CREDITS.txt": "bundle/CREDITS.txt"}[name]
        licences = licences_text(members, course.language)
        return self.renderer.render_template(template, course.page.path / name, course.language, course=course,
                                             module=module, members=members, licences=licences)

    def roles(self, course: Course) -> dict[str, str]:
        """How the bundle's list names a video's files, in the course's language."""
        _ = self.renderer.theme.catalogue(course.language).gettext
        return {"poster": _("Poster"), "transcript": _("Transcript"), "captions": _("Captions")}
