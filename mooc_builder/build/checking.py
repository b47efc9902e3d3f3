"""`mooc check`: load and validate a content tree for a theme, which says what languages a site may have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mooc_builder.diagnostics import Report
from mooc_builder.lang.catalogue import catalogue_languages
from mooc_builder.load import loading
from mooc_builder.load.schema import check_site_schemas
from mooc_builder.model import Site
from mooc_builder.render.theme import default_theme_dir


def check(content: Path, *args: Any, theme: Path | None = None, **options: Any) -> tuple[Site | None, Report]:
    """load.loading.check, with the languages of ``theme`` (default: the default theme) as those site.yml
    and course.yml may name; and a warning when the site's schemas for editors are another version's."""
    options.setdefault("languages", catalogue_languages((theme or default_theme_dir()) / "locales"))
    site, report = loading.check(content, *args, **options)
    check_site_schemas(content, report, site.language if site is not None else None)
    return site, report
