"""Chromium picks the photo's copy a screen needs (model/pictures.py, media/pictures.py): on a 360-px phone a
small WebP, on a 1280-px laptop a larger one, never the 2400-px original; from a server and from file://; and
the picture takes its place before it loads (width and height)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ..conftest import FIXTURES
from ..test_pictures import PAGE, with_photo
from .conftest import build_site

pytestmark = pytest.mark.browser

# What the <img> shows once loaded: the copy the browser took, its pixels, and the box the page gave it.
SHOWN = """img => new Promise(done => {
  const tell = () => done({src: img.currentSrc, natural: img.naturalWidth, box: img.getBoundingClientRect().width,
                           ratio: img.getBoundingClientRect().height / img.getBoundingClientRect().width});
  img.scrollIntoView();
  if (img.complete && img.naturalWidth) tell(); else img.addEventListener('load', tell, {once: true});
})"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photo")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    with_photo(content)
    return build_site(content, folder / "site")


def shown(browser: Browser, url: str, width: int) -> dict[str, object]:
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(url)
        before = page.eval_on_selector("picture img", "img => img.getBoundingClientRect().height")
        result: dict[str, object] = page.eval_on_selector("picture img", SHOWN)
        result["before"] = before
        return result
    finally:
        context.close()


@pytest.mark.parametrize("where", ["http", "file"])
def test_a_phone_takes_a_small_webp_and_a_laptop_a_larger_one(browser: Browser, photo_site: Path,
                                                               serve: Callable[[Path], str], where: str) -> None:
    base = serve(photo_site) if where == "http" else photo_site.as_uri() + "/"
    url = base + PAGE.as_posix()
    phone = shown(browser, url, 360)
    assert re.search(r"/mooc-sizes/photo\.jpg\.(320|640)w\.webp$", str(phone["src"])), phone
    laptop = shown(browser, url, 1280)
    assert re.search(r"/mooc-sizes/photo\.jpg\.(960|1280|1920)w\.webp$", str(laptop["src"])), laptop
    assert int(str(laptop["natural"])) > int(str(phone["natural"])) > 0
    for seen in (phone, laptop):
        # its place kept before any byte of it came (width and height), at the photo's shape
        assert float(str(seen["before"])) > 100
        assert abs(float(str(seen["ratio"])) - 1600 / 2400) < 0.01


def test_a_browser_without_webp_would_take_the_jpeg_copies(browser: Browser, tmp_path: Path) -> None:
    """The <img>'s own srcset, for a browser that skips the WebP <source>: the same choice in JPEG (Chromium reads
    WebP, so the <source> is taken away here to see what the others get)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    with_photo(content)
    site = build_site(content, tmp_path / "site")
    page_file = site / PAGE
    page_file.write_text(re.sub(r'<source type="image/webp"[^>]*>', "", page_file.read_text(encoding="utf-8")),
                         encoding="utf-8")
    phone = shown(browser, page_file.as_uri(), 360)
    assert re.search(r"/mooc-sizes/photo\.jpg\.(320|640)w\.jpg$", str(phone["src"])), phone
