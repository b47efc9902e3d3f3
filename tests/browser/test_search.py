"""Search in a course, in the browser: accent-insensitive, from a static index loaded only when searching."""

from __future__ import annotations

import re
import unicodedata

from playwright.sync_api import Page, expect

from mooc_builder.build import check

from ..conftest import REFERENCE


def test_search_finds_accented_words_typed_without_accents(page: Page, page_errors: list[str],
                                                           reference_base: str) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    course = site.courses[0]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(reference_base + course.page.file.as_posix())
    page.goto(reference_base + course.sequences[0].page.file.as_posix())
    assert not [u for u in requests if u.endswith("search/index.js")]  # ordinary pages never pull the index
    page.goto(reference_base + course.page.file.as_posix())
    page.fill("#course-search", "energie")
    page.click("form.search-form button[type=submit]")
    results = page.locator(".search-results li")
    expect(results.first).to_be_visible()
    assert results.count() >= 3
    texts = " ".join(results.all_inner_texts()).lower()
    assert "énergie" in texts
    expect(page.locator(".search-status")).to_have_text(f"{results.count()} séquences trouvées")
    assert len([u for u in requests if u.endswith("search/index.js")]) == 1
    results.first.locator("a").click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/index.html")
    page.go_back()
    page.fill("#search-query", "thermostat zzzzzz")
    page.click("form.search-form button[type=submit]")
    expect(page.locator(".search-status")).to_have_text("Aucune séquence trouvée")
    assert page_errors == []


def fold(text: str) -> str:
    """As search.js folds: no accents, lower case, œ and æ spelt out."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.lower().replace("œ", "oe").replace("æ", "ae")


def test_snippets_are_cut_between_words_with_the_terms_marked(page: Page, page_errors: list[str],
                                                              reference_served: str) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    course = site.courses[0]
    page.goto(reference_served + course.search_page.file.as_posix() + "?q=energie")
    results = page.locator(".search-results li")
    expect(results.first).to_be_visible()
    texts = {entry["t"]: entry["x"] for entry in page.evaluate("window.MoocSearchIndex.entries")}
    marked = 0
    for i in range(results.count()):
        result = results.nth(i)
        full = texts[result.locator("a").inner_text()]
        shown = result.locator("p").text_content() or ""
        body = shown.removeprefix("…").removesuffix("…")
        at = full.find(body)
        assert at >= 0, shown
        assert shown.startswith("…") == (at > 0) and shown.endswith("…") == (at + len(body) < len(full))
        assert at == 0 or full[at - 1].isspace(), f"starts mid-word: {shown[:40]!r}"
        assert at + len(body) == len(full) or full[at + len(body)].isspace(), f"ends mid-word: {shown[-40:]!r}"
        marks = result.locator("p mark").all_text_contents()
        assert all(fold(mark) == "energie" for mark in marks), marks  # the word typed, as the text spells it
        if "energie" in fold(full):  # else found in the title or the module's
            assert marks, shown
            marked += 1
    assert marked >= 3
    assert "énergie" in [m.lower() for m in page.locator(".search-results mark").all_text_contents()]
    assert page_errors == []


def test_the_count_is_worded_for_one_result(page: Page, reference_served: str) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    course = site.courses[0]
    haystacks = [fold(" ".join([s.title, m.title, *m.objectives, s.body_text])) for m in course.modules
                 for s in m.sequences]
    word = next(w for w in sorted({w for h in haystacks for w in re.findall(r"[a-z]{9,}", h)})
                if sum(w in h for h in haystacks) == 1)
    page.goto(reference_served + course.search_page.file.as_posix() + "?q=" + word)
    expect(page.locator(".search-status")).to_have_text("1 séquence trouvée")
    assert page.locator(".search-results li").count() == 1
