"""Find and load a theme: Jinja templates, static files and message catalogues."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.ext

from mooc_builder import __version__
from mooc_builder.lang.catalogue import Catalogue, load_catalogues
from mooc_builder.render.speedups import LiteralMessages, QuickEscapeTemplate
from mooc_builder.shortcuts import Shortcut, enabled

# A static file named in a template ('{{ root }}assets/js/present.js').
_ASSET = re.compile(r"assets/[A-Za-z0-9_./-]+")
# A template that another extends, includes or imports by its name (read from the source: parsing the templates
# for it cost 40 ms a build).
_USED = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def default_theme_dir() -> Path:
    """The default theme: inside the installed package (wheel), else beside it (source checkout)."""
    packaged = Path(str(resources.files("mooc_builder"))) / "themes" / "default"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes" / "default"


@functools.cache
def code_fingerprint() -> str:
    """The package's own code: a fix without a new version number still invalidates cached pages."""
    sha = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        sha.update(path.read_bytes())
    return sha.hexdigest()


@dataclass
class Theme:
    path: Path
    env: jinja2.Environment
    catalogues: dict[str, Catalogue]
    bytecode: Path | None = None  # where compiled templates are kept between builds (see KeptTemplates)
    _assets: dict[tuple[str, ...], list[tuple[str, Path]]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def compiled(self) -> dict[str, bytes]:
        """The templates compiled anew by this process, by their key (see KeptTemplates)."""
        cache = self.env.bytecode_cache
        return cache.new if isinstance(cache, KeptTemplates) else {}

    def static_files(self) -> list[tuple[str, Path]]:
        """(site path under assets/, file) for every static file, in a stable order."""
        static = self.path / "static"
        return sorted(
            (f"assets/{p.relative_to(static).as_posix()}", p) for p in static.rglob("*") if p.is_file()
        )

    def assets_of(self, templates: tuple[str, ...]) -> list[tuple[str, Path]]:
        """The static files (as static_files gives them) that these templates name, with those they extend,
        include or import: what a page made from them loads (a download bundle copies them)."""
        known = self._assets.get(templates)
        if known is None:
            known = self._assets[templates] = self._find_assets(templates)
        return known

    def _find_assets(self, templates: Iterable[str]) -> list[tuple[str, Path]]:
        seen: set[str] = set()
        names: set[str] = set()
        waiting = list(templates)
        while waiting:
            name = waiting.pop()
            if name in seen:
                continue
            seen.add(name)
            assert self.env.loader is not None
            source = self.env.loader.get_source(self.env, name)[0]
            names.update(_ASSET.findall(source))
            waiting += _USED.findall(source)
        return [(path, file) for path, file in self.static_files() if path in names]

    @cached_property
    def fingerprint(self) -> str:
        """Changes when any file of the theme or the version of mooc-builder changes."""
        sha = hashlib.sha256(f"mooc-builder {__version__} {code_fingerprint()}".encode())
        for path in sorted(p for p in self.path.rglob("*") if p.is_file()):
            sha.update(path.relative_to(self.path).as_posix().encode() + b"\0" + path.read_bytes())
        return sha.hexdigest()

    def compile_all(self) -> None:
        """Compile every template now, so that processes forked later inherit them compiled. A template that
        does not compile is left for the page that uses it to report."""
        for name in self.env.list_templates():
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)

    def __reduce__(self) -> tuple[Any, tuple[Path, Path | None]]:
        # Handed to a process started by spawn or forkserver, a theme is loaded again there from its folder
        # (a compiled Jinja environment does not pickle); under fork the process inherits it compiled.
        return load_theme, (self.path, self.bytecode)

    def catalogue(self, language: str) -> Catalogue:
        return self.catalogues.get(language) or self.catalogues["en"]


class KeptTemplates(jinja2.BytecodeCache):
    """Compiled templates, read from a folder of the build cache; those compiled anew are kept in memory, for
    the build to write into its cache with the rest when it commits (a build that fails writes nothing).
    Jinja checks each against its template's source; the folder's name changes with mooc-builder's own code,
    which changes what the templates compile to (see bytecode_folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.new: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            bucket.bytecode_from_string((self.folder / f"{bucket.key}.cache").read_bytes())

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.new[bucket.key] = bucket.bytecode_to_string()


def load_theme(path: Path | None = None, bytecode: Path | None = None) -> Theme:
    """The theme in folder ``path`` (default: the default theme). ``bytecode``: the folder where its
    compiled templates are kept between builds (see KeptTemplates), so that a build in a new process (one edit
    through `mooc build`) does not compile them again."""
    folder = path or default_theme_dir()
    cache = KeptTemplates(bytecode) if bytecode is not None else None
    env = jinja2.Environment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader(folder / "templates"),
        # Everything from content is escaped unless marked safe by the renderer; plain-text
        # templates (a bundle's LICENCE.txt) are the only exception.
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        extensions=[LiteralMessages] if enabled(Shortcut.LITERAL_MESSAGES) else [],
    )
    if enabled(Shortcut.QUICK_ESCAPE):
        env.template_class = QuickEscapeTemplate
    return Theme(folder, env, load_catalogues(folder / "locales"), bytecode)


def bytecode_folder(cache: Path) -> Path:
    """Where, in a build cache, the compiled templates of this version of mooc-builder are kept (those
    compiled without the literal-messages short cut apart: they compile to other code)."""
    plain = "" if enabled(Shortcut.LITERAL_MESSAGES) else "-plain"
    return cache / f"templates-{code_fingerprint()[:16]}{plain}"
