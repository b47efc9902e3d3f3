"""A page of a week that has not opened yet, by the reader's own clock, shows a polite banner; nothing is hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from mooc_builder.build import check

from ..conftest import REFERENCE


@pytest.mark.parametrize(("clock", "shown"), [("2017-11-20T09:00:00", True), ("2017-11-28T08:00:00", False),
                                              ("2017-12-05T09:00:00", False)])
def test_banner_follows_the_readers_clock(page: Page, reference_base: str, clock: str, shown: bool) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    module = site.courses[0].modules[2]  # week 3: opens on 28 November 2017
    assert module.week == 3
    page.clock.set_fixed_time(dt.datetime.fromisoformat(clock))
    for path in (module.page.file, module.sequences[0].page.file):
        page.goto(reference_base + path.as_posix())
        banner = page.locator(".week-banner")
        if shown:
            expect(banner).to_be_visible()
            expect(banner).to_contain_text("Cette semaine ouvre le 28 novembre 2017")
        else:
            expect(banner).to_be_hidden()
        expect(page.locator("main h1")).to_be_visible()  # the content is there either way
