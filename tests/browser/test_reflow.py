"""Reflow (WCAG 1.4.10) and text resizing (WCAG 1.4.4) on every page type, in Chromium.

At 320 CSS px wide (a 1280 px window at 400 % zoom) and on a 360x640 phone, no page scrolls sideways and no
visible element or text sticks out past the right edge, except inside a box that scrolls by itself and says
so: a labelled region (role=region, a name, tabindex=0, so that a keyboard can scroll it) with a visible hint.
The pages are one of each type the build writes (tests/pagetypes.py, as the Nu HTML Checker reads them) and a
few sequences with more in them: a drawing, a table, documents, the presenter view.

Run with `-s` to see the widest page of each type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from ..pagetypes import bundle_pages, pick, site_pages, unpack_bundles

pytestmark = pytest.mark.browser

WIDTHS = [(320, 256), (360, 640)]  # 1280x1024 at 400 %, and a phone

# Every visible element and text of the page, measured: what passes the right edge of the window, unless it is
# inside a labelled region that scrolls by itself (and then the region must hold a visible hint).
OVERFLOW = r"""() => {
  const width = document.documentElement.clientWidth;
  const scroller = node => {
    for (let e = node.parentElement; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth) return e;
    }
    return null;
  };
  const labelled = e => e.getAttribute('role') === 'region' && e.getAttribute('tabindex') === '0'
    && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'));
  const name = e => `<${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}` +
    `${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}>`;
  const bad = [];
  const regions = new Set();
  const check = (node, box, element) => {
    if (box.right <= width + 0.5 || !box.width) return;
    const inside = scroller(node);
    if (inside && labelled(inside)) { regions.add(inside); return; }
    bad.push(`${name(element)} ${JSON.stringify((node.textContent || '').trim().slice(0, 40))} ends at ` +
             `${Math.round(box.right)} px` + (inside ? ` in ${name(inside)}, not a labelled region` : ''));
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.nodeType === 1 ? node : node.parentElement;
    if (!element.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const style = getComputedStyle(element);
    if (style.position === 'absolute' && style.clip !== 'auto') continue;  // visually hidden
    if (node.nodeType === 3) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) check(node, box, element);
    } else {
      check(node, element.getBoundingClientRect(), element);
    }
  }
  const hinted = r => {  // a visible hint just before the region, which describes the region
    const hint = r.previousElementSibling;
    return hint && hint.classList.contains('scroll-hint') && hint.checkVisibility() && hint.textContent.trim()
      && (r.getAttribute('aria-describedby') || '').split(' ').includes(hint.id);
  };
  const hints = [...regions].filter(r => !hinted(r));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth, bad: bad.slice(0, 8),
          count: bad.length, regions: regions.size, unhinted: hints.map(name)};
}"""


@pytest.fixture(scope="module")
def pages(reference_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One page of each type, on the site and in its unpacked bundles, and a few sequences that hold more."""
    unpacked = unpack_bundles(reference_site, tmp_path_factory.mktemp("reflow") / "bundles")
    found = {**site_pages(reference_site), **bundle_pages(unpacked)}
    found["sequence with a drawing"] = pick(reference_site, "*/*/*/index.html", "<p><img ")
    found["sequence with a table"] = pick(reference_site, "*/*/*/index.html", "<table")
    found["sequence with documents"] = pick(reference_site, "*/*/*/index.html", 'class="resources')
    return found


def url_of(page_file: Path, reference_site: Path, served: Callable[[Path], str], site_base: str) -> str:
    if page_file.is_relative_to(reference_site):
        return site_base + page_file.relative_to(reference_site).as_posix()
    return served(page_file)


def test_every_page_type_reflows_at_320_and_360_px(page: Page, pages: dict[str, Path], reference_site: Path,
                                                   reference_served: str, serve: Callable[[Path], str]) -> None:
    bundles: dict[Path, str] = {}

    def served(page_file: Path) -> str:
        folder = next(p for p in page_file.parents if p.parent.name.startswith("bundles"))
        if folder not in bundles:
            bundles[folder] = serve(folder.parent)
        return bundles[folder] + page_file.relative_to(folder.parent).as_posix()

    targets = [(kind, url_of(path, reference_site, served, reference_served)) for kind, path in pages.items()]
    targets.append(("presenter view", url_of(pages["projector view of a sequence"], reference_site, served,
                                             reference_served) + "#presenter"))
    failures: list[str] = []
    widest: dict[str, int] = {}
    regions = 0
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for kind, url in targets:
            page.goto(url)
            page.wait_for_load_state("load")
            found: dict[str, Any] = page.evaluate(OVERFLOW)
            widest[kind] = max(widest.get(kind, 0), found["scrollWidth"] - width)
            regions += found["regions"]
            if found["scrollWidth"] > found["innerWidth"]:
                failures.append(f"{kind} at {width} px: the page is {found['scrollWidth']} px wide")
            if found["count"]:
                failures.append(f"{kind} at {width} px: {found['count']} boxes past the edge: "
                                + "; ".join(found["bad"]))
            if found["unhinted"]:
                failures.append(f"{kind} at {width} px: a scrolling region without a hint: {found['unhinted']}")
    print(f"\nreflow: {len(targets)} page types at {', '.join(f'{w}x{h}' for w, h in WIDTHS)}; "
          f"{regions} scrolling regions met")
    for kind, extra in sorted(widest.items(), key=lambda item: -item[1]):
        print(f"  {kind}: {extra:+d} px past the window" if extra else f"  {kind}: fits")
    assert failures == [], "\n".join(failures)


# The text a page zoom must enlarge: on each page, the first visible element of each kind.
TEXTS = ["main p", "h1", "h2", ".breadcrumb a", ".site-footer p", "main li", "summary", "button",
         "input[type=text]", "input[type=search]", "th", "td", "dt", "dd", "figcaption", "small"]
SIZES = r"""selectors => Object.fromEntries(selectors.map(selector => {
  const element = [...document.querySelectorAll(selector)].find(e => e.checkVisibility());
  return [selector, element ? parseFloat(getComputedStyle(element).fontSize) : null];
}))"""
WINDOW = (1280, 800)  # a laptop's window, in device pixels
ZOOM_PAGES = ["home", "course", "module", "sequence with a quiz", "sequence with a table", "progress", "licences",
              "search", "kit", "not found"]


def zoomed_sizes(page: Page, url: str, zoom: float) -> dict[str, float | None]:
    """The font sizes in device pixels of the page in the window at this page zoom.

    A browser's page zoom (Ctrl +) shrinks the layout viewport in CSS px by the zoom factor and multiplies the
    CSS px into device px by it: the page is laid out exactly as in a window 1/zoom as large at
    devicePixelRatio × zoom. Playwright's device_scale_factor alone is not a zoom (the layout stays the same),
    and setting the root's font-size from a script skips what the zoom changes (media queries, viewport units),
    so the test lays the page out at the window's size divided by the zoom and multiplies the computed sizes
    (CSS px) by the zoom."""
    page.set_viewport_size({"width": round(WINDOW[0] / zoom), "height": round(WINDOW[1] / zoom)})
    page.goto(url)
    sizes: dict[str, float | None] = page.evaluate(SIZES, TEXTS)
    return {selector: None if size is None else size * zoom for selector, size in sizes.items()}


def test_text_grows_as_much_as_the_page_zoom(page: Page, pages: dict[str, Path], reference_site: Path,
                                              reference_served: str) -> None:
    """WCAG 1.4.4: at 200 % zoom every text (body, headings, buttons, fields) is twice as large, within 2 %.
    A font size that depends on the window (a media query on the root's size, vw units, clamp()) fails."""
    failures, ratios = [], []
    for kind in ZOOM_PAGES:
        url = reference_served + pages[kind].relative_to(reference_site).as_posix()
        normal = zoomed_sizes(page, url, 1)
        double = zoomed_sizes(page, url, 2)
        for selector, size in normal.items():
            zoomed = double[selector]
            if size is None or zoomed is None:
                continue
            ratio = zoomed / size
            ratios.append(ratio)
            if abs(ratio - 2) > 0.04:
                failures.append(f"{kind}: {selector} grows {ratio:.2f}x ({size:.1f} to {zoomed:.1f} device px)")
    print(f"\npage zoom 200 % in a {WINDOW[0]}x{WINDOW[1]} window: {len(ratios)} texts on {len(ZOOM_PAGES)} pages "
          f"grow {min(ratios):.2f}x to {max(ratios):.2f}x")
    assert ratios and failures == [], "\n".join(failures)


def test_text_follows_the_browsers_text_size(page: Page, pages: dict[str, Path], reference_site: Path,
                                             reference_served: str) -> None:
    """The browser's own text size setting (Chrome's "Font size", here 16 px made 32 px through the DevTools
    protocol's Page.setFontSizes) doubles every text: no size is fixed in px or tied to the window."""
    page.set_viewport_size({"width": WINDOW[0], "height": WINDOW[1]})
    cdp = page.context.new_cdp_session(page)
    failures, ratios = [], []
    for kind in ZOOM_PAGES:
        url = reference_served + pages[kind].relative_to(reference_site).as_posix()
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        page.goto(url)
        normal: dict[str, float | None] = page.evaluate(SIZES, TEXTS)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        page.goto(url)
        double: dict[str, float | None] = page.evaluate(SIZES, TEXTS)
        for selector, size in normal.items():
            zoomed = double[selector]
            if size is None or zoomed is None:
                continue
            ratios.append(zoomed / size)
            if abs(zoomed / size - 2) > 0.04:
                failures.append(f"{kind}: {selector} grows {zoomed / size:.2f}x ({size:.1f} to {zoomed:.1f} px)")
    print(f"\ntext size 16 to 32 px: {len(ratios)} texts grow {min(ratios):.2f}x to {max(ratios):.2f}x")
    assert ratios and failures == [], "\n".join(failures)


# A projector's window at 400 %: 1280x720 and 1024x768 zoomed 400 % are 320x180 and 256x192 CSS px.
SHORT = [(320, 180), (256, 192)]
BAR_CONTROLS = [".present-prev", ".present-next", ".present-black", ".present-full", ".present-presenter",
                ".present-exit"]
FOCUSED = """() => { const e = document.activeElement;
  return e && e.closest('.present-controls') ? [...e.classList].join(' ') : null; }"""


@pytest.mark.parametrize(("width", "height"), SHORT, ids=[f"{w}x{h}" for w, h in SHORT])
def test_the_projector_bar_stays_small_and_usable_at_400_percent(
        page: Page, page_errors: list[str], pages: dict[str, Path], reference_site: Path, reference_served: str,
        width: int, height: int) -> None:
    """The bar takes at most a quarter of the window's height, and every control of it is reached with Tab
    (through a disclosure if it is folded away) and has a name."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(reference_served + pages["projector view of a sequence"].relative_to(reference_site).as_posix())
    bar = page.locator(".present-controls")
    box = bar.bounding_box()
    assert box is not None
    share = box["height"] / height
    area = page.locator("main.slides").bounding_box()
    print(f"\nprojector bar at {width}x{height}: {box['height']:.0f} px, {share:.0%} of the height")
    assert share <= 0.25
    assert area is not None and area["height"] >= height * 0.7  # the slide keeps the rest
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
    # Tab from the slide through the bar: each control is met, opening the disclosure when it is met.
    page.locator("main").focus()
    met: set[str] = set()
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        met |= set(focused.split())
        if "present-menu" in focused and page.locator(".present-menu").get_attribute("aria-expanded") == "false":
            page.keyboard.press("Enter")
    missing = [c for c in BAR_CONTROLS if c[1:] not in met]
    assert missing == [], f"not reached with Tab: {missing}"
    for control in BAR_CONTROLS:
        name = page.locator(control).evaluate("e => (e.getAttribute('aria-label') || e.innerText || '').trim()")
        assert name, control
    # Opened, the menu's controls show inside the window, over the slide; Escape folds it back onto its button.
    menu = page.locator(".present-menu")
    if menu.is_visible():
        for control in BAR_CONTROLS:
            shown = page.locator(control).bounding_box()
            assert shown is not None and shown["y"] >= 0 and shown["y"] + shown["height"] <= height + 0.5, control
        page.locator(".present-black").focus()
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('present-menu')")
    assert page_errors == []


def test_the_progress_table_shows_every_column_on_a_phone(page: Page, pages: dict[str, Path],
                                                          reference_site: Path, reference_served: str) -> None:
    """At 360 px the progress table's rows are blocks: each cell, the score too, is inside the window, not
    scrolled out of its region, and says which column it is."""
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(reference_served + pages["progress"].relative_to(reference_site).as_posix())
    cells: list[dict[str, Any]] = page.evaluate("""() => [...document.querySelectorAll(
        '.progress-table td.cell-score:not(:empty), .progress-table td.cell-seen')].map(cell => {
      const box = cell.getBoundingClientRect(), wrap = cell.closest('.table-wrap').getBoundingClientRect();
      return {right: box.right, visible: box.right <= Math.min(innerWidth, wrap.right) + 0.5 && box.width > 0,
              label: getComputedStyle(cell, '::before').content};
    })""")
    assert cells and all(cell["visible"] for cell in cells), [c["right"] for c in cells if not c["visible"]]
    assert all("Score" in c["label"] or "Vue" in c["label"] for c in cells), {c["label"] for c in cells}


def test_a_scrolling_table_says_so_while_it_overflows(page: Page, pages: dict[str, Path], reference_site: Path,
                                                      reference_served: str) -> None:
    """The licences page's tables scroll in their regions at 320 px, each under a visible hint in the page's
    language that describes the region; when the window is wide enough for them the hints go."""
    page.set_viewport_size({"width": 320, "height": 256})
    page.goto(reference_served + pages["licences"].relative_to(reference_site).as_posix())
    wide = page.locator(".table-wrap[role=region]").evaluate_all(
        "regions => regions.filter(r => r.scrollWidth > r.clientWidth).length")
    hints = page.locator(".scroll-hint:visible")
    assert wide > 0 and hints.count() == wide
    assert hints.first.inner_text().startswith("Faites défiler le tableau horizontalement")
    described = hints.first.evaluate("h => h.nextElementSibling.getAttribute('aria-describedby')")
    assert described == hints.first.get_attribute("id")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_function("""() => [...document.querySelectorAll('.table-wrap[role=region]')]
        .every(r => r.scrollWidth <= r.clientWidth)""")
    page.wait_for_function("!document.querySelector('.scroll-hint:not([hidden])')")
    assert page.locator(".table-wrap[aria-describedby]").count() == 0
