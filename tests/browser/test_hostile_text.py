"""Text that could break a page, in Chromium itself (issue 20): '<!--<script>' in a field that reaches the JSON-LD
blanked the course page and every sequence page, and a heading whose anchor was `mooc-quiz` took the id of the
quiz's data element, so that the quiz never started, both without a word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from ..conftest import FIXTURES
from .conftest import build_site
from .quizhelp import submit

DEMO = "courses/demo"


def hostile_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    course = content / DEMO / "course.yml"
    payload = json.dumps("<!--<script>")
    course.write_text(course.read_text(encoding="utf-8").replace('audience: "Habitants"', f"audience: {payload}"),
                      encoding="utf-8")
    first = content / DEMO / "01-intro/01-first.md"
    text = first.read_text(encoding="utf-8").replace('title: "First sequence"', f"title: {payload}")
    first.write_text(text.replace("## A section", "## A section\n\n## Mooc quiz\n\n## Mooc page\n\n## Quiz"),
                     encoding="utf-8")
    return build_site(content, tmp_path / "site")


def test_hostile_text_leaves_pages_whole_and_the_quiz_working(page: Page, page_errors: list[str],
                                                              tmp_path: Path) -> None:
    site = hostile_site(tmp_path)
    page.goto((site / "demo/index.html").as_uri())
    expect(page.locator("main h1")).to_have_text("Demo course")
    expect(page.locator("main")).to_contain_text("Introduction")  # the module list, after the JSON-LD
    page.goto((site / "demo/intro/first/index.html").as_uri())
    expect(page.locator("main h1")).to_have_text("<!--<script>")
    assert page.evaluate("document.querySelectorAll('#mooc-quiz').length") == 1
    assert page.evaluate("document.getElementById('mooc-quiz').tagName") == "SCRIPT"
    page.check("#q1 input[type=radio] >> nth=0")
    submit(page)
    expect(page.locator(".quiz-result")).to_contain_text("Votre score")
    assert page_errors == []
