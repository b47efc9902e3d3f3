"""The pipeline: load and check a content tree, render it, write the site."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import bundles
from .bundles import BundleCache, FileHashes
from .diagnostics import Report
from .loader import effort_warnings, load_site
from .model import MediaFile, Site
from .render import Renderer
from .theme import load_theme
from .writer import CACHE, check_output_location, previous_output, staged_output


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    output: Path
    as_of: dt.date = field(default_factory=dt.date.today)
    theme: Path | None = None
    strict: bool = False


@dataclass
class BuildResult:
    report: Report
    site: Site | None = None
    pages: int = 0
    files: int = 0
    bundles: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.site is not None and not self.report.errors


def captions_script(caption: MediaFile) -> str:
    """A caption file as a script, for players opened from file:// (see the theme's captions.js)."""
    text = caption.source.read_text(encoding="utf-8-sig")
    key = json.dumps(caption.output.as_posix())
    return f"window.MoocCaptions = window.MoocCaptions || {{}};\nwindow.MoocCaptions[{key}] = {json.dumps(text)};\n"


def check(content: Path) -> tuple[Site | None, Report]:
    """Load and validate a tree; the report holds every error and warning."""
    report = Report()
    site = load_site(content, report)
    if site is not None:
        effort_warnings(site, report)
    return site, report


def build(options: BuildOptions) -> BuildResult:
    """Build the site; on any error the previous output is left untouched.

    Raises :class:`writer.WriteError` for an unsafe output folder.
    """
    started = time.perf_counter()
    check_output_location(options.output, options.content)
    site, report = check(options.content)
    result = BuildResult(report, site)
    if site is None or report.errors or (options.strict and report.warnings):
        result.site = None
        return result
    theme = load_theme(options.theme)
    renderer = Renderer(site, theme, options.as_of)
    previous = previous_output(options.output)
    cache_dir = previous / CACHE if previous is not None else None
    hashes = FileHashes.load(cache_dir / "hashes.json") if cache_dir is not None else FileHashes()
    bundle_cache = BundleCache.load(cache_dir, previous)
    with staged_output(options.output) as tree:
        for output in renderer.pages():
            tree.write_text(output.path, output.text)
            result.pages += 1
        for course in site.courses:
            built = []
            for bundle in bundles.plan(course, renderer.sheet, renderer.bundle_text, renderer.bundle_roles(course)):
                built.append(bundle_cache.build(bundle, tree.reserve(bundle.output), hashes))
                result.bundles += 1
            kit = renderer.kit_page(course, built)
            tree.write_text(kit.path, kit.text)
            result.pages += 1
        for site_path, source in theme.static_files():
            tree.copy(site_path, source)
            result.files += 1
        for media in site.all_media():
            tree.copy(media.output, media.source)
            result.files += 1
        for caption in site.captions():
            tree.write_text(f"{caption.output}.js", captions_script(caption))
        tree.write_text(f"{CACHE}/hashes.json", hashes.dump())
        tree.write_text(f"{CACHE}/bundles.json", bundle_cache.dump())
    result.seconds = time.perf_counter() - started
    return result
