"""Find and load a theme: Jinja templates, static files and message catalogues."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
import markupsafe
from jinja2.lexer import Token, TokenStream

from . import __version__
from .i18n import Catalogue, load_catalogues


def default_theme_dir() -> Path:
    """The default theme: inside the installed package (wheel), else beside it (source checkout)."""
    packaged = Path(str(resources.files("mooc_builder"))) / "themes" / "default"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes" / "default"


@functools.cache
def code_fingerprint() -> str:
    """The package's own code: a fix without a new version number still invalidates cached pages."""
    sha = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        sha.update(path.read_bytes())
    return sha.hexdigest()


@dataclass
class Theme:
    path: Path
    env: jinja2.Environment
    catalogues: dict[str, Catalogue]

    def static_files(self) -> list[tuple[str, Path]]:
        """(site path under assets/, file) for every static file, in a stable order."""
        static = self.path / "static"
        return sorted(
            (f"assets/{p.relative_to(static).as_posix()}", p) for p in static.rglob("*") if p.is_file()
        )

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

    def catalogue(self, language: str) -> Catalogue:
        return self.catalogues.get(language) or self.catalogues["en"]


# The context variable that a message without values reads (see _LiteralMessages); Renderer gives each page its
# language's.
MESSAGES = "_messages"


class _LiteralMessages(jinja2.ext.Extension):
    """Compiles ``_(<a string literal>)``, a template's most frequent call, to a look-up in the page's table of
    messages, ``_messages[<the literal>]``, which gives the same text (see i18n.Catalogue.table). A call from a
    template goes through Jinja's checks of what is called, and a page has dozens of these: sequence pages
    render about 8 % faster. Calls with values (``_(<literal>, n=1)``) stay calls."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            shape = [t.type for t in tokens[index:index + 4]]
            if (token.type == "name" and token.value == "_" and shape == ["name", "lparen", "string", "rparen"]
                    and (index == 0 or tokens[index - 1].type != "dot")):
                yield Token(token.lineno, "name", MESSAGES)
                yield Token(token.lineno, "lbracket", "[")
                yield tokens[index + 2]
                yield Token(tokens[index + 3].lineno, "rbracket", "]")
                index += 4
                continue
            yield token
            index += 1


# markupsafe's own escaping (C where it has it), which markupsafe.escape calls on a str.
_escape_str = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__


def _escape(value: object) -> markupsafe.Markup:
    """markupsafe.escape, with a shorter way for the value a template prints most, a str: the same Markup
    made without Markup.__new__'s checks (a Python call for each of the hundred values a page prints)."""
    if value.__class__ is str and _escape_str is not None:
        return _new_str(markupsafe.Markup, _escape_str(value))
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template that prints through _escape: Jinja binds ``escape`` in each compiled template's namespace
    (tests/test_build.py checks it still does)."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


def load_theme(path: Path | None = None) -> Theme:
    folder = path or default_theme_dir()
    env = jinja2.Environment(
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
        extensions=[_LiteralMessages],
    )
    env.template_class = _Template
    return Theme(folder, env, load_catalogues(folder / "locales"))
