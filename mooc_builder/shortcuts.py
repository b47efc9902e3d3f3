"""The switches of the speed tricks: each can be turned off, and the site is the same without it.

A trick that relies on another library's internals lives in one module (named below), pinned by an upper
version bound in pyproject.toml and watched by a test that fails when the library changes what it relies on.
Turning one off is how to tell whether a bug or a slow-down is the trick's, and how docs/PERFORMANCE.md
measures what each buys:

    MOOC_SHORTCUTS_OFF=rust-markdown,quick-escape mooc build content
    MOOC_SHORTCUTS_OFF=all mooc build content

The variable is read once per process; processes a build starts (spawn included) inherit it, so a build's
workers agree with it.
"""

from __future__ import annotations

import enum
import functools
import os

VARIABLE = "MOOC_SHORTCUTS_OFF"


class Shortcut(enum.Enum):
    """One trick, by the name MOOC_SHORTCUTS_OFF gives it."""

    # render/speedups.py: a template's message given as a literal is compiled to a look-up in the page's
    # table of messages (a Jinja extension that rewrites the token stream).
    LITERAL_MESSAGES = "literal-messages"
    # render/speedups.py: a template prints a str through markupsafe's inner escape function
    # (markupsafe._escape_inner) and binds it in place of Jinja's `escape` (jinja2.Template._from_namespace).
    QUICK_ESCAPE = "quick-escape"
    # markdown/rust.py: the texts markdown-it.rs renders as markdown-it-py does go through it.
    RUST_MARKDOWN = "rust-markdown"
    # markdown/rust.py: of those, the texts whose port HTML tells all are read from that HTML, not its tree.
    RUST_HTML = "rust-html"
    # build/builder.py: the cycle collector runs rarely during a build.
    RARE_COLLECTIONS = "rare-collections"
    # render/theme.py: the compiled templates are kept in the output's cache (Jinja's BytecodeCache), for
    # the next `mooc build` not to compile them again.
    KEPT_TEMPLATES = "kept-templates"
    # cli/__init__.py: the heap is frozen before the process exits (gc.freeze), out of the last collection's way.
    FROZEN_EXIT = "frozen-exit"


@functools.cache
def _off(value: str) -> frozenset[Shortcut]:
    names = {part.strip() for part in value.split(",") if part.strip()}
    if "all" in names:
        return frozenset(Shortcut)
    known = {s.value: s for s in Shortcut}
    return frozenset(known[name] for name in names if name in known)


def enabled(shortcut: Shortcut) -> bool:
    return shortcut not in _off(os.environ.get(VARIABLE, ""))


def problem() -> str:
    """What is wrong with MOOC_SHORTCUTS_OFF ('' when nothing): a name that is no trick's."""
    names = {part.strip() for part in os.environ.get(VARIABLE, "").split(",") if part.strip()}
    unknown = sorted(names - {s.value for s in Shortcut} - {"all"})
    if not unknown:
        return ""
    return (f"{VARIABLE} names {', '.join(unknown)}, which is no short cut's name: use 'all' or some of "
            + ", ".join(s.value for s in Shortcut))
