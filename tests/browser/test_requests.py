"""Pages load nothing from another host, and nothing missing, served or from file://."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, Response

from mooc_builder.build import check

from ..conftest import REFERENCE


def page_types() -> list[str]:
    site, _ = check(REFERENCE)
    assert site is not None
    course = site.courses[0]
    external = next(s for c in site.courses for s in c.sequences if any(not v.is_local for v in s.videos))
    quizzed = next(s for s in course.sequences if s.quiz is not None)
    video = next(s for s in course.sequences if any(v.is_local for v in s.videos))
    pages = [course.page, course.modules[0].page, quizzed.page, video.page, external.page, course.progress_page,
             course.certificate_page, course.credits_page, course.kit_page]
    return ["index.html", "404.html", *(p.file.as_posix() for p in pages)]


def test_no_request_leaves_the_site_and_none_fails(page: Page, reference_base: str) -> None:
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def failed(response: Response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    page.on("response", failed)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    local = urlsplit(reference_base)
    for path in page_types():
        page.goto(reference_base + path)
        page.wait_for_load_state("networkidle")
        for button in page.locator("video").all():  # start a local video: still nothing from elsewhere
            button.evaluate("v => v.play().catch(() => {})")
    foreign = [u for u in requests if urlsplit(u).scheme not in ("file", "data", "blob")
               and urlsplit(u).netloc != local.netloc]
    assert foreign == []
    assert failures == []
    assert len(requests) > 10


def test_external_video_is_only_a_link_until_clicked(page: Page, reference_served: str) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    sequence = next(s for c in site.courses for s in c.sequences if any(not v.is_local for v in s.videos))
    hosts: set[str] = set()

    def record(request: Request) -> None:
        hosts.add(urlsplit(request.url).netloc)

    page.on("request", record)
    page.goto(reference_served + sequence.page.file.as_posix())
    page.wait_for_load_state("networkidle")
    card = page.locator(".video-external").first
    assert "connexion à Internet" in (card.text_content() or "")
    assert page.locator("iframe").count() == 0
    assert hosts == {urlsplit(reference_served).netloc}


def test_captions_are_shown_served_and_from_file(page: Page, reference_base: str) -> None:
    site, _ = check(REFERENCE)
    assert site is not None
    sequence = next(s for s in site.courses[0].sequences if any(v.is_local and v.captions for v in s.videos))
    page.goto(reference_base + sequence.page.file.as_posix())
    page.wait_for_function("""() => {
        const tracks = document.querySelector('video').textTracks;
        return tracks.length > 0 && tracks[0].mode === 'showing' && tracks[0].cues && tracks[0].cues.length > 0;
    }""", timeout=10_000)
    first_cue = page.evaluate("document.querySelector('video').textTracks[0].cues[0].text")
    vtt = sequence.videos[0].captions[0].file.source.read_text(encoding="utf-8")
    assert first_cue.splitlines()[0] in vtt
