"""The kit in a download bundle, unpacked as a facilitator unpacks it: a start page, the projector views, a player
per video, a participants' sheet without answers and a facilitator's sheet with them, a session plan, and links
that stay in the folder (or go to the published site, or are plain text)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import Tag

from mooc_builder.build import Builder, BuildOptions, build, check
from mooc_builder.lang.catalogue import load_catalogues
from mooc_builder.model import Course, Module, Question, Sequence, Site, sessions
from mooc_builder.render.bundles import Member
from mooc_builder.render.theme import default_theme_dir
from mooc_builder.text import plain_text

from .conftest import REFERENCE
from .sitecheck import html_files, links, local_target, parse
from .test_build import AS_OF, make, site, text_of

__all__ = ["site"]  # the built minimal site, a fixture shared with test_build
FR = load_catalogues(default_theme_dir() / "locales")["fr"]
Edit = Callable[[Path, str, str], None]


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "site"
    assert build(BuildOptions(REFERENCE, out, AS_OF)).ok
    return out


@pytest.fixture(scope="module")
def model() -> Site:
    """The reference courses as the build publishes them."""
    site, _ = check(REFERENCE)
    assert site is not None
    return sessions.publish(site, AS_OF)


def unpack(archive: Path, target: Path) -> Path:
    """Unzip a bundle where a facilitator would; its folder."""
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    folder = target / archive.stem
    assert sorted(p.name for p in target.iterdir()) == [archive.stem]  # one folder, nothing beside it
    return folder


def bundles(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*/downloads/*.zip") if "scorm" not in p.name)


def name(sequence: Sequence) -> str:
    return f"{sequence.order:02d}-{sequence.id}"


def assert_links_stay_inside(folder: Path) -> int:
    """Every link of every page resolves to a file inside the unpacked folder (fragments to an id there); the
    others are addresses (a licence's, an external video's, the published site's)."""
    checked = 0
    for file in html_files(folder):
        for link in links(parse(file)):
            target = local_target(file, link)
            if target is None:
                assert link.startswith(("https://", "http://", "data:,")), (file, link)
                continue
            path, fragment = target
            assert path.resolve().is_relative_to(folder.resolve()), f"{file.relative_to(folder)}: {link} leaves"
            assert path.is_file(), f"{file.relative_to(folder)}: {link} -> missing {path}"
            if fragment and path.suffix == ".html":
                assert parse(path).find(id=fragment) is not None, f"{file}: {link} -> no #{fragment}"
            checked += 1
    return checked


# --- the unpacked bundle ----------------------------------------------------------------------------------

@pytest.mark.thorough
def test_every_link_of_every_unpacked_reference_bundle_stays_inside_it(reference_site: Path, model: Site,
                                                                       tmp_path: Path) -> None:
    found = bundles(reference_site)
    assert len(found) == sum(1 + len(c.modules) for c in model.courses)
    checked = 0
    for archive in found:
        folder = unpack(archive, tmp_path / archive.stem)
        course = next(c for c in model.courses if archive.parent.parent.name == c.id)
        modules = course.modules if archive.stem == course.id else [
            m for m in course.modules if archive.stem == f"{course.id}-{m.id}"]
        assert (folder / "index.html").is_file()
        for module in modules:
            assert (folder / module.id / "plan.html").is_file() and (folder / module.id / "projection.html").is_file()
            for sequence in module.sequences:
                for page in (f"{name(sequence)}.html", f"participants/{name(sequence)}.html",
                             f"projection/{name(sequence)}.html",
                             *(f"videos/{name(sequence)}-{n}.html" for n, v in enumerate(sequence.videos, 1)
                               if v.is_local)):
                    assert (folder / module.id / page).is_file(), (archive.name, page)
        checked += assert_links_stay_inside(folder)
    assert checked > 2500


def test_start_page_leads_to_each_sequence_in_order(reference_site: Path, model: Site, tmp_path: Path) -> None:
    course = model.courses[0]
    module = course.modules[0]
    folder = unpack(reference_site / course.id / "downloads" / f"{course.id}-{module.id}.zip", tmp_path)
    page = parse(folder / "index.html")
    assert page.html is not None and page.html["lang"] == "fr"
    assert text_of(page.find("h1")) == module.title
    assert "hors ligne" in text_of(page.find("main"))  # what the kit is, in the course's language
    section = page.find("section", id=f"mooc-module-{module.id}")
    assert isinstance(section, Tag)
    hrefs = [a["href"] for a in section.find_all("a")]
    assert hrefs[:2] == [f"{module.id}/plan.html", f"{module.id}/projection.html"]
    items = section.select("li.kit-sequence")
    assert [text_of(li.find("h3")) for li in items] == [
        f"{s.title} ({FR.duration(s.duration)})" for s in module.sequences]
    for item, sequence in zip(items, module.sequences, strict=True):
        expected = [f"{module.id}/projection/{name(sequence)}.html"]
        expected += [f"{module.id}/videos/{name(sequence)}-{n}.html"
                     for n, v in enumerate(sequence.videos, 1) if v.is_local]
        expected += [f"media/{r.file.name}" for r in sequence.resources]
        expected += [f"{module.id}/participants/{name(sequence)}.html", f"{module.id}/{name(sequence)}.html"]
        assert [a["href"] for a in item.find_all("a")] == expected
    rest = [a["href"] for a in page.find_all("a") if a.find_parent("section", id=f"mooc-module-{module.id}") is None]
    assert {"LICENCE.txt", "CREDITS.txt"} <= set(rest)
    whole = parse(unpack(reference_site / course.id / "downloads" / f"{course.id}.zip", tmp_path / "course")
                  / "index.html")
    assert [s["id"] for s in whole.select("main > section[id^=mooc-module-]")] == [
        f"mooc-module-{m.id}" for m in course.modules]


def test_session_plan_has_order_durations_running_total_material_prompts_and_objectives(
        reference_site: Path, model: Site, tmp_path: Path) -> None:
    course = model.courses[0]
    module = next(m for m in course.modules if any(s.images for s in m.sequences))
    folder = unpack(reference_site / course.id / "downloads" / f"{course.id}-{module.id}.zip", tmp_path)
    page = parse(folder / module.id / "plan.html")
    assert module.title in text_of(page.find("h1"))
    assert [text_of(li) for li in page.find("h2", string="Objectifs de la semaine").find_next("ul").find_all("li")
            ] == list(module.objectives)
    rows = page.select("table.plan tbody tr")
    total = dt.timedelta()
    for row, sequence in zip(rows, module.sequences, strict=True):
        total += sequence.duration
        cells = [text_of(c) for c in row.find_all(["th", "td"])]
        assert cells[0].endswith(sequence.title) and cells[1:3] == [FR.duration(sequence.duration),
                                                                   FR.duration(total)]
        material = [a["href"] for a in row.find_all("a")]
        assert f"../media/{sequence.images[0].name}" in material if sequence.images else True
        assert {f"../media/{r.file.name}" for r in sequence.resources} <= set(material)
        assert {f"videos/{name(sequence)}-{n}.html" for n, v in enumerate(sequence.videos, 1) if v.is_local
                } <= set(material)
    assert len(rows) == len(module.sequences)
    assert text_of(page.select_one("table.plan tfoot")).endswith(FR.duration(module.duration))
    prompts = text_of(page)
    for sequence in module.sequences:
        if sequence.discussion_html:
            assert plain_text(sequence.discussion_html).strip() in prompts
    if module.discussion_html:
        assert plain_text(module.discussion_html).strip() in prompts


def test_player_page_has_captions_their_script_and_the_transcript(reference_site: Path, model: Site,
                                                                  tmp_path: Path) -> None:
    course = model.courses[0]
    module, sequence = next((m, s) for m in course.modules for s in m.sequences
                            if any(v.is_local for v in s.videos))
    video = next(v for v in sequence.videos if v.is_local)
    folder = unpack(reference_site / course.id / "downloads" / f"{course.id}-{module.id}.zip", tmp_path)
    player = folder / module.id / "videos" / f"{name(sequence)}-1.html"
    page = parse(player)
    assert page.find("script", src="../../assets/js/captions.js") is not None
    element = page.find("video")
    assert isinstance(element, Tag) and element.find("source")["src"] == f"../../media/{video.src.name}"
    tracks = element.find_all("track")
    assert len(tracks) == len(video.captions) > 0
    for track, caption in zip(tracks, video.captions, strict=True):
        assert (player.parent / track["src"]).resolve() == (folder / "media" / caption.file.name).resolve()
        script = (player.parent / track["data-captions-js"]).read_text(encoding="utf-8")
        assert f'window.MoocCaptions["{track["data-captions-key"]}"]' in script
        assert caption.file.source.read_text(encoding="utf-8").splitlines()[0] in script
    transcript = page.find("div", class_="transcript")
    assert transcript is not None and transcript.find_parent("details") is None  # below the video, open
    assert plain_text(video.transcript_html).split()[:5] == text_of(transcript).split()[:5]


def test_projector_views_are_the_sites_with_links_into_the_bundle(reference_site: Path, model: Site,
                                                                  tmp_path: Path) -> None:
    course = model.courses[0]
    module = course.modules[0]
    folder = unpack(reference_site / course.id / "downloads" / f"{course.id}-{module.id}.zip", tmp_path)
    for sequence in (None, *module.sequences):
        site_page = reference_site / (sequence or module).present_page.file
        kit_page = folder / module.id / ("projection.html" if sequence is None else f"projection/{name(sequence)}.html")
        site, kit = parse(site_page), parse(kit_page)
        assert [s["class"] for s in kit.select("main .slide")] == [s["class"] for s in site.select("main .slide")]
        assert text_of(kit.find("main")) == text_of(site.find("main")) != ""
        assert kit.find("body")["class"] == ["presenting"]
        exit_link = kit.select_one("a.present-exit")["href"]
        assert exit_link == (f"../index.html#mooc-module-{module.id}" if sequence is None
                             else f"../{name(sequence)}.html")


# --- answers: the participants' sheet has none, the facilitator's has them all ---------------------------

def answers_of(question: Question) -> list[str]:
    """What would give a question's answer away, as text."""
    found = [plain_text(question.explanation_html)]
    found += [plain_text(c.feedback_html) for c in question.choices]
    found += list(question.answers)
    if question.answer_number is not None:
        found.append(f"{question.answer_number:g}".replace(".", ","))
    return [text.strip() for text in found if text.strip()]


def quizzed(site: Site) -> list[tuple[Course, Module, Sequence]]:
    return [(c, m, s) for c in site.courses for m in c.modules for s in m.sequences if s.quiz is not None]


def test_participants_sheets_hold_no_answer_and_facilitators_sheets_every_one(reference_site: Path, model: Site,
                                                                              tmp_path: Path) -> None:
    folders = {a.stem: unpack(a, tmp_path / a.stem) for a in bundles(reference_site)}
    checked = 0
    for course, module, sequence in quizzed(model):
        assert sequence.quiz is not None
        folder = folders[course.id]
        participants = parse(folder / module.id / "participants" / f"{name(sequence)}.html")
        facilitator = parse(folder / module.id / f"{name(sequence)}.html")
        quiz = participants.select_one("ol.quiz-blank")
        assert isinstance(quiz, Tag)
        questions = quiz.find_all("li", recursive=False)
        assert len(questions) == len(sequence.quiz.questions)
        # Nothing marks a choice, not even hidden: no attribute, class or word tells a right one from a wrong one,
        # and nothing is kept for a script or a click to show.
        for tag in participants.find_all(True):
            assert tag.name not in ("details", "input", "script", "template", "form"), tag
            assert "hidden" not in tag.attrs, tag
            for attribute, value in tag.attrs.items():
                said = " ".join(value) if isinstance(value, list) else str(value)
                assert not re.search(r"correct|answer|\bright\b|wrong|checked|solution", f"{attribute}={said}", re.I)
        assert not re.search(rf"{FR.colon} (juste|faux)\b", text_of(participants))
        shown = text_of(participants.find("main"))
        # What the text and the questions already say (a prompt may give a number another question asks).
        asked = sequence.quiz.questions
        stated = " ".join([plain_text(sequence.body_html), *(plain_text(q.prompt_html) for q in asked),
                           *(plain_text(c.html) for q in asked for c in q.choices)])
        for element, question in zip(questions, sequence.quiz.questions, strict=True):
            if question.choices:
                assert [text_of(li) for li in element.select("ul.blank-choices > li")] == [
                    plain_text(c.html).strip() for c in question.choices]
            for answer in answers_of(question):
                said = re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)")
                if not said.search(stated):  # an answer the question or the text does not already say
                    assert not said.search(text_of(element)), (sequence.id, answer)
                    assert len(answer) < 4 or not said.search(shown), (sequence.id, answer)  # "7" may be "7 min"
                    assert said.search(text_of(facilitator)), (sequence.id, answer)
            quiz_text = text_of(facilitator.select_one("ol.quiz-answers"))
            for choice in question.choices:
                verdict = FR.gettext("right") if choice.correct else FR.gettext("wrong")
                assert f"{plain_text(choice.html).strip()} : {verdict}" in quiz_text
            if question.answer_bool is not None:
                assert f"Réponse : {'Vrai' if question.answer_bool else 'Faux'}" in quiz_text
            checked += 1
    assert checked > 50


def test_the_minimal_quiz_shows_its_answers_to_the_facilitator_only(site: Path, tmp_path: Path) -> None:
    folder = unpack(site / "demo" / "downloads" / "demo-intro.zip", tmp_path / "kit")
    page = parse(folder / "intro" / "participants" / "01-first.html")
    rights = page.select_one("p.rights")
    assert rights is not None
    rights.decompose()  # its licence's name holds "No"
    participants = str(page)
    facilitator = text_of(parse(folder / "intro" / "01-first.html"))
    for answer in ("Because.", "Yes", "No", "dix-neuf", "19", "juste"):
        assert not re.search(rf"\b{answer}", participants), answer
        assert answer in facilitator
    text = text_of(parse(folder / "intro" / "participants" / "01-first.html"))
    assert "Which one? A B" in text and "True? Vrai Faux" in text and "Plusieurs réponses sont possibles" in text
    assert "Et vous ?" in facilitator and "Dans la séance : de 0 min à 5 min" in facilitator
    second = text_of(parse(folder / "intro" / "02-second.html"))
    assert "Dans la séance : de 5 min à" in second


# --- links between sequences ------------------------------------------------------------------------------

def first_link(page: Path, words: str) -> Tag | None:
    found = parse(page).find("a", string=words)
    assert found is None or isinstance(found, Tag)
    return found


def test_a_link_to_another_modules_sequence_follows_the_bundle(minimal: Path, tmp_path: Path,
                                                               edit: Edit) -> None:
    make(minimal, tmp_path / "plain")
    course = unpack(tmp_path / "plain" / "demo" / "downloads" / "demo.zip", tmp_path / "course")
    link = first_link(course / "intro" / "02-second.html", "suite")
    assert link is not None and link["href"] == "../suite/01-third.html"  # the other module's sheet
    link = first_link(course / "intro" / "participants" / "02-second.html", "suite")
    assert link is not None and link["href"] == "../../suite/participants/01-third.html"
    alone = unpack(tmp_path / "plain" / "demo" / "downloads" / "demo-intro.zip", tmp_path / "alone")
    assert first_link(alone / "intro" / "02-second.html", "suite") is None  # plain text
    assert "Next module: suite." in text_of(parse(alone / "intro" / "02-second.html"))
    same = first_link(alone / "intro" / "02-second.html", "the first")
    assert same is not None and same["href"] == "01-first.html#a-section"  # same module: in the bundle
    edit(minimal / "site.yml", "language: fr", 'language: fr\nbase_url: "https://mooc.example.org/cours"')
    make(minimal, tmp_path / "online")
    alone = unpack(tmp_path / "online" / "demo" / "downloads" / "demo-intro.zip", tmp_path / "online-alone")
    for sheet in ("02-second.html", "participants/02-second.html"):
        link = first_link(alone / "intro" / sheet, "suite")
        assert link is not None and link["href"] == "https://mooc.example.org/cours/demo/suite/third/index.html"
    course = unpack(tmp_path / "online" / "demo" / "downloads" / "demo.zip", tmp_path / "online-course")
    link = first_link(course / "intro" / "02-second.html", "suite")
    assert link is not None and link["href"] == "../suite/01-third.html"  # in the bundle, the bundle's copy


# --- files the build adds to a module's bundles (PDF handouts, say) ---------------------------------------

def test_extra_files_go_into_their_modules_bundles_and_onto_the_start_page(minimal: Path, tmp_path: Path,
                                                                          edit: Edit) -> None:
    handout = tmp_path / "participants.pdf"
    handout.write_bytes(b"%PDF-1.7 a handout")
    builder = Builder(BuildOptions(minimal, tmp_path / "site", AS_OF))
    builder.bundle_extras = lambda site: {"demo": {"intro": (
        Member("intro/handouts/participants.pdf", "Livret du participant", site.courses[0].rights, handout),)}}
    assert builder.build().ok
    downloads = tmp_path / "site" / "demo" / "downloads"
    for name_ in ("demo-intro", "demo"):
        folder = unpack(downloads / f"{name_}.zip", tmp_path / name_)
        assert (folder / "intro" / "handouts" / "participants.pdf").read_bytes() == b"%PDF-1.7 a handout"
        section = parse(folder / "index.html").find("section", id="mooc-module-intro")
        assert isinstance(section, Tag)
        link = section.find("a", string="Livret du participant")
        assert link is not None and link["href"] == "intro/handouts/participants.pdf"
        assert "intro/handouts/participants.pdf" in (folder / "SHA256SUMS").read_text(encoding="utf-8")
    assert "handouts" not in str(zipfile.ZipFile(downloads / "demo-suite.zip").namelist())
    # Made again by a build after an edit of the other module: its bundle takes the new bytes.
    handout.write_bytes(b"%PDF-1.7 the handout, corrected")
    edit(minimal / "courses/demo/02-suite/01-third.md", "Plain text.", "Plain text, edited.")
    assert builder.build().ok
    with zipfile.ZipFile(downloads / "demo-intro.zip") as archive:
        assert archive.read("demo-intro/intro/handouts/participants.pdf") == b"%PDF-1.7 the handout, corrected"


def test_a_theme_file_the_projector_view_loads_goes_into_the_bundle(minimal: Path, tmp_path: Path) -> None:
    """What the projector view's template, or a partial it includes, loads from assets/ is in the bundle: a
    theme (or the next projector view) that adds a script needs nothing else to have it work from the folder."""
    theme = tmp_path / "theme"
    shutil.copytree(default_theme_dir(), theme)
    (theme / "static" / "js" / "notes.js").write_text("window.notes = 1;\n", encoding="utf-8")
    partial = theme / "templates" / "partials" / "present-sequence.html"
    partial.write_text(partial.read_text(encoding="utf-8")
                       + '<script src="{{ root }}assets/js/notes.js" defer></script>\n', encoding="utf-8")
    assert build(BuildOptions(minimal, tmp_path / "site", AS_OF, theme)).ok
    folder = unpack(tmp_path / "site" / "demo" / "downloads" / "demo-intro.zip", tmp_path / "kit")
    assert (folder / "assets" / "js" / "notes.js").read_text(encoding="utf-8") == "window.notes = 1;\n"
    assert parse(folder / "intro" / "projection" / "01-first.html").find(
        "script", src="../../assets/js/notes.js") is not None
    assert not (folder / "assets" / "js" / "quiz.js").exists()  # what no page of the kit loads stays out
    assert_links_stay_inside(folder)
