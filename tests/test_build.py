"""Building a site: every page type, links that work from file://, determinism, atomic swap."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mooc_builder.build import BuildOptions, build
from mooc_builder.cli import cli
from mooc_builder.render.links import relative, site_relpath
from mooc_builder.render.renderer import ThemeError
from mooc_builder.write.files import MARKER, WriteError

from .sitecheck import html_files, links, local_target, parse, tree_digest

AS_OF = dt.date(2017, 11, 20)


def make(content: Path, output: Path, as_of: dt.date = AS_OF) -> None:
    result = build(BuildOptions(content, output, as_of))
    assert result.ok, [str(d) for d in result.report.errors]


@pytest.fixture
def site(minimal: Path, tmp_path: Path) -> Path:
    make(minimal, tmp_path / "site")
    return tmp_path / "site"


def text_of(element: object) -> str:
    return " ".join(str(element.get_text(" ")).split())


# --- page types -------------------------------------------------------------------------------

def test_catalogue_lists_courses_with_audience_effort_session_and_funders(site: Path) -> None:
    page = parse(site / "index.html")
    assert page.html is not None and page.html["lang"] == "fr"
    assert [text_of(h) for h in page.find_all("h1")] == ["Demo site"]
    cards = page.select(".card")
    assert len(cards) == 1
    card = cards[0]
    link = card.find("a")
    assert link is not None and link["href"] == "demo/index.html"
    assert "Habitants" in text_of(card)
    assert "15 min par semaine pendant 2 semaines" in text_of(card)
    assert "Du 14 novembre 2017 au 31 janvier 2018" in text_of(card)
    assert "Inscriptions ouvertes jusqu'au 26 décembre 2017" in text_of(card)
    assert "Funder" in text_of(page.find("footer"))
    assert "Avec le soutien de Funder" in text_of(card)
    assert page.find("a", class_="skip-link")["href"] == "#content"
    assert page.find("main", id="content") is not None


@pytest.mark.parametrize(("as_of", "wording"), [
    (dt.date(2017, 12, 26), "Inscriptions ouvertes jusqu'au 26 décembre 2017"),
    (dt.date(2017, 12, 27), "Inscriptions closes"),
    (dt.date(2018, 2, 1), "Session terminée : le cours reste en accès libre"),
])
def test_enrolment_wording_follows_the_build_date(minimal: Path, tmp_path: Path, as_of: dt.date,
                                                  wording: str) -> None:
    make(minimal, tmp_path / "out", as_of)
    assert wording in text_of(parse(tmp_path / "out" / "index.html").select_one(".session"))


def test_course_page_shows_modules_by_week_and_course_facts(site: Path) -> None:
    page = parse(site / "demo" / "index.html")
    assert [text_of(h) for h in page.find_all("h1")] == ["Demo course"]
    weeks = page.select("section.week")
    assert [text_of(w.find("h3")) for w in weeks] == ["Semaine 1 (6 min)", "Semaine 2 (1 min)"]
    first = weeks[0]
    assert [text_of(li) for li in first.select("ul li")] == ["Lire une facture", "Comprendre les charges"]
    assert [a["href"] for a in first.select(".sequence-list a")] == ["intro/first/index.html",
                                                                     "intro/second/index.html"]
    facts = text_of(page.select_one("dl.facts"))
    assert "Office Demo" in facts and "30 %" in facts and "pas un diplôme" in facts
    assert page.find("a", href="https://forum.example.org/c/demo") is not None
    assert "Jean Dupont" in text_of(page.select_one("dl.credits"))
    licence = page.select_one("footer .rights a[rel=license]")
    assert licence is not None and licence["href"] == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert page.find("a", href="https://example.org/enrol") is not None


def test_module_page(site: Path) -> None:
    page = parse(site / "demo" / "intro" / "index.html")
    assert [text_of(h) for h in page.find_all("h1")] == ["Introduction"]
    assert [text_of(a) for a in page.select(".sequence-list a")] == ["First sequence", "Second sequence"]
    assert "Qu'est-ce qui vous surprend" in text_of(page.select_one(".discussion"))
    crumbs = [a["href"] for a in page.select(".breadcrumb a")]
    assert crumbs == ["../../index.html", "../index.html", "index.html"]


def test_sequence_page_has_videos_body_resources_quiz_discussion_and_pager(site: Path) -> None:
    page = parse(site / "demo" / "intro" / "first" / "index.html")
    assert [text_of(h) for h in page.find_all("h1")] == ["First sequence"]
    video = page.find("video")
    assert video is not None and video["preload"] in ("none", "metadata")
    assert video.find("source")["src"] == "../../media/clip.mp4"
    track = video.find("track")
    assert track["kind"] == "captions" and track["srclang"] == "fr" and track["src"] == "../../media/clip.fr.vtt"
    assert "Sophie" in text_of(page.select_one("details.transcript"))
    external = page.select_one(".video-external a")
    assert external["href"] == "https://www.youtube.com/watch?v=abc"
    assert page.find("iframe") is None  # nothing from another host is loaded
    body = page.select_one(".body")
    assert body.find("a", string="link to the next one")["href"] == "../second/index.html"
    image = body.find("img")
    assert image["src"] == "../../media/clip.svg" and image["alt"] == "Un schéma" and image["loading"] == "lazy"
    assert body.find("table") is not None
    resource = page.select_one(".resources li")
    assert resource.find("a")["href"] == "../../media/sheet.pdf"
    assert "Someone else" in text_of(resource) and "CC BY 4.0" in text_of(resource)
    quiz = page.select_one("form.quiz")
    assert len(quiz.select("fieldset.question")) == 9
    assert all(q.find("details") is not None for q in quiz.select("fieldset.question"))
    assert "Et vous ?" in text_of(page.select_one(".discussion"))
    assert page.find("a", rel="next")["href"] == "../second/index.html"
    assert page.find("a", rel="prev") is None


def test_sequence_links_cross_modules_and_keep_fragments(site: Path) -> None:
    page = parse(site / "demo" / "intro" / "second" / "index.html")
    hrefs = [a["href"] for a in page.select(".body a")]
    assert hrefs == ["../first/index.html#a-section", "../../suite/third/index.html"]
    assert page.find("a", rel="next")["href"] == "../../suite/third/index.html"


def test_a_leading_title_heading_is_not_a_second_h1(site: Path) -> None:
    page = parse(site / "demo" / "suite" / "third" / "index.html")
    assert [text_of(h) for h in page.find_all("h1")] == ["Third sequence"]


def test_module_licence_overrides_the_site_licence(site: Path) -> None:
    page = parse(site / "demo" / "suite" / "third" / "index.html")
    rights = text_of(page.select_one("footer .rights"))
    assert "Partage dans les Mêmes Conditions" in rights and "Module author" in rights


def test_credits_page_lists_every_file_with_licence_and_credit(site: Path) -> None:
    page = parse(site / "demo" / "licences" / "index.html")
    rows = [[text_of(td) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    files = {row[1] for row in rows}
    assert {"clip.mp4", "clip.fr.vtt", "clip.fr.md", "clip.svg", "sheet.pdf"} <= files
    sheet = next(row for row in rows if row[1] == "sheet.pdf")
    assert sheet[2:] == ["CC BY 4.0", "Someone else"]
    third = next(row for row in rows if "Third sequence" in row[0])
    assert third[2:] == ["CC BY-SA 4.0", "Module author"]
    used = [text_of(dt_) for dt_ in page.select("dl.licences dt")]
    assert len(used) == 3


def test_not_found_page(site: Path) -> None:
    page = parse(site / "404.html")
    assert [text_of(h) for h in page.find_all("h1")] == ["Page introuvable"]
    assert page.find("a", string="Retour à tous les cours")["href"] == "index.html"


def test_english_interface(minimal: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]) -> None:
    edit(minimal / "site.yml", "language: fr", "language: en")
    edit(minimal / "courses/demo/course.yml", "language: fr", "language: en")
    make(minimal, tmp_path / "out")
    page = parse(tmp_path / "out" / "index.html")
    assert page.html["lang"] == "en"
    assert "Enrolment open until December 26, 2017" in text_of(page)
    assert "Skip to content" in text_of(page)


# --- links, safety, determinism -------------------------------------------------------------

def assert_links_resolve(site: Path) -> int:
    checked = 0
    for file in html_files(site):
        page = parse(file)
        for link in links(page):
            target = local_target(file, link)
            if target is None:
                assert link.startswith(("https://", "http://", "mailto:", "data:,")), (file, link)
                continue
            path, fragment = target
            assert path.is_file(), f"{file.relative_to(site)}: {link} -> missing {path}"
            assert path.resolve().is_relative_to(site.resolve()), (file, link)
            if fragment and path.suffix == ".html":
                assert parse(path).find(id=fragment) is not None, f"{file}: {link} -> no #{fragment}"
            checked += 1
    return checked


def test_every_link_resolves_to_a_file_in_the_site(site: Path) -> None:
    assert assert_links_resolve(site) > 50


def test_pretty_urls_drop_index_html(minimal: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]) -> None:
    edit(minimal / "site.yml", "language: fr", "language: fr\npretty_urls: true")
    make(minimal, tmp_path / "out")
    page = parse(tmp_path / "out" / "demo" / "intro" / "second" / "index.html")
    hrefs = [a["href"] for a in page.select(".body a")]
    assert hrefs == ["../first/#a-section", "../../suite/third/"]
    assert all("index.html" not in a["href"] for a in page.find_all("a"))
    assert_links_resolve(tmp_path / "out")


@pytest.mark.parametrize("pretty", [False, True])
def test_module_navigation_links_each_sequence_of_the_module(minimal: Path, tmp_path: Path, pretty: bool,
                                                              edit: Callable[[Path, str, str], None]) -> None:
    edit(minimal / "site.yml", "language: fr", f"language: fr\npretty_urls: {str(pretty).lower()}")
    make(minimal, tmp_path / "out")
    module = tmp_path / "out" / "demo" / "intro"
    pages = [module / "first" / "index.html", module / "second" / "index.html"]
    for page in pages:
        nav = parse(page).select(".module-nav a")
        targets = [(page.parent / a["href"]).resolve() for a in nav]
        assert [t / "index.html" if t.is_dir() else t for t in targets] == [p.resolve() for p in pages], page
        assert [a.get("aria-current") for a in nav] == ["page" if p == page else None for p in pages]


def test_content_is_escaped(minimal: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]) -> None:
    edit(minimal / "courses/demo/course.yml", 'title: "Demo course"', 'title: "<script>alert(1)</script> & co"')
    make(minimal, tmp_path / "out")
    page = parse(tmp_path / "out" / "demo" / "index.html")
    scripts = page.find_all("script", src=False)  # the theme's own files aside (table-scroll.js on every page)
    # The title opened no script: data only (the page's JSON-LD, the plan's course and messages).
    assert [s.get("type") for s in scripts] == ["application/ld+json", "application/json", "application/json"]
    assert all(s["src"].startswith("../assets/js/") for s in page.find_all("script", src=True))
    assert json.loads(scripts[0].string)["name"] == "<script>alert(1)</script> & co"
    assert text_of(page.find("h1")) == "<script>alert(1)</script> & co"


def test_two_builds_are_byte_identical(minimal: Path, tmp_path: Path) -> None:
    make(minimal, tmp_path / "a")
    make(minimal, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_only_referenced_media_are_published(site: Path) -> None:
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert "demo/media/clip.mp4" in published and "media/logo.svg" in published
    assert not any(p.endswith((".yml", ".md")) and "media" not in p for p in published)


# --- atomic output ----------------------------------------------------------------------------

def test_a_build_with_content_errors_leaves_the_previous_site_untouched(
        site: Path, minimal: Path, edit: Callable[[Path, str, str], None]) -> None:
    before = tree_digest(site)
    edit(minimal / "courses/demo/course.yml", 'title: "Demo course"', 'title: [broken')
    result = build(BuildOptions(minimal, site, AS_OF))
    assert not result.ok and result.report.errors
    assert tree_digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == []


def test_a_build_that_fails_while_writing_leaves_the_previous_site_untouched(
        site: Path, minimal: Path, tmp_path: Path) -> None:
    before = tree_digest(site)
    broken_theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent / "themes" / "default", broken_theme)
    (broken_theme / "templates" / "sequence.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ no_such_thing }}{% endblock %}")
    with pytest.raises(ThemeError, match=r"sequence\.html.*no_such_thing"):
        build(BuildOptions(minimal, site, AS_OF, theme=broken_theme))
    assert tree_digest(site) == before
    leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []


def test_a_rebuild_replaces_the_site_and_leaves_neighbours_alone(site: Path, minimal: Path) -> None:
    neighbour = site.parent / "keep.txt"
    neighbour.write_text("mine")
    (site / "stale.html").write_text("old page")
    make(minimal, site)
    assert not (site / "stale.html").exists()
    assert (site / MARKER).is_file()
    assert neighbour.read_text() == "mine"


@pytest.mark.parametrize("where", ["content", "content/courses", "."])
def test_output_may_not_overlap_the_content(minimal: Path, where: str) -> None:
    with pytest.raises(WriteError):
        build(BuildOptions(minimal, Path(where), AS_OF))
    assert (minimal / "site.yml").is_file()


def test_output_that_mooc_did_not_make_is_refused(minimal: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.odt").write_text("precious")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(minimal), "-o", str(foreign)])
    assert result.exit_code == 1
    assert "not made by mooc" in result.output
    assert (foreign / "thesis.odt").read_text() == "precious"


# --- command line -----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"]])
def test_help_explains_each_command(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "CONTENT_DIR" in result.output or "Commands" in result.output
    assert len(result.output.split()) > 30


def test_build_command_reports_what_it_wrote(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(minimal), "-o", str(tmp_path / "out"), "--as-of", "2017-11-20"])
    assert result.exit_code == 0, result.output
    assert "Built 24 pages (" in result.output and "3 download bundles" in result.output


def test_bad_as_of_date_is_a_usage_error(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(minimal), "--as-of", "20/11/2017"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


SITE_PATHS = [".", "a", "a/b", "a/b/c", "a/bc", "ab", "a/b/c/d", "x/b", "x/y/z", "index.html", "a/index.html",
              "a/b/index.html", "assets/js/quiz.js"]


@pytest.mark.parametrize("start", [p for p in SITE_PATHS if not p.endswith((".html", ".js"))])
def test_links_between_site_paths_are_those_of_posixpath(start: str) -> None:
    for path in SITE_PATHS:
        assert site_relpath(path, start) == posixpath.relpath(path, start), (path, start)


def test_pretty_links_end_in_a_folder() -> None:
    assert relative("a/b/index.html", "a/c", pretty=True, fragment="#top") == "../b/#top"
    assert relative("a/index.html", "a", pretty=True) == "./"
    assert relative("index.html", "a/b", pretty=False) == "../../index.html"


def test_a_file_name_with_spaces_accents_or_a_hash_is_a_link_to_the_whole_name() -> None:
    assert relative("demo/media/fiche à lire #1.pdf", "demo/intro/first", pretty=False) == \
        "../../media/fiche%20%C3%A0%20lire%20%231.pdf"
    assert relative("demo/media/100%.pdf", "demo", pretty=False, fragment="#page=2") == "media/100%25.pdf#page=2"



@pytest.mark.parametrize("heading", ["L'équipe de l'œuvre", "Coût : 10 € / m²", "Œuvre d’art", "3,5 pièces, 2 salles",
                                     "Straße & co", "Ça marche !", "« Citation » – fin", "x__y", "Пример", "&amp; co",
                                     "Plain English, 2,5 rooms", "e\u0301te\u0301 de\u0301compose\u0301",
                                     "naïve ﬁne café"])
def test_heading_anchors_are_those_of_slugify(heading: str) -> None:
    from slugify import slugify

    from mooc_builder.markdown.slug import slug

    assert slug(heading) == (slugify(heading) or "section")


def test_links_taking_the_short_cut_are_normalised_as_markdown_it_does() -> None:
    import random

    from markdown_it.common.normalize_url import normalizeLink

    from mooc_builder.markdown.parser import PLAIN_LINK, make_parser

    parser = make_parser(False)
    pieces = ["http://", "https://", "HTTPS://", "mailto:", "//", "../", "media/", "02-suite.md", "#x", "?a=b", "x:y",
              "Ex.COM", ":80", "@", "[::1]", "/#", "..", "./", "%41", "%zz", " ", "é", "\\"]
    alphabet = "abXY09-._~/#?=&:@!$'()*+,;%[] "
    draw = random.Random(9)
    short = 0
    for _ in range(40_000):
        url = "".join(draw.choice(pieces) if draw.random() < 0.35 else draw.choice(alphabet)
                      for _ in range(draw.randint(0, 14)))
        short += bool(PLAIN_LINK.match(url))
        assert parser.normalizeLink(url) == normalizeLink(url), url
    assert short > 5_000  # the short cut was tried, not only the full path
    assert parser.render("[a](media/fiche%201.pdf) [b](<https://ex.org/a b>)").count("%20") == 2


def test_headings_never_take_the_ids_the_page_s_scripts_use(minimal: Path, tmp_path: Path,
                                                            edit: Callable[[Path, str, str], None]) -> None:
    # A heading "Mooc quiz" took the id of the quiz's data element: quiz.js read the heading, and the quiz never
    # started. The page's ids are never a heading's (issue 20).
    headings = ["Mooc quiz", "Mooc page", "Quiz", "Quiz title", "Content", "Q1", "Q1 prompt", "Discussion title",
                "Resources title", "Embed code"]
    edit(minimal / "courses/demo/01-intro/01-first.md", "## A section",
         "".join(f"## {heading}\n\nTexte.\n\n" for heading in headings) + "## A section")
    make(minimal, tmp_path / "site")
    page = parse(tmp_path / "site" / "demo" / "intro" / "first" / "index.html")
    for data in ("mooc-page", "mooc-quiz"):
        found = page.find_all(id=data)
        assert [(element.name, element.get("type")) for element in found] == [("script", "application/json")]
    assert page.find(id="quiz").name == "form" and page.find(id="content").name == "main"
    assert [h["id"] for h in page.select(".body h2")][:3] == ["section-mooc-quiz", "section-mooc-page", "quiz-1"]
    for path in html_files(tmp_path / "site"):
        ids = [element["id"] for element in parse(path).find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
