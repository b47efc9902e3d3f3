"""Printable handouts (course.yml `handouts: true`): each module's participant handout and facilitator guide,
as PDFs read back with pypdf, against the model of the reference course energie-habitants (its five modules
hold every kind of question); byte-identical across builds, made again only for what changed, said once when
WeasyPrint cannot be loaded; `mooc export handouts`; and site pages printed by WeasyPrint.

Every PDF here is laid out by WeasyPrint (the marker turns off the tests' reuse of PDFs: tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from mooc_builder.build import Builder, BuildOptions, BuildResult, build
from mooc_builder.build import handouts as build_handouts
from mooc_builder.build.export import run_export
from mooc_builder.model import HANDOUT_ROLES, Course, Module, Question, QuestionType, shown_blank_options
from mooc_builder.render import lettered
from mooc_builder.render.formatting import Formatter
from mooc_builder.render.handouts import handout_paths, on_paper
from mooc_builder.render.theme import load_theme
from mooc_builder.text import plain_text

from .conftest import CONTENT, REQUIRE_TOOLS, ROOT
from .sitecheck import links, local_target, parse

pytestmark = pytest.mark.handouts_rendered

AS_OF = dt.date(2017, 11, 20)
COURSE = "energie-habitants"
A4 = (595.28, 841.89)  # points


def one_course(tmp_path: Path, course: str = COURSE, modules: int | None = None) -> Path:
    """A copy of the reference content with one course (and only its first ``modules``): its handouts are what
    these tests read."""
    return some_courses(tmp_path, {course: modules})


def some_courses(tmp_path: Path, courses: dict[str, int | None]) -> Path:
    """A copy of the reference content with ``courses`` only, each with its first so many modules (None: all)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for course, modules in courses.items():
        if modules is None:
            continue
        folders = sorted((content / "courses" / course).glob("[0-9][0-9]-*"))
        for folder in folders[modules:]:
            shutil.rmtree(folder)
        gone = "|".join(re.escape(f.name) for f in folders[modules:])
        for text_file in (content / "courses" / course).rglob("*.md"):  # a link to a module taken out: its text
            text = text_file.read_text(encoding="utf-8")
            text_file.write_text(re.sub(rf"\[([^\]]+)\]\(\.\./(?:{gone})/[^)]*\)", r"\1", text), encoding="utf-8")
    site_yml = content / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    for folder in sorted((content / "courses").iterdir()):
        if folder.name not in courses:
            shutil.rmtree(folder)
            assert f"  - {folder.name}\n" in text
            text = text.replace(f"  - {folder.name}\n", "")
    site_yml.write_text(text, encoding="utf-8")
    return content


@dataclass
class Built:
    content: Path
    site: Path
    result: BuildResult

    @property
    def course(self) -> Course:
        assert self.result.site is not None
        return next(c for c in self.result.site.courses if c.id == COURSE)

    def pdf(self, module: Module, role: str) -> PdfReader:
        return PdfReader(self.site / module.handout_file(role))

    def text(self, module: Module, role: str) -> str:
        return flat("\n".join(page.extract_text() for page in self.pdf(module, role).pages))


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("handouts")
    content = one_course(tmp)
    result = build(BuildOptions(content, tmp / "site", AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    assert result.site is not None and [c.id for c in result.site.courses] == [COURSE]
    return Built(content, tmp / "site", result)


def test_each_published_module_has_its_two_handouts_on_a4_portrait_pages(built: Built) -> None:
    modules = built.course.modules
    assert len(modules) == 5
    assert sorted(p.name for p in (built.site / COURSE / "handouts").iterdir()) == sorted(
        f"{m.id}-{role}.pdf" for m in modules for role in HANDOUT_ROLES)
    for module in modules:
        for role in HANDOUT_ROLES:
            pages = built.pdf(module, role).pages
            assert pages
            for page in pages:
                width, height = float(page.mediabox.width), float(page.mediabox.height)
                assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (module.id, role, width, height)
    assert built.result.handouts_made == 10
    # Where the integrator finds them without a build: the same paths.
    assert handout_paths(built.course) == {m.id: {r: m.handout_file(r) for r in HANDOUT_ROLES} for m in modules}
    assert all((built.site / p).is_file() for roles in handout_paths(built.course).values() for p in roles.values())


def _legit(module: Module) -> str:
    """Every text of a module a participant may read besides the answers: where an accepted answer's words may
    well appear on their own."""
    parts = [module.title, *module.objectives, module.discussion_html]
    for sequence in module.sequences:
        parts += [sequence.title, sequence.body_html, sequence.discussion_html]
        parts += [v.transcript_html for v in sequence.videos]
        if sequence.quiz:
            for question in sequence.quiz.questions:
                parts += [question.prompt_html, *(c.html for c in question.choices), *question.items]
                parts += [text for pair in question.pairs for text in (pair.left_html, pair.right)]
                parts += [part for part in question.cloze if isinstance(part, str)]
                parts += [option for blank in question.blanks if blank.select for option in blank.answers]
                parts += [zone.label for zone in question.zones]
    return flat(" ".join(plain_text(p) for p in parts))


def shown_on_paper(question: Question) -> list[str]:
    """What a participant's sheet shows of a matching, ordering, cloze or hotspot question, in the shown order
    (its letters are the group's and the facilitator's): never its answer."""
    if question.type is QuestionType.MATCHING:
        return ([f"{n}. {flat(plain_text(pair.left_html))}" for n, pair in enumerate(question.pairs, start=1)]
                + [f"{lettered.letter(k)}. {flat(option)}" for k, option in enumerate(question.shown_options)])
    if question.type is QuestionType.ORDERING:
        return [f"{lettered.letter(k)}. {flat(plain_text(question.items[rank]))}"
                for k, rank in enumerate(question.shown_items)]
    if question.type is QuestionType.CLOZE:
        words = [flat(plain_text(part)) for part in question.cloze if isinstance(part, str) and part.strip()]
        return words + ["[" + " / ".join(blank.answers[k] for k in shown_blank_options(blank)) + "]"
                        for blank in question.blanks if blank.select]
    if question.type is QuestionType.HOTSPOT:
        return [f"{lettered.letter(k)}. {flat(question.zones[written].label)}"
                for k, written in enumerate(question.shown_zones)]
    return []


# What the facilitator's key says, and nothing a participant reads does.
KEY_WORDS = (" : juste", " : faux", "Réponse :", "Réponses acceptées", "Paires :", "Bon ordre", "Texte complété",
             "accepté aussi", "Bonne zone", "Bonnes zones")


def test_the_participant_handout_asks_every_question_and_answers_none(built: Built) -> None:
    checked = new_types = 0
    for module in built.course.modules:
        text, legit = built.text(module, "participant"), _legit(module)
        assert flat(module.title) in text
        for sequence in module.sequences:
            assert flat(sequence.title) in text
            assert flat(plain_text(sequence.body_html))[:60] in text  # the text of the sequence
            if sequence.quiz is None:
                continue
            for question in sequence.quiz.questions:
                assert flat(plain_text(question.prompt_html)) in text  # asked
                for choice in question.choices:
                    assert f"☐ {flat(plain_text(choice.html))}" in text  # a box to tick, none marked
                    if choice.feedback_html:
                        assert flat(plain_text(choice.feedback_html)) not in text
                if question.explanation_html:
                    assert flat(plain_text(question.explanation_html)) not in text
                    checked += 1
                for shown in shown_on_paper(question):
                    assert shown in text, (module.id, shown)  # the items, options, words, zones, lettered
                    new_types += 1
                written = [a for blank in question.blanks if not blank.select for a in blank.answers]
                for answer in (*question.answers, *written):
                    if flat(answer) not in legit:
                        assert flat(answer) not in text, answer
                        checked += 1
        # The facilitator's marks and labels are nowhere: no choice marked right or wrong, no answer given.
        for mark in KEY_WORDS:
            assert mark not in legit
            assert mark not in text, (module.id, mark)
        room = sum(1 for s in module.sequences if s.quiz for q in s.quiz.questions
                   if q.type in (QuestionType.TEXT, QuestionType.NUMERIC))
        assert text.count("Votre réponse :") == room  # room to write the answer
    assert checked > 20 and new_types >= 10  # a matching, a cloze


def test_the_facilitator_guide_holds_the_plan_and_every_answer(built: Built) -> None:
    fmt = Formatter(load_theme().catalogue("fr"), AS_OF)
    checked = 0
    for module in built.course.modules:
        text = built.text(module, "facilitator")
        assert "Déroulé de la séance" in text
        assert f"Total {fmt.duration(module.duration)}" in text
        for number, sequence in enumerate(module.sequences, start=1):
            assert f"{number} {flat(sequence.title)} {fmt.duration(sequence.duration)}" in text  # order, duration
            if sequence.discussion_html:
                assert flat(plain_text(sequence.discussion_html)) in text  # the prompt
            for video in sequence.videos:
                assert f"Vidéo : {flat(video.title)}" in text  # material
            if sequence.quiz is None:
                continue
            for question in sequence.quiz.questions:
                expected = []
                for choice in question.choices:
                    mark = f"{flat(plain_text(choice.html))} : {'juste' if choice.correct else 'faux'}"
                    expected.append(mark + (f" — {flat(plain_text(choice.feedback_html))}"
                                            if choice.feedback_html else ""))
                if question.type is QuestionType.TRUE_FALSE:
                    expected.append(f"Réponse : {'Vrai' if question.answer_bool else 'Faux'}")
                if question.type is QuestionType.TEXT:
                    expected.append("Réponses acceptées : " + ", ".join(flat(a) for a in question.answers))
                if question.type is QuestionType.NUMERIC:
                    assert question.answer_number is not None
                    expected.append(f"Réponse : {fmt.number(question.answer_number)}")
                expected += answer_key(question)
                if question.explanation_html:
                    expected.append(flat(plain_text(question.explanation_html)))
                for part in expected:
                    assert part in text, (module.id, part)
                    checked += 1
    assert checked > 50


def answer_key(question: Question) -> list[str]:
    """What the facilitator's guide says of a matching, ordering, cloze or hotspot question's answer."""
    if question.type is QuestionType.MATCHING:
        return [f"{m.number}. {flat(plain_text(m.left_html))} → {m.option.letter}. {flat(m.option.text)}"
                for m in lettered.pairs(question)]
    if question.type is QuestionType.ORDERING:
        return ["Bon ordre : " + " → ".join(item.letter for item in lettered.right_order(question))]
    if question.type is QuestionType.CLOZE:
        return ["Texte complété :"] + [
            flat(piece.right) + (f" (accepté aussi : {', '.join(piece.others)})" if piece.others else "")
            for piece in lettered.cloze(question) if piece.blank]
    if question.type is QuestionType.HOTSPOT:
        right = lettered.drawing(question).right
        return [("Bonne zone : " if len(right) == 1 else "Bonnes zones : ")
                + ", ".join(f"{zone.letter}. {flat(zone.label)}" for zone in right)]
    return []


@pytest.mark.thorough
def test_drawings_and_posters_are_in_the_participant_handout(built: Built) -> None:
    drawings = posters_seen = 0
    for module in built.course.modules:
        reader = built.pdf(module, "participant")
        text = built.text(module, "participant")
        images: set[str] = set()
        for page in reader.pages:
            images |= {image.name for image in page.images}
        posters = {v.poster.output for s in module.sequences for v in s.videos if v.poster is not None}
        assert len(images) >= len(posters)  # each poster, as a picture
        posters_seen += len(posters)
        for sequence in module.sequences:
            for picture in sequence.images:
                if picture.extension == "svg":  # a drawing, laid out as vectors: its own words are in the text
                    words = _svg_text(picture.source)
                    assert words and words in text, picture.name
                    drawings += 1
    assert drawings >= 3 and posters_seen >= 3


def _svg_text(source: Path) -> str:
    import xml.etree.ElementTree as ET

    for element in ET.parse(source).iter("{http://www.w3.org/2000/svg}text"):
        if element.text and element.text.strip():
            return flat(element.text)
    return ""


@pytest.mark.thorough
def test_two_builds_on_the_same_date_give_the_same_pdfs(tmp_path: Path) -> None:
    content = one_course(tmp_path, modules=1)
    first, again = (build(BuildOptions(content, tmp_path / name, AS_OF)) for name in ("first", "again"))
    assert first.ok and again.ok and first.handouts_made == again.handouts_made == 2
    assert again.site is not None
    module = again.site.courses[0].modules[0]
    for role in HANDOUT_ROLES:
        path = module.handout_file(role)
        assert (tmp_path / "again" / path).read_bytes() == (tmp_path / "first" / path).read_bytes(), path
    reader = PdfReader(tmp_path / "again" / module.handout_file("participant"))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20171120"  # the build's date
    assert len(reader.trailer["/ID"][0]) == 32  # an identifier, made from what it shows (the same bytes above)


@pytest.mark.thorough
def test_an_edit_lays_out_again_only_the_handout_that_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    content = one_course(tmp_path, modules=2)
    out = tmp_path / "site"
    laid_out: list[str] = []
    make_pdf = build_handouts.make_pdf
    monkeypatch.setattr(build_handouts, "make_pdf", lambda html, place, *rest: laid_out.append(place.name)
                        or make_pdf(html, place, *rest))
    assert build(BuildOptions(content, out, AS_OF)).ok
    assert len(laid_out) == 4
    before = {p.name: p.read_bytes() for p in (out / COURSE / "handouts").iterdir()}
    laid_out.clear()
    sequence = content / "courses" / COURSE / "01-comprendre-sa-facture" / "01-lire-sa-facture.md"
    text = sequence.read_text(encoding="utf-8")
    sequence.write_text(text.replace("Karim vient d'emménager.", "Karim vient tout juste d'emménager."),
                        encoding="utf-8")
    result = build(BuildOptions(content, out, AS_OF))
    assert result.ok
    assert laid_out == ["comprendre-sa-facture-participant.pdf"]  # the facilitator's guide does not show the text
    assert result.handouts_made == 1
    after = {p.name: p.read_bytes() for p in (out / COURSE / "handouts").iterdir()}
    assert [name for name in sorted(after) if after[name] != before[name]] == ["comprendre-sa-facture-participant.pdf"]
    assert "Karim vient tout juste" in flat(PdfReader(out / COURSE / "handouts" / laid_out[0]).pages[0].extract_text())
    laid_out.clear()
    quiz = content / "courses" / COURSE / "01-comprendre-sa-facture" / "facture.quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Transmettez votre index pour",
                                                            "Envoyez votre index pour"), encoding="utf-8")
    result = build(BuildOptions(content, out, AS_OF))
    assert result.ok
    # Both show the quiz: the guide with the new explanation, the participant's (laid out again) the same as before.
    assert sorted(laid_out) == ["comprendre-sa-facture-facilitator.pdf", "comprendre-sa-facture-participant.pdf"]
    assert "energie-habitants/handouts/comprendre-sa-facture-facilitator.pdf" in result.written
    assert "energie-habitants/handouts/comprendre-sa-facture-participant.pdf" not in result.written


@pytest.mark.thorough
def test_a_build_scoped_to_another_course_keeps_the_handouts(tmp_path: Path) -> None:
    content = some_courses(tmp_path, {COURSE: 1, "energie-proximite": 1})
    out = tmp_path / "site"
    assert build(BuildOptions(content, out, AS_OF)).handouts_made == 4
    kept = out / COURSE / "handouts" / "comprendre-sa-facture-participant.pdf"
    before = (kept.stat().st_ino, kept.stat().st_mtime_ns, kept.read_bytes())
    sequence = next((content / "courses/energie-proximite").glob("01-*/01-*.md"))
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    result = build(BuildOptions(content, out, AS_OF))
    assert result.ok and result.scope == ["energie-proximite"]  # the other course kept as it was, unread
    assert result.handouts_made == 1
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns, kept.read_bytes()) == before
    assert len(list((out / COURSE / "handouts").iterdir())) == 2


def test_handouts_are_made_only_when_the_course_asks(minimal: Path, tmp_path: Path) -> None:
    result = build(BuildOptions(minimal, tmp_path / "site", AS_OF))
    assert result.ok and result.site is not None
    assert not result.site.courses[0].handouts  # the default: a large site's cold build makes no PDF
    assert not (tmp_path / "site" / "demo" / "handouts").exists() and result.handouts_made == 0
    course_yml = minimal / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    from click.testing import CliRunner

    from mooc_builder.cli import cli

    said = CliRunner().invoke(cli, ["build", str(minimal), "-o", str(tmp_path / "site"), "--as-of", "2017-11-20"])
    assert said.exit_code == 0 and "(4 printable handouts laid out)." in said.output
    assert sorted(p.name for p in (tmp_path / "site" / "demo" / "handouts").iterdir()) == [
        "intro-facilitator.pdf", "intro-participant.pdf", "suite-facilitator.pdf", "suite-participant.pdf"]


def test_without_pango_the_build_says_so_once_and_makes_the_rest(minimal: Path, tmp_path: Path, no_pango: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert "libpango-1.0-0" in no_pango and "apt-get install libpango-1.0-0" in no_pango
    shutil.copytree(minimal / "courses" / "demo", minimal / "courses" / "other")
    site_yml = minimal / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("  - demo\n", "  - demo\n  - other\n"),
                        encoding="utf-8")
    for name in ("demo", "other"):
        course_yml = minimal / "courses" / name / "course.yml"
        course_yml.write_text(course_yml.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    out = tmp_path / "site"
    result = build(BuildOptions(minimal, out, AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    said = [d for d in result.report.warnings if "handouts" in str(d.message)]
    assert len(said) == 1  # once, for every course that asks
    assert str(said[0]).startswith("content/courses/demo/course.yml: the printable handouts (handouts: true) of demo, "
                                   "other were not made: WeasyPrint could not load the library libpango-1.0-0")
    assert "the rest of the site is built" in str(said[0])
    assert (out / "demo" / "index.html").is_file() and not (out / "demo" / "handouts").exists()
    # Nothing changed in the content: the next build does not replay this one, it tries again.
    monkeypatch.undo()
    again = build(BuildOptions(minimal, out, AS_OF))
    assert again.ok and not again.unchanged and again.handouts_made == 8
    assert not [d for d in again.report.warnings if "handouts" in str(d.message)]


def test_the_cli_says_what_is_missing(minimal: Path, tmp_path: Path, no_pango: str) -> None:
    from click.testing import CliRunner

    from mooc_builder.cli import cli

    course_yml = minimal / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(minimal), "-o", str(tmp_path / "site"), "--as-of", "2017-11-20"])
    assert result.exit_code == 0
    assert result.output.count("WeasyPrint could not load the library libpango-1.0-0") == 1
    assert "Traceback" not in result.output
    exported = CliRunner().invoke(cli, ["export", "handouts", str(minimal), "-o", str(tmp_path / "h.zip")])
    assert exported.exit_code == 1
    assert "cannot make the handouts: WeasyPrint could not load the library libpango-1.0-0" in exported.output
    assert not (tmp_path / "h.zip").exists()


@pytest.mark.thorough
def test_mooc_export_handouts_zips_the_pdfs_the_site_holds(tmp_path: Path) -> None:
    content = one_course(tmp_path, modules=1)
    built = build(BuildOptions(content, tmp_path / "site", AS_OF))
    assert built.ok and built.site is not None
    module = built.site.courses[0].modules[0]
    target = tmp_path / "handouts.zip"
    result = run_export("handouts", content, COURSE, {}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    assert result.written is not None and result.written.files == 2
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted(module.handout_file(r).name for r in HANDOUT_ROLES)
        for role in HANDOUT_ROLES:
            path = module.handout_file(role)
            assert archive.read(path.name) == (tmp_path / "site" / path).read_bytes()  # the same bytes


def test_site_pages_print_on_a4_portrait_and_the_certificate_on_one_landscape_page_in_weasyprint(built: Built
                                                                                                 ) -> None:
    import weasyprint

    course = built.course
    quizzed = next(s for s in course.sequences if s.quiz)
    sequence = next(s for s in course.sequences if any(v.transcript_html for v in s.videos))

    def pages(path: Path, html: str | None = None) -> list[tuple[float, float]]:
        source = weasyprint.HTML(string=html, base_url=path.as_uri()) if html else weasyprint.HTML(filename=path)
        document = source.render()
        return [(round(p.width * 0.75), round(p.height * 0.75)) for p in document.pages]  # CSS px to points

    for page in (built.site / sequence.page.file, built.site / quizzed.page.file, built.site / course.page.file):
        sizes = pages(page)
        assert sizes and set(sizes) == {(595, 842)}, page
    certificate = built.site / course.certificate_page.file
    html = certificate.read_text(encoding="utf-8").replace('<section class="certificate-sheet" aria-label="Attestation '
                                                           'de suivi" hidden>', '<section class="certificate-sheet">')
    assert html != certificate.read_text(encoding="utf-8")
    assert pages(certificate, html) == [(842, 595)]
    def text(page: Path) -> str:
        return flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
            weasyprint.HTML(filename=page).write_pdf())).pages))

    # WeasyPrint prints a closed <details> open: the transcript in full, and the quiz's answers not at all.
    transcript = next(v.transcript_html for v in sequence.videos if v.transcript_html)
    assert flat(plain_text(transcript))[-60:] in text(built.site / sequence.page.file)
    assert quizzed.quiz is not None
    printed = text(built.site / quizzed.page.file)
    question = quizzed.quiz.questions[0]
    assert flat(plain_text(question.prompt_html)) in printed
    assert flat(plain_text(question.explanation_html)) not in printed
    assert "Afficher la réponse" not in printed and "Valider mes réponses" not in printed


PDFTOPPM = "/usr/bin/pdftoppm"


def test_screenshots_of_a_handout_page(built: Built, tmp_path: Path) -> None:
    """docs/AUTHORING.md's picture of a participant handout's first page; written to docs/ when
    MOOC_UPDATE_SCREENSHOTS=1 (make screenshots)."""
    if not Path(PDFTOPPM).is_file():
        message = f"poppler's pdftoppm is not installed at {PDFTOPPM} (`make pdf-tools` installs it)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    target = ROOT / "docs" if os.environ.get("MOOC_UPDATE_SCREENSHOTS") else tmp_path
    module = built.course.modules[0]
    subprocess.run([PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(built.site / module.handout_file("participant")), str(target / "handout-page")],
                   check=True, timeout=60)
    picture = target / "handout-page.png"
    assert picture.stat().st_size > 20_000
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_on_paper_a_link_is_its_text_but_where_a_pdf_can_follow_it() -> None:
    text = ('<a href="../x/index.html">a page</a> <a href="https://e.org">a site</a> <a href="mailto:a@e.org">mail'
            '</a> <a href="javascript:alert(1)">script</a> <a href="#fn1">[1]</a> '
            '<img src="../media/m.svg" alt="" loading="lazy" decoding="async">')
    assert on_paper(text, published=False) == (
        '<a>a page</a> <a href="https://e.org">a site</a> <a href="mailto:a@e.org">mail</a> <a>script</a> '
        '<a>[1]</a> <img src="../media/m.svg" alt="">')
    # With a base_url the site's own links stay (the PDF engine makes them absolute); a script never does.
    assert on_paper(text, published=True).startswith('<a href="../x/index.html">a page</a>')
    assert "javascript" not in on_paper(text, published=True) and "#fn1" not in on_paper(text, published=True)


# --- where a facilitator finds them: the kit page, the module pages, the bundles ---------------------------


def pdf_links(page: Path) -> set[Path]:
    """The PDF files a site page links, resolved from its place (each one must be there)."""
    found = set()
    for link in links(parse(page)):
        target = local_target(page, link)
        if target is not None and target[0].suffix == ".pdf":
            assert target[0].is_file(), f"{page}: {link} leads nowhere"
            found.add(target[0].resolve())
    return found


def test_the_kit_page_links_every_handout_and_each_module_page_its_own(built: Built) -> None:
    handouts = {(built.site / m.handout_file(role)).resolve(): m for m in built.course.modules
                for role in HANDOUT_ROLES}
    assert len(handouts) == 2 * len(built.course.modules) == 10
    kit = built.site / built.course.kit_page.file
    assert pdf_links(kit) == set(handouts)
    # Each under its week, with its size; the participant's said to be without the answers.
    page = parse(kit)
    for module in built.course.modules:
        section = next(s for s in page.select("section.bundle") if module.title in s.h2.get_text())
        items = section.select("ul.kit-handouts li")
        assert [li.a["href"].rsplit("/", 1)[-1] for li in items] == [
            module.handout_file(role).name for role in HANDOUT_ROLES]
        assert re.search(r"\(PDF, A4, \d+\s?ko\) — un par personne, sans les réponses", items[0].get_text())
    for module in built.course.modules:
        assert pdf_links(built.site / module.page.file) == {
            (built.site / module.handout_file(role)).resolve() for role in HANDOUT_ROLES}


def test_each_module_bundle_holds_its_handouts_and_its_start_page_links_them(built: Built, tmp_path: Path) -> None:
    downloads = built.site / COURSE / "downloads"
    for module in built.course.modules:
        archive = downloads / module.bundle_file.name
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(tmp_path / module.id)
        folder = tmp_path / module.id / archive.stem
        for role in HANDOUT_ROLES:
            inside = folder / "handouts" / module.handout_file(role).name
            assert inside.read_bytes() == (built.site / module.handout_file(role)).read_bytes(), inside
        assert {p for p in pdf_links(folder / "index.html") if p.parent.name == "handouts"} == {
            (folder / "handouts" / module.handout_file(role).name).resolve() for role in HANDOUT_ROLES}
    with zipfile.ZipFile(downloads / f"{COURSE}.zip") as whole:
        held = sorted(n.rsplit("/", 1)[-1] for n in whole.namelist() if "/handouts/" in n)
    assert held == sorted(m.handout_file(role).name for m in built.course.modules for role in HANDOUT_ROLES)


def test_without_the_engine_no_page_or_bundle_offers_a_handout(minimal: Path, tmp_path: Path, no_pango: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    course_yml = minimal / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    out = tmp_path / "site"
    result = build(BuildOptions(minimal, out, AS_OF))
    assert result.ok and result.handouts_missing is not None and result.site is not None
    modules = result.site.courses[0].modules
    pages = [out / "demo" / "kit" / "index.html", *(out / m.page.file for m in modules)]
    assert all(not pdf_links(page) for page in pages)  # no link to a PDF that is not there
    for archive in (out / "demo" / "downloads").glob("*.zip"):
        assert not [n for n in zipfile.ZipFile(archive).namelist() if "/handouts/" in n]
    # Once the engine loads, the next build makes them, and the pages link them.
    monkeypatch.undo()
    again = build(BuildOptions(minimal, out, AS_OF))
    assert again.ok and again.handouts_made == 2 * len(modules)
    assert len(pdf_links(out / "demo" / "kit" / "index.html")) == 2 * len(modules)
    assert all(len(pdf_links(out / m.page.file)) == 2 for m in modules)


def test_mooc_serve_zips_the_handout_an_edit_made_again_into_its_bundle(tmp_path: Path) -> None:
    """`mooc serve` moves the new pages into the site before it zips the bundles: the PDF made again must still
    be where the bundle takes it from."""
    content = one_course(tmp_path, modules=1)
    builder = Builder(BuildOptions(content, tmp_path / "site", AS_OF))
    shown: list[BuildResult] = []
    builder.pages_ready = shown.append
    assert builder.build(in_place=True).ok
    sequence = content / "courses" / COURSE / "01-comprendre-sa-facture" / "01-lire-sa-facture.md"
    sequence.write_text(sequence.read_text(encoding="utf-8").replace(
        "Karim vient d'emménager.", "Karim vient tout juste d'emménager."), encoding="utf-8")
    result = builder.build(in_place=True, changed={sequence})
    assert result.ok, [str(d) for d in result.report.errors]
    assert result.handouts_made == 1 and shown  # the pages were shown before the bundles were zipped
    assert result.site is not None
    module = result.site.courses[0].modules[0]
    site_pdf = tmp_path / "site" / module.handout_file("participant")
    assert "Karim vient tout juste" in flat(PdfReader(site_pdf).pages[0].extract_text())
    with zipfile.ZipFile(tmp_path / "site" / module.bundle_file) as opened:
        inside = next(n for n in opened.namelist() if n.endswith("/handouts/" + site_pdf.name))
        assert opened.read(inside) == site_pdf.read_bytes()
