"""Text an author (or anyone who edits the content) writes never changes how a page's scripts are read: JSON in
a page escapes '<', '>', '&', U+2028 and U+2029, whatever field it comes from (issue 20: '<!--<script>' in
any field that reaches the JSON-LD blanked the course page and every sequence page in Chromium).

Pages are read with html5lib, which tokenizes as the HTML standard says (browsers do too), script-data
escape states included: a parser that treats a script's text as plain text would not see the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mooc_builder.build import BuildOptions, build
from mooc_builder.render.formatting import script_json

from .conftest import FIXTURES

DEMO = "courses/demo"
# What could end a script element early, or make the parser read on past its end, or end a line in an old
# browser's script, written where authors write titles.
PAYLOADS = ["<!--<script>", "</script><script>alert(1)</script>", "<!-- x --><script>", "a\u2028b\u2029c",
            "]]><![CDATA[", "<\\/script>", "&lt;&amp;&#x3c;", "</SCRIPT >", "<!--"]


def put(content: Path, payload: str) -> None:
    """The payload in every text field an author writes: the site's, the course's, a module's, a sequence's
    (and its body), a video's, a resource's, a quiz's and its questions'."""
    quoted = json.dumps(payload)  # a JSON string is a YAML double-quoted scalar
    edits = {
        "site.yml": [('title: "Demo site"', f"title: {quoted}"),
                     ('description: "A small tree for the tests"', f"description: {quoted}"),
                     ('name: "Org"', f"name: {quoted}"), ('attribution: "Org"', f"attribution: {quoted}"),
                     ('name: "Funder"', f"name: {quoted}")],
        f"{DEMO}/course.yml": [('title: "Demo course"', f"title: {quoted}"),
                               ('audience: "Habitants"', f"audience: {quoted}"),
                               ('summary: "A *short* course."', f"summary: {quoted}"),
                               ('referent: "Office Demo"', f"referent: {quoted}"),
                               ('role: "Comédien", name: "Jean Dupont"', f"role: {quoted}, name: {quoted}")],
        f"{DEMO}/01-intro/module.yml": [('title: "Introduction"', f"title: {quoted}"),
                                        ('"Lire une facture"', quoted),
                                        ('"Qu\'est-ce qui vous surprend dans votre facture ?"', quoted)],
        f"{DEMO}/01-intro/01-first.md": [('title: "First sequence"', f"title: {quoted}"),
                                         ('title: "A clip"', f"title: {quoted}"),
                                         ('title: "Fiche"', f"title: {quoted}"),
                                         ('attribution: "Someone else"', f"attribution: {quoted}"),
                                         ('discussion: "Et vous ?"', f"discussion: {quoted}"),
                                         ("## A section", "## A section\n\n" + payload.replace("\n", " "))],
        f"{DEMO}/01-intro/first.quiz.yml": [('title: "Quiz : intro"', f"title: {quoted}"),
                                            ('prompt: "Which one?"', f"prompt: {quoted}"),
                                            ('feedback: "Yes"', f"feedback: {quoted}"),
                                            ('explanation: "Because."', f"explanation: {quoted}"),
                                            ('answers: ["19", "dix-neuf"]', f"answers: [{quoted}]")],
    }
    for rel, pairs in edits.items():
        path = content / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")


def scripts(page: Path) -> list[tuple[str, str, str]]:
    """(type, id, src) of each script element, as a browser's parser finds them, its JSON checked."""
    document = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in document.iter("script"):
        kind = element.get("type", "")
        if kind in ("application/json", "application/ld+json"):
            json.loads(element.text or "")  # raises if the text was cut or is not JSON
        found.append((kind, element.get("id", ""), element.get("src", "")))
    return found


def built(tmp_path: Path, name: str, payload: str | None) -> Path:
    content = tmp_path / name
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    if payload is not None:
        put(content, payload)
    out = tmp_path / f"{name}-site"
    result = build(BuildOptions(content, out, dt.date(2017, 11, 20), jobs=1))
    assert result.ok, [str(d) for d in result.report.errors]
    return out


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("plain"), "content", None)


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if ".mooc-cache" not in p.parts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_field_changes_what_a_page_runs(tmp_path: Path, plain: Path, payload: str) -> None:
    site = built(tmp_path, "content", payload)
    assert pages(site) == pages(plain)
    for name in pages(site):
        assert scripts(site / name) == scripts(plain / name), name
    for raw in ("\u2028", "\u2029"):  # an old phone's browser would end the script's line there
        assert raw not in (site / "demo/search/index.js").read_text(encoding="utf-8")


# Text as anyone may write it: bits of HTML, comments, script tags, CDATA, entities, template syntax,
# quotes and backslashes, invisible and line-ending characters, letters of any script.
FRAGMENTS = ["<", ">", "&", "</", "<!--", "-->", "<script>", "</script>", "<![CDATA[", "]]>", "&amp;", "&#",
             "{{", "}}", "{%", "\\", '"', "'", "`", "\u2028", "\u2029", "\u0085", "\r", "\t", "\x07", "é",
             "\U0001F600", "*", "_", "[", "](", "#", "|"]
TEXTS = st.lists(st.sampled_from(FRAGMENTS) | st.text(st.characters(exclude_categories=("Cs",)), max_size=4),
                 max_size=10).map(lambda parts: "x" + "".join(parts))


@pytest.mark.thorough
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXTS)
def test_random_text_in_every_field_never_breaks_a_page(tmp_path_factory: pytest.TempPathFactory, plain: Path,
                                                        text: str) -> None:
    """Property: whatever text fills every field, each page has the scripts it has without it, and each JSON
    it holds parses (or the text is refused by `mooc check`, positioned: then nothing is built)."""
    tmp = tmp_path_factory.mktemp("random")
    content = tmp / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    put(content, text)
    out = tmp / "site"
    result = build(BuildOptions(content, out, dt.date(2017, 11, 20), jobs=1))
    if not result.ok:
        assert result.report.errors and all(d.pos.line for d in result.report.errors), result.report.errors
        assert not out.exists()
        return
    for name in pages(out):
        assert scripts(out / name) == scripts(plain / name), name
    index = (out / "demo/search/index.js").read_text(encoding="utf-8")
    assert "\u2028" not in index and "\u2029" not in index
    json.loads(index.removeprefix("window.MoocSearchIndex = ").removesuffix(";\n"))


def test_the_json_ld_keeps_the_text_as_written(tmp_path: Path) -> None:
    site = built(tmp_path, "content", "<!--<script>")
    document = html5lib.parse((site / "demo/index.html").read_bytes(), treebuilder="etree",
                              namespaceHTMLElements=False)
    data: list[dict[str, Any]] = [json.loads(e.text or "") for e in document.iter("script")
                                  if e.get("type") == "application/ld+json"]
    assert any(d.get("audience", {}).get("audienceType") == "<!--<script>" for d in data), data


def test_json_for_pages_escapes_what_a_page_would_read_otherwise() -> None:
    text = script_json({"t": "</script><!--<script>&\u2028\u2029'\""})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"t": "</script><!--<script>&\u2028\u2029'\""}
    with pytest.raises(ValueError):  # JSON has no infinity: the loader bounds every number first
        script_json({"answer": float("inf")})


def test_the_calendar_holds_no_control_character(tmp_path: Path) -> None:
    """RFC 5545 allows none in a TEXT value (a bare carriage return from a title went through)."""
    from icalendar import Calendar

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    course = content / DEMO / "course.yml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace('title: "Demo course"', 'title: "Demo\\rcourse\\u0007 \\t!"'), encoding="utf-8")
    out = tmp_path / "site"
    assert build(BuildOptions(content, out, dt.date(2017, 11, 20), jobs=1)).ok
    data = (out / "demo/calendar.ics").read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\r(?!\n)", data.replace(b"\r\n", b"")), data[:300]
    calendar = Calendar.from_ical(data)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries and all(s.startswith("Demo\ncourse \t! – ") for s in summaries), summaries
