"""Helpers to read a built site as a browser would: parsed HTML and resolved links."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("video", "poster"),
                   ("source", "src"), ("track", "src"), ("iframe", "src"), ("form", "action"))


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def links(page: BeautifulSoup) -> Iterator[str]:
    for tag, attribute in LINK_ATTRIBUTES:
        for element in page.find_all(tag):
            value = element.get(attribute)
            if isinstance(value, str):
                yield value


def local_target(page_file: Path, link: str) -> tuple[Path, str] | None:
    """The file a relative link opens from file://, and its fragment; None for other hosts or schemes."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("data:"):
        return None
    if not parts.path:
        return page_file, parts.fragment
    target = (page_file.parent / unquote(parts.path)).resolve()
    if link.endswith("/") or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def tree_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def site_digest(site: Path) -> dict[str, str]:
    """tree_digest of the site itself, without the build's cache (which records where and when it was made)."""
    return {k: v for k, v in tree_digest(site).items() if not k.startswith(".mooc-cache")}
