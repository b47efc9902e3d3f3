"""Search in a course, in the browser: accent-insensitive, from a static index loaded only when searching."""

from __future__ import annotations

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
    expect(page.locator(".search-status")).to_contain_text("séquence(s) trouvée(s)")
    assert len([u for u in requests if u.endswith("search/index.js")]) == 1
    results.first.locator("a").click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/index.html")
    page.go_back()
    page.fill("#search-query", "thermostat zzzzzz")
    page.click("form.search-form button[type=submit]")
    expect(page.locator(".search-status")).to_have_text("Aucune séquence ne contient tous ces mots.")
    assert page_errors == []
