"""axe-core (from the npm registry) on every page type of the reference site, in Chromium: WCAG 2.1 AA."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from mooc_builder.build import check

from ..conftest import REFERENCE, ROOT
from .quizhelp import submit

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def page_types() -> list[tuple[str, str]]:
    site, _ = check(REFERENCE)
    assert site is not None
    course = site.courses[0]
    module = course.modules[0]
    quizzed = next(s for s in course.sequences if s.quiz is not None and s.videos)
    chaptered = next(s for c in site.courses for s in c.sequences if any(v.chapter_cues for v in s.videos))
    asking = [(f"sequence with a {kind} question", next(
        s for c in site.courses for s in c.sequences if s.quiz and s.quiz.asks(kind)).page.file.as_posix())
        for kind in ("matching", "ordering", "cloze", "hotspot")]
    return [*asking,
        ("catalogue", "index.html"),
        ("course", course.page.file.as_posix()),
        ("module", module.page.file.as_posix()),
        ("sequence with video and quiz", quizzed.page.file.as_posix()),
        ("progress", course.progress_page.file.as_posix()),
        ("certificate", course.certificate_page.file.as_posix()),
        ("licences and credits", course.credits_page.file.as_posix()),
        ("kit", course.kit_page.file.as_posix()),
        ("search", course.search_page.file.as_posix() + "?q=energie"),
        ("404", "404.html"),
        ("projector (sequence)", quizzed.present_page.file.as_posix()),
        ("projector (module)", module.present_page.file.as_posix()),
        ("presenter view", quizzed.present_page.file.as_posix() + "#presenter"),
        ("embed (sequence)", quizzed.embed_page.file.as_posix()),
        ("embed (quiz)", quizzed.quiz_embed_page.file.as_posix()),
        ("sequence with chapters and audio description", chaptered.page.file.as_posix()),
        ("projector with chapters", chaptered.present_page.file.as_posix()),
    ]


def axe(page: Page) -> dict[str, list[dict[str, object]]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, list[dict[str, object]]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return result


def describe(violations: list[dict[str, object]]) -> list[str]:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes") or []
        targets = [str(n.get("target")) for n in nodes[:3]] if isinstance(nodes, list) else []
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} at {targets}")
    return lines


def test_axe_finds_no_violation_on_any_page_type(page: Page, reference_served: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs axe-core from the npm registry")
    failures: dict[str, list[str]] = {}
    rules: set[str] = set()
    pages = page_types()
    for name, path in pages:
        page.goto(reference_served + path)
        page.wait_for_load_state("networkidle")
        if name == "sequence with video and quiz" or name.endswith(" question"):
            submit(page)  # the scored state too
        if name == "sequence with chapters and audio description":
            page.locator(".video-description-toggle").click()  # the pressed state, and a description written
            page.evaluate("document.querySelector('.video-description-text').textContent = 'Sophie'")
        result = axe(page)
        for kind in ("violations", "passes", "incomplete", "inapplicable"):
            rules |= {str(r["id"]) for r in result.get(kind, [])}
        if result["violations"]:
            failures[name] = describe(result["violations"])
    print(f"\naxe-core {axe_version()}: {len(pages)} page types, {len(rules)} rules checked ({', '.join(TAGS)})")
    assert failures == {}


def axe_version() -> str:
    import json

    return str(json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"])


def test_axe_on_the_english_interface_and_a_dark_corner(page: Page, reference_site: Path) -> None:
    """The same checks from file://, on the progress page after a reset dialog and with no storage."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`")
    site, _ = check(REFERENCE)
    assert site is not None
    page.goto(reference_site.as_uri() + "/" + site.courses[0].progress_page.file.as_posix())
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.progress-reset")
    assert axe(page)["violations"] == []
