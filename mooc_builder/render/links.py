"""Links between site paths, and the site links of Markdown HTML made relative to the page that shows them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from markupsafe import Markup

from mooc_builder.model import SITE_LINK, encode_site_path

# Site links (href="mooc-site:/path#fragment"), found from their marker: the engine then looks for a plain
# string, eight times faster on a page than a pattern that starts with the attribute's name (which is checked
# once the marker is found, against _LINK_ATTRS).
_SITE_LINK = re.compile(re.escape(SITE_LINK) + r'([^"#]*)(#[^"]*)?"')


_LINK_ATTRS = ('href="', 'src="', 'poster="', 'srcset="')




def relative(path: str, from_dir: str, pretty: bool, fragment: str = "") -> str:
    """A link from a page in folder ``from_dir`` to the site path ``path`` (a file's name may hold '#'),
    with ``fragment`` ('#part', or '')."""
    if pretty and (path == "index.html" or path.endswith("/index.html")):
        folder = path[: -len("index.html")].rstrip("/") or "."
        rel = site_relpath(folder, from_dir)
        rel = "./" if rel == "." else rel + "/"
    else:
        rel = site_relpath(path, from_dir)
    rel = encode_site_path(rel)  # a file named "fiche à lire #1.pdf" is a link to its whole name
    return rel + fragment


def site_relpath(path: str, start: str) -> str:
    """posixpath.relpath for two normalised site paths ('a/b', or '.' for the root), without its
    look at the working folder: a page has dozens of links and a site thousands of pages."""
    to = [] if path == "." else path.split("/")
    here = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) or "."


def located(path: str) -> str:
    """A file's path as a Place's ``locate`` answers it: its '%' and '#' written %25 and %23, so that a file
    named "fiche #1.pdf" is not read as "fiche " and a fragment (see :func:`split_located`)."""
    return path.replace("%", "%25").replace("#", "%23")


def split_located(found: str) -> tuple[str, str]:
    """A ``locate`` answer that is a path: (the path, its fragment with its '#', or '')."""
    path, _sep, fragment = found.partition("#")
    return path.replace("%23", "#").replace("%25", "%"), f"#{fragment}" if fragment else ""


@dataclass(frozen=True)
class Place:
    """A page rendered outside the site, into a download bundle: ``path``, where it sits there (from the
    bundle's folder); ``locate``, where a site path is from there: a path in the bundle (with a '#fragment'
    at most, and its own '%' and '#' escaped: see :func:`located`), an absolute address ('https://...'), or
    None when it is nowhere (a Markdown link then becomes its text; a template's link goes to ``home``)."""

    path: PurePosixPath
    locate: Callable[[str], str | None]
    home: str = "index.html"


def is_absolute(target: str) -> bool:
    return "://" in target


def site_links(from_dir: str, pretty: bool, remap: Callable[[str], str | None] | None = None
               ) -> Callable[[str], Markup]:
    """What makes the site links of Markdown HTML (``href="mooc-site:/path#fragment"``) relative to a page in
    folder ``from_dir``. ``remap`` may move a site path elsewhere (a bundle's page, or an absolute address,
    taken as it is) or drop it (None): a link (``<a>``) then becomes its text, a picture loses its source.
    """

    def html(fragment: str) -> Markup:
        if SITE_LINK not in fragment:
            return Markup(fragment)
        out: list[str] = []
        last = 0
        close = -1  # where the '</a>' of a link made plain text starts
        for match in _SITE_LINK.finditer(fragment):
            start = match.start()
            attr = next((a for a in _LINK_ATTRS if fragment.endswith(a, last, start)), None)
            if attr is None:
                continue
            if attr == 'srcset="':
                out.append(_without(fragment, last, start - len(attr), close))
                out.append(_srcset(SITE_LINK + match.group(1) + (match.group(2) or ""), from_dir, pretty, remap))
                last = match.end()
                continue
            path = unquote(match.group(1))  # as the load wrote it: see encode_site_path
            target = path if remap is None else remap(path)
            fragment_id = match.group(2) or ""
            if target is None and attr == 'href="':
                opening = fragment.rfind("<a ", last, start)
                end = fragment.find(">", match.end())
                closing = fragment.find("</a>", end)
                if opening >= 0 and ">" not in fragment[opening:start] and end >= 0 and closing >= 0:
                    out.append(_without(fragment, last, opening, close))
                    last, close = end + 1, closing
                    continue
            out.append(_without(fragment, last, start - len(attr), close))
            last = match.end()
            if target is None:  # a picture's source, say, that the bundle has not: dropped with its attribute
                continue
            if is_absolute(target):
                href = target.split("#", 1)[0] + fragment_id if fragment_id else target
            else:
                path_part, own = split_located(target)
                href = relative(path_part, from_dir, pretty, fragment_id or own)
            out.append(f'{attr}{href}"')
        out.append(_without(fragment, last, len(fragment), close))
        return Markup("".join(out))

    return html


def _srcset(value: str, from_dir: str, pretty: bool, remap: Callable[[str], str | None] | None) -> str:
    """A srcset attribute with each of its site links made relative (or remapped; one the place has not is left
    out, and the attribute with it when none is left). Its candidates are split at ', ': a site link holds no
    space (model/pictures.py srcset)."""
    kept: list[str] = []
    for candidate in value.split(", "):
        link, _sep, descriptor = candidate.partition(" ")
        if not link.startswith(SITE_LINK):
            kept.append(candidate)
            continue
        path = unquote(link[len(SITE_LINK):])
        target = path if remap is None else remap(path)
        if target is None:
            continue
        if not is_absolute(target):
            path_part, own = split_located(target)
            target = relative(path_part, from_dir, pretty, own)
        kept.append(f"{target} {descriptor}" if descriptor else target)
    return f'srcset="{", ".join(kept)}"' if kept else ""


def _without(text: str, start: int, end: int, close: int) -> str:
    """text[start:end], without the '</a>' at ``close`` when it lies there (the end of a link made text)."""
    if start <= close < end:
        return text[start:close] + text[close + 4:end]
    return text[start:end]
