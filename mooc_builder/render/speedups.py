"""Rendering short cuts that rely on Jinja's and markupsafe's internals (see docs/PERFORMANCE.md)."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import jinja2
import jinja2.ext
import markupsafe
from jinja2.lexer import Token, TokenStream

# The context variable that a message without values reads (see _LiteralMessages); Renderer gives each page its
# language's.
MESSAGES = "_messages"


class LiteralMessages(jinja2.ext.Extension):
    """Compiles ``_(<a string literal>)``, a template's most frequent call, to a look-up in the page's table of
    messages, ``_messages[<the literal>]``, which gives the same text (see lang.catalogue.Catalogue.table). A call
    from a template goes through Jinja's checks of what is called, and a page has dozens of these: sequence pages
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


class QuickEscapeTemplate(jinja2.Template):
    """A template that prints through _escape: Jinja binds ``escape`` in each compiled template's namespace
    (tests/test_build.py checks it still does)."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)
