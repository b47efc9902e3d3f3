"""Reach everyone: the 60 KB budget, sharing metadata, English throughout, and author-side accessibility warnings."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.lang.catalogue import load_catalogues
from mooc_builder.render.theme import default_theme_dir
from mooc_builder.write.weight import BUDGET, lean_asset, page_weight

from .conftest import REFERENCE
from .sitecheck import html_files, parse

Edit = Callable[[Path, str, str], None]


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reach") / "site"
    assert build(BuildOptions(REFERENCE, out, dt.date(2017, 11, 20))).ok
    return out


def test_every_sequence_page_fits_the_60_kb_budget(reference_site: Path) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    weights = [page_weight(reference_site, reference_site / s.page.file) for c in site.courses for s in c.sequences]
    weights.sort(key=lambda w: w.total, reverse=True)
    print(f"\n{len(weights)} sequence pages; budget {BUDGET} bytes of HTML + CSS + JS before any media")
    for weight in weights[:5]:
        print(f"  {weight.total:6d} B = HTML {weight.html} + CSS/JS {weight.assets}; gzip {weight.gzipped} B"
              f"  {weight.page}")
    assert weights[0].assets > 10_000  # the stylesheet and the quiz scripts are counted
    assert [w.page for w in weights if w.total > BUDGET] == []


def test_the_site_ships_the_themes_scripts_and_styles_without_their_comments(reference_site: Path) -> None:
    static = default_theme_dir() / "static"
    for name in ("js/quiz.js", "js/hotspot.js", "style.css"):
        source = (static / name).read_bytes()
        shipped = (reference_site / "assets" / name).read_bytes()
        assert shipped == lean_asset(name, source) and len(shipped) < 0.9 * len(source), name
        assert b"\n/*" not in b"\n" + shipped and b"\n\n" not in shipped, name


def test_lean_assets_drop_whole_comment_lines_only() -> None:
    script = (b"/* A file's note,\n   on two lines. */\n(function () {\n  // why\n\n"
              b'  var a = "/* not a comment */", b = "// nor this"; // kept: after code\n'
              b"  var re = /\\/\\*x/; /* kept: after code */\n"
              b"  /* dropped */\n  f(a, b, re);\n}());\n")
    assert lean_asset("a.js", script) == (b"(function () {\n"
                                          b'var a = "/* not a comment */", b = "// nor this"; // kept: after code\n'
                                          b"var re = /\\/\\*x/; /* kept: after code */\n"
                                          b"f(a, b, re);\n}());\n")
    # Lines that may sit inside a string or a comment: the file as it is.
    for unsure in (b"var t = `a\n/* in a string */\nb`;\n", b'var s = "a\\\n// in a string";\n',
                   b"f(); /* opened after code\n/* inside */ g();\n", b"/* a comment */ f();\n"):
        assert lean_asset("a.js", unsure) == unsure
    assert lean_asset("a.js", b"// see `name`\nf();\n") == b"f();\n"  # a backtick in a comment is no string
    # A style sheet has no // comments (a line may start with a protocol-relative address).
    assert lean_asset("a.css", b"/* note */\na {\n  b: url(\n//x.org/c.png);\n}\n") == (
        b"a {\nb: url(\n//x.org/c.png);\n}\n")
    assert lean_asset("a.svg", b"<!-- x -->\n  <svg/>\n") == b"<!-- x -->\n  <svg/>\n"


def test_images_are_lazy_and_sized(reference_site: Path) -> None:
    images = [img for page in html_files(reference_site) for img in parse(page).select("main .body img")]
    assert images
    for img in images:
        assert img.get("loading") == "lazy" and img.get("width") and img.get("height"), img


def test_pages_carry_sharing_metadata_and_plain_share_links(reference_site: Path) -> None:
    page = parse(reference_site / "energie-habitants" / "index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.find_all("meta")}
    assert meta["og:title"] == "Maîtriser ses charges d'énergie"
    assert meta["og:description"].startswith("Cinq semaines")
    assert meta["og:image"].startswith("https://mooc.habitat-social.example.org/")
    assert meta["og:url"] == "https://mooc.habitat-social.example.org/energie-habitants/index.html"
    assert meta["twitter:card"] == "summary" and meta["twitter:title"] == meta["og:title"]
    assert page.find("link", rel="license")["href"] == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    shares = [a["href"] for a in page.select("nav.share a")]
    assert [urlhost(h) for h in shares] == ["www.linkedin.com", "twitter.com", "www.facebook.com", "mailto"]
    assert all("mooc.habitat-social.example.org%2Fenergie-habitants" in h or
               "mooc.habitat-social.example.org/energie-habitants" in h.replace("%3A", ":") for h in shares)
    assert not [s for s in page.find_all("script") if s.get("src", "").startswith("http")]


def urlhost(href: str) -> str:
    return "mailto" if href.startswith("mailto:") else href.split("/")[2]


@pytest.mark.thorough
def test_reference_site_in_english_has_no_french_interface_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    for path in [content / "site.yml", *content.glob("courses/*/course.yml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    result = build(BuildOptions(content, tmp_path / "out", dt.date(2017, 11, 20)))
    assert result.ok
    french = load_catalogues(default_theme_dir() / "locales")["fr"]
    # Interface sentences only: course texts stay French. Placeholders are cut out.
    telltales = {re.split(r"\{\w+\}", t)[0].strip() for m, t in french.messages.items() if t != m}
    sources = " ".join(p.read_text(encoding="utf-8") for p in content.rglob("*") if p.suffix in (".md", ".yml"))
    telltales = {t for t in telltales if len(t) >= 12 and t not in sources}
    assert len(telltales) > 40
    checked = 0
    for page in html_files(tmp_path / "out"):
        text = page.read_text(encoding="utf-8")
        assert 'lang="en"' in text[:200]
        found = [t for t in telltales if t in text]
        assert found == [], f"{page}: {found}"
        checked += 1
    assert checked > 100


def test_check_warns_about_author_accessibility_gaps(minimal: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/01-intro/02-second.md", "Back to", "### Skipped\n\n![](../media/clip.svg)\n\nBack to")
    _site, report = check(minimal)
    messages = [str(w) for w in report.warnings]
    assert any(m.startswith("content/courses/demo/01-intro/02-second.md:4:1: heading level skipped") for m in messages)
    assert any(m.startswith("content/courses/demo/01-intro/02-second.md:6:1: the image") and "no text alternative"
               in m for m in messages)
