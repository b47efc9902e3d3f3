"""SCORM packages in a real LMS runtime: scorm-again's API, in strict mode, in a harness page; the package's one
SCO (launch.html, the course in its frame) in the harness's iframe.

The harness (tests/browser/lms/) is served on 127.0.0.1 with scorm-again's browser bundles (installed by
`make test` into .tools/node_modules) and the unzipped packages. The tests move between sequences inside the SCO,
answer quizzes and read back what the package reported through the API, for SCORM 1.2 and 2004, with no error
code left by any call.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.model import QuestionType, Sequence, Site

from ..conftest import FIXTURES, REFERENCE, ROOT
from .conftest import AS_OF
from .quizhelp import answer, put_in_order

SCORM_AGAIN = ROOT / ".tools" / "node_modules" / "scorm-again" / "dist"
HARNESS = Path(__file__).resolve().parent / "lms"
CODEC = ROOT / "themes" / "default" / "static" / "js" / "scorm-codec.js"
VERSIONS = ["1.2", "2004"]
EDGE_POINTS = 10  # the minimal fixture's quiz: 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1 points


@dataclass(frozen=True)
class Lms:
    base: str  # the harness's folder, served
    site: Site  # the reference model
    edge: Site  # the minimal fixture with a 50 % pass mark


def model(content: Path) -> Site:
    site, report = check(content)
    assert site is not None, [str(d) for d in report.errors]
    return site


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Lms:
    if not (SCORM_AGAIN / "scorm12.js").is_file() or not (SCORM_AGAIN / "scorm2004.js").is_file():
        pytest.fail(f"scorm-again is missing from {SCORM_AGAIN}; run `make test` (or `make tools-npm`) to install it")
    root = tmp_path_factory.mktemp("lms")
    shutil.copy(HARNESS / "harness.html", root)
    shutil.copy(HARNESS / "harness.js", root)
    (root / "scorm-again").mkdir()
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / "scorm-again")
    edge_content = tmp_path_factory.mktemp("edge") / "content"
    shutil.copytree(FIXTURES / "minimal", edge_content)
    course_yml = edge_content / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("pass_mark: 30%", "pass_mark: 50%"),
                          encoding="utf-8")
    passed_content = tmp_path_factory.mktemp("passed") / "content"
    shutil.copytree(edge_content, passed_content)
    course_yml = passed_content / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "lms_completion: passed\n", encoding="utf-8")
    for name, content, course_id in (("ref", REFERENCE, "energie-habitants"), ("edge", edge_content, "demo"),
                                      ("passed", passed_content, "demo")):
        for version in VERSIONS:
            target = root / f"{name}-{version}.zip"
            result = run_export("scorm", content, course_id, {"version": version}, target, AS_OF)
            assert result.ok, [str(d) for d in result.report.errors]
            with zipfile.ZipFile(target) as archive:
                archive.extractall(root / f"{name}-{version}")
    return Lms(serve(root), model(REFERENCE), model(edge_content))


def graded(site: Site) -> list[Sequence]:
    return [s for c in site.courses for s in c.sequences if s.quiz is not None and s.quiz.graded]


def launch(page: Page, lms: Lms, package: str, version: str, saved: dict[str, Any] | None = None,
           entry: str | None = None) -> Frame:
    """Start a fresh LMS API (with ``saved`` cmi data, as an LMS gives back at the next launch, and cmi.entry
    ``entry`` if given) and launch the package's SCO; the frame the course's pages show in."""
    if not page.url.endswith("harness.html"):
        page.goto(lms.base + "harness.html")
    page.evaluate("([version, saved, entry]) => window.Lms.start(version, saved, entry)", [version, saved, entry])
    page.evaluate("url => window.Lms.launch(url)", f"{package}-{version}/launch.html")
    sco = page.frame(name="sco")
    assert sco is not None
    expect(sco.locator("#mooc-course-frame")).to_have_attribute("src", re.compile(r"index\.html$"))
    course = page.frame(name="mooc-course")
    assert course is not None
    course.wait_for_load_state()
    return course


def visit(page: Page, lms: Lms, package: str, version: str, sequence: Sequence) -> Frame:
    """Go to a sequence inside the SCO, as its links do."""
    course = page.frame(name="mooc-course")
    assert course is not None
    course.goto(lms.base + f"{package}-{version}/{sequence.page.file.as_posix()}")
    return course


def value(page: Page, element: str) -> str:
    return str(page.evaluate("element => window.Lms.value(element)", element))


def calls(page: Page) -> list[str]:
    return list(page.evaluate("window.Lms.calls"))


def errors(page: Page) -> list[str]:
    return list(page.evaluate("window.Lms.errors"))


def submit(frame: Frame, sequence: Sequence, right: Callable[[int], bool]) -> None:
    assert sequence.quiz is not None
    for number, question in enumerate(sequence.quiz.questions, start=1):
        answer(frame, number, question, right(number))  # type: ignore[arg-type]  # a Frame fills like a Page
    frame.click("form.quiz button[type=submit]")
    expect(frame.locator(".quiz-result")).to_be_visible()


def status(page: Page, version: str) -> tuple[str, ...]:
    """1.2: (lesson_status, raw); 2004: (completion, success, raw, scaled)."""
    if version == "1.2":
        return value(page, "cmi.core.lesson_status"), value(page, "cmi.core.score.raw")
    return (value(page, "cmi.completion_status"), value(page, "cmi.success_status"), value(page, "cmi.score.raw"),
            value(page, "cmi.score.scaled"))


# --- the codec of cmi.suspend_data ------------------------------------------------------------------------------

COURSE_OF_200 = """
() => {
  const long = (seed, n) => Array.from({length: n}, (_, i) => "é,%~|:'" + seed + "😀x"[i % 3]).join("").slice(0, n);
  const sequences = [], hashes = {}, quizzes = {}, viewed = {};
  for (let s = 0; s < 60; s++) { sequences.push("module-" + (s % 7) + "/sequence-" + s); }
  let index = 0;
  for (let q = 0; q < 40; q++) {  // 40 quizzes of 5 questions on every other sequence and a half
    const id = sequences[q + Math.floor(q / 2)], last = [];
    for (let i = 0; i < 5; i++, index++) {
      const kind = ["single", "multiple", "true_false", "text", "numeric"][index % 5];
      if (kind === "single") { last.push(index % 10); }
      else if (kind === "multiple") { last.push([0, 3, 11, 60].slice(0, 1 + index % 4)); }
      else if (kind === "true_false") { last.push(index % 2 === 0); }
      else if (kind === "text") { last.push(index % 20 === 3 ? long(index, 600 + index) : "dix-neuf, %2C | " + index); }
      else { last.push(index % 10 === 4 ? null : "19,5"); }
    }
    hashes[id] = (q + 4096).toString(16).padStart(12, "0");
    quizzes[id] = {h: hashes[id], n: 1 + q % 3, best: q % 7 + 0.5, last};
  }
  sequences.forEach((id, s) => { if (s % 3) { viewed[id] = 1; } });
  return {sequences, hashes, state: {viewed, quizzes}};
}
"""


def test_suspend_data_of_a_course_of_200_questions_fits_4096_characters_and_decodes_back(
        page: Page, page_errors: list[str]) -> None:
    page.set_content("<!doctype html><title>codec</title>")
    page.add_script_tag(path=str(CODEC))
    data = page.evaluate(COURSE_OF_200)
    sequences, hashes, state = data["sequences"], data["hashes"], data["state"]
    result = page.evaluate("""([sequences, hashes, state]) => {
        const text = window.MoocScormCodec.encode(sequences, state);
        return {text, decoded: window.MoocScormCodec.decode(sequences, hashes, text)};
    }""", [sequences, hashes, state])
    text, decoded = result["text"], result["decoded"]
    assert len(text) <= 4096
    assert decoded is not None and decoded["viewed"] == state["viewed"]
    assert decoded["quizzes"].keys() == state["quizzes"].keys() and len(state["quizzes"]) == 40
    cut = 0
    for sequence, record in state["quizzes"].items():
        back = decoded["quizzes"][sequence]
        assert (back["h"], back["n"], back["best"]) == (record["h"], record["n"], record["best"])
        for original, kept in zip(record["last"], back["last"], strict=True):
            if isinstance(original, str) and len(original) > 100:
                assert original.startswith(kept)  # long free texts are cut, never garbled
                cut += kept != original
            else:
                assert kept == original
    assert cut > 0  # the long texts did not all fit: the test reaches the limit
    # Pathological answers (10,000-character texts everywhere) still fit, the scores kept.
    worst = page.evaluate("""([sequences, hashes, state]) => {
        Object.values(state.quizzes).forEach(r => {
            r.last = r.last.map(v => typeof v === "string" ? "%,|".repeat(3000) : v);
        });
        const text = window.MoocScormCodec.encode(sequences, state);
        const back = window.MoocScormCodec.decode(sequences, hashes, text);
        return {length: text.length, quizzes: back ? Object.keys(back.quizzes).length : -1};
    }""", [sequences, hashes, state])
    assert worst["length"] <= 4096 and worst["quizzes"] == 40
    # A quiz changed since (another hash) loses its record; what is not ours is refused.
    assert page.evaluate("""([sequences, hashes, state]) => {
        const text = window.MoocScormCodec.encode(sequences, state);
        const other = Object.assign({}, hashes, {[Object.keys(state.quizzes)[0]]: "ffffffffffff"});
        return [Object.keys(window.MoocScormCodec.decode(sequences, other, text).quizzes).length,
                window.MoocScormCodec.decode(sequences, hashes, "1~0123~2~3~1,2"),
                window.MoocScormCodec.decode(sequences, hashes, "garbage")];
    }""", [sequences, hashes, state]) == [39, None, None]
    assert page_errors == []


# Answers of every shape a quiz page gives (model/scoring.py question_data): single, true_false, text, numeric,
# multiple, then matching (a left side left empty), ordering, cloze (a text with every separator, a select), and
# a hotspot missed, hit, or left alone; lists that happen to be increasing positions, or empty.
EVERY_SHAPE = [0, False, "dix-neuf", "19,5", [0, 2], [1, None], [2, 0, 1], ["a.b,c|d%e 'f' L", 1], -1, 3, None,
               [0, 1, 2], [None], [None, None], [], [1, 1], ["", None, 0], True, "-1", "L0.1", "m7"]
SHAPES_QUIZ = [  # questions the answers above fit (forQuiz), in the same order
    {"type": "single", "choices": 2}, {"type": "true_false"}, {"type": "text"}, {"type": "numeric"},
    {"type": "multiple"}, {"type": "matching", "options": 2, "correct": [0, 1]},
    {"type": "ordering", "correct": [0, 1, 2]},
    {"type": "cloze", "blanks": [{"answers": ["x"]}, {"options": 2, "correct": 1}]}, {"type": "hotspot", "zones": 2},
    {"type": "hotspot", "zones": 4}, {"type": "hotspot", "zones": 2}, {"type": "ordering", "correct": [2, 1, 0]},
    {"type": "matching", "options": 3, "correct": [0]}, {"type": "matching", "options": 3, "correct": [0, 1]},
    {"type": "multiple"}, {"type": "matching", "options": 2, "correct": [1, 1]},
    {"type": "cloze", "blanks": [{"answers": ["x"]}, {"answers": ["y"]}, {"options": 3, "correct": 0}]},
    {"type": "true_false"}, {"type": "text"}, {"type": "text"}, {"type": "text"},
]


def test_suspend_data_carries_every_answer_shape_exactly_and_still_reads_format_2(
        page: Page, page_errors: list[str]) -> None:
    page.set_content("<!doctype html><title>codec</title>")
    page.add_script_tag(path=str(CODEC))
    result = page.evaluate("""([last, questions]) => {
        const C = window.MoocScormCodec, sequences = ["m/a", "m/b"], hashes = {"m/b": "0123456789ab"};
        const record = {h: "0123456789ab", n: 2, best: 3.5, last};
        const text = C.encode(sequences, {viewed: {"m/a": 1}, quizzes: {"m/b": record}});
        const back = C.decode(sequences, hashes, text);
        const quiz = {hash: "0123456789ab", points: 10, questions};
        return {text, back, restored: C.forQuiz(back.quizzes["m/b"], quiz),
                old: C.decode(sequences, hashes, "2~1~1:0123456789ab:1:2:0,t,'dix-neuf,m3,"),
                misfit: C.forQuiz({h: "0123456789ab", n: 1, best: 1, last: [[0, 1]]}, {hash: "0123456789ab",
                                  points: 1, questions: [{type: "ordering", correct: [0, 1, 2]}]})};
    }""", [EVERY_SHAPE, SHAPES_QUIZ])
    assert result["text"].startswith("3~1~1:0123456789ab:2:3.5:")
    assert result["back"]["quizzes"]["m/b"]["last"] == EVERY_SHAPE
    assert result["restored"]["last"] == EVERY_SHAPE  # every answer fits its question's shape
    assert result["old"]["quizzes"]["m/b"]["last"] == [0, True, "dix-neuf", [0, 1], None]
    assert result["misfit"] is None  # an ordering of two items is not an answer to one of three
    assert page_errors == []


def test_a_quiz_of_every_type_in_suspend_data_and_its_texts_cut_to_fit(page: Page, page_errors: list[str]) -> None:
    """The minimal fixture's quiz of nine questions, and 40 such quizzes answered at length: the list texts (a
    cloze's text blanks) are cut as the others, never garbled, and the whole stays within 4,096 characters."""
    page.set_content("<!doctype html><title>codec</title>")
    page.add_script_tag(path=str(CODEC))
    right = [0, False, "19", "19", [0, 1], [0, 1], [0, 2, 1], ["19", 1], 0]
    result = page.evaluate("""right => {
        const C = window.MoocScormCodec, one = ["intro/first"], hashes = {}, quizzes = {}, sequences = [];
        const nine = C.encode(one, {viewed: {"intro/first": 1}, quizzes: {"intro/first":
            {h: "0123456789ab", n: 1, best: 10, last: right}}});
        for (let s = 0; s < 40; s++) {
            const id = "module-" + s + "/sequence-" + s, long = "é.,|%'" + "x".repeat(200 + s);
            sequences.push(id);
            hashes[id] = (s + 4096).toString(16).padStart(12, "0");
            quizzes[id] = {h: hashes[id], n: 1, best: 1,
                           last: [0, false, long, "19", [0, 1], [1, null], [2, 0, 1], [long, 1, null], -1]};
        }
        const text = C.encode(sequences, {viewed: {}, quizzes});
        return {nine, text, back: C.decode(sequences, hashes, text), quizzes};
    }""", right)
    print(f"\nsuspend_data of the minimal quiz (9 questions, all answered right): {len(result['nine'])} characters: "
          f"{result['nine']}")
    assert len(result["nine"]) < 80
    assert len(result["text"]) <= 4096 and result["back"] is not None
    cut = 0
    for sequence, record in result["quizzes"].items():
        back = result["back"]["quizzes"][sequence]["last"]
        assert len(back) == 9 and back[3:] == [*record["last"][3:7], back[7], -1]
        for kept, original in ((back[2], record["last"][2]), (back[7][0], record["last"][7][0])):
            assert original.startswith(kept) and len(kept) >= 5  # cut, never garbled
            cut += kept != original
        assert back[7][1:] == [1, None]
    assert cut == 80  # every long text was cut: the test reaches the limit
    assert page_errors == []


# --- one SCO, reporting to the LMS ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_two_quizzes_in_two_sequences_below_then_above_the_pass_mark_and_back_at_the_next_launch(
        page: Page, page_errors: list[str], lms: Lms, version: str) -> None:
    """energie-habitants: five graded quizzes, 28 points, a 30 % pass mark (8.4 points)."""
    course = lms.site.courses[[c.id for c in lms.site.courses].index("energie-habitants")]
    first, second = graded(lms.site)[0], graded(lms.site)[2]
    assert first.quiz is not None and second.quiz is not None
    assert (first.quiz.points, second.quiz.points, course.graded_points) == (7, 4, 28)
    frame = launch(page, lms, "ref", version)
    expect(frame.locator("main h1")).to_have_text(course.title)
    assert status(page, version) == (("incomplete", "0") if version == "1.2" else ("incomplete", "unknown", "0", "0"))
    frame = visit(page, lms, "ref", version, first)
    assert frame.evaluate("window.MoocScorm && window.MoocScorm.version") == version
    submit(frame, first, lambda number: True)  # 7 of 28: 25 %, below the mark
    assert status(page, version) == (("incomplete", "25") if version == "1.2" else
                                     ("incomplete", "unknown", "25", "0.25"))
    frame = visit(page, lms, "ref", version, second)
    submit(frame, second, lambda number: True)  # 11 of 28: 39.29 %, above
    assert status(page, version) == (("passed", "39.29") if version == "1.2" else
                                     ("incomplete", "passed", "39.29", "0.3929"))
    if version == "1.2":
        assert (value(page, "cmi.core.score.min"), value(page, "cmi.core.score.max")) == ("0", "100")
    else:
        assert (value(page, "cmi.score.min"), value(page, "cmi.score.max")) == ("0", "100")
        assert value(page, "cmi.progress_measure") == "0.2"  # 2 of 10 sequences seen
    initialize = "LMSInitialize" if version == "1.2" else "Initialize"
    finish = "LMSFinish" if version == "1.2" else "Terminate"
    assert calls(page).count(initialize) == 1  # one SCO: one session across the sequences
    page.evaluate("window.Lms.unload()")
    log = calls(page)
    assert log.count(finish) == 1 and log[-1] == finish
    assert f"{'LMSSetValue cmi.core.exit' if version == '1.2' else 'SetValue cmi.exit'}=suspend" in log
    assert errors(page) == []
    # The next launch, on a device that forgot everything: the LMS gives both quizzes back.
    saved = page.evaluate("window.Lms.state()")
    page.evaluate("localStorage.clear()")
    launch(page, lms, "ref", version, saved)
    assert status(page, version)[0] == ("passed" if version == "1.2" else "incomplete")
    for sequence, points in ((first, 7), (second, 4)):
        frame = visit(page, lms, "ref", version, sequence)
        expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {points} sur {points} points")
        expect(frame.locator("form.quiz button[type=submit]")).to_be_hidden()
    # Every sequence seen: complete.
    for sequence in course.sequences:
        visit(page, lms, "ref", version, sequence)
    assert status(page, version) == (("passed", "39.29") if version == "1.2" else
                                     ("completed", "passed", "39.29", "0.3929"))
    assert errors(page) == []
    assert page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("right", "passed"), [((1, 2, 6, 7, 9), True), ((1, 2, 6, 7), False)])
def test_passed_and_failed_at_the_pass_mark(page: Page, page_errors: list[str], lms: Lms, version: str,
                                            right: tuple[int, ...], passed: bool) -> None:
    """The minimal course: one quiz of 10 points (every question worth 1 but the fifth) and a 50 % pass mark,
    5 is exactly on it (old and new types right); failed once every sequence was seen and every graded quiz
    tried."""
    course = lms.edge.courses[0]
    sequence = graded(lms.edge)[0]
    assert sequence.quiz is not None and sequence.quiz.points == EDGE_POINTS == course.graded_points
    assert [q.points for q in sequence.quiz.questions] == [1, 1, 1, 1, 2, 1, 1, 1, 1]
    right_count = len(right)
    launch(page, lms, "edge", version)
    for other in course.sequences:
        visit(page, lms, "edge", version, other)
    frame = visit(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: number in right)
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {right_count} sur {EDGE_POINTS} points")
    outcome = "passed" if passed else "failed"
    raw = "50" if passed else "40"
    assert status(page, version) == ((outcome, raw) if version == "1.2" else
                                     ("completed", outcome, raw, "0.5" if passed else "0.4"))
    assert errors(page) == [] and page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_lms_completion_passed_completes_the_course_at_the_pass_mark(page: Page, lms: Lms, version: str) -> None:
    """course.yml `lms_completion: passed`: complete once the pass mark is reached, whatever was seen."""
    sequence = graded(lms.edge)[0]
    launch(page, lms, "passed", version)
    frame = visit(page, lms, "passed", version, sequence)
    submit(frame, sequence, lambda number: True)
    assert status(page, version) == (("passed", "100") if version == "1.2" else
                                     ("completed", "passed", "100", "1"))
    assert errors(page) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_lms_record_replaces_what_the_browser_kept(page: Page, lms: Lms, version: str) -> None:
    """On a shared device, the next learner launched by the LMS does not see the previous one's answers."""
    sequence = graded(lms.edge)[0]
    launch(page, lms, "edge", version)
    frame = visit(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: True)
    page.evaluate("window.Lms.unload()")
    launch(page, lms, "edge", version)  # a new learner: a fresh API, no suspend data
    frame = visit(page, lms, "edge", version, sequence)
    expect(frame.locator("form.quiz button[type=submit]")).to_be_visible()
    expect(frame.locator(".quiz-result")).to_be_hidden()
    expect(frame.locator("#q1-0")).not_to_be_checked()
    assert errors(page) == []


def test_links_to_other_sites_open_a_new_window_and_the_course_stays_in_the_sco(page: Page, lms: Lms) -> None:
    frame = launch(page, lms, "ref", "1.2")
    outside = frame.locator("a[href^='http']")
    assert outside.count() > 0
    for index in range(outside.count()):
        assert outside.nth(index).get_attribute("target") == "_blank"
        assert "noopener" in (outside.nth(index).get_attribute("rel") or "")
    inside = frame.locator("main a[href]:not([href^='http']):not([href^='mailto'])")
    assert inside.count() > 0 and all(inside.nth(i).get_attribute("target") is None for i in range(inside.count()))


def test_without_an_lms_the_package_behaves_as_the_website(page: Page, page_errors: list[str], lms: Lms) -> None:
    page.goto(lms.base + "edge-1.2/launch.html")
    course = page.frame(name="mooc-course")
    assert course is not None
    course.wait_for_load_state()
    assert page.evaluate("window.MoocScormHost.version") is None  # no LMS found
    sequence = graded(lms.edge)[0]
    page.goto(lms.base + f"edge-1.2/{sequence.page.file.as_posix()}")
    assert page.evaluate("typeof window.MoocScorm") == "undefined"
    submit(page.main_frame, sequence, lambda number: True)
    expect(page.locator(".quiz-result")).to_contain_text(f"Votre score : {EDGE_POINTS} sur {EDGE_POINTS} points")
    page.reload()
    expect(page.locator(".quiz-result")).to_contain_text(f"{EDGE_POINTS} sur {EDGE_POINTS} points")
    assert page_errors == []


def test_the_api_is_found_up_the_frames_and_2004_is_preferred(page: Page, page_errors: list[str], lms: Lms) -> None:
    """An LMS may nest the SCO deeper, and offer both APIs: the launch page walks up and takes 2004."""
    page.goto(lms.base + "harness.html")
    page.evaluate("window.Lms.start('1.2', null)")
    page.evaluate("window.Lms.start12 = window.Lms.api")
    page.evaluate("window.API = window.Lms.start12; window.Lms.start('2004', null); window.API = window.Lms.start12")
    page.evaluate("""url => window.Lms.launch('about:blank').then(() => new Promise(resolve => {
        const inner = document.getElementById('sco').contentDocument.createElement('iframe');
        inner.name = 'inner';
        inner.addEventListener('load', resolve);
        inner.src = new URL(url, location.href).href;
        document.getElementById('sco').contentDocument.body.appendChild(inner);
    }))""", "edge-2004/launch.html")
    inner = page.frame(name="inner")
    assert inner is not None
    expect(inner.locator("#mooc-course-frame")).to_have_attribute("src", re.compile("index.html"))
    assert inner.evaluate("window.MoocScormHost.version") == "2004"
    assert value(page, "cmi.completion_status") == "incomplete"
    assert page_errors == []


def test_the_learner_moves_between_sequences_inside_the_sco(page: Page, lms: Lms) -> None:
    """Sequence pages keep their previous/next links and the module's list in a package: one SCO, one session."""
    course = lms.site.courses[[c.id for c in lms.site.courses].index("energie-habitants")]
    first, second = course.sequences[0], course.sequences[1]
    frame = visit(page, lms, "ref", "2004", first) if launch(page, lms, "ref", "2004") else None
    assert frame is not None
    assert value(page, "cmi.progress_measure") == "0.1"
    frame.click("nav.pager a[rel=next]")
    frame.wait_for_url(re.compile(re.escape(second.page.file.as_posix()) + "$"))
    expect(frame.locator("main h1")).to_have_text(second.title)
    assert value(page, "cmi.progress_measure") == "0.2"
    expect(frame.locator("nav.module-nav")).to_be_visible()
    assert frame.locator("details.trainer-tools, textarea.embed-code, p.course-links").count() == 0
    assert calls(page).count("Initialize") == 1 and errors(page) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_that_never_says_resume_still_gets_the_answers_back(page: Page, lms: Lms, version: str) -> None:
    """scormhost leaves cmi.entry at ab-initio at every launch: a status reported before says it is a return."""
    sequence = graded(lms.edge)[0]
    launch(page, lms, "edge", version)
    frame = visit(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: True)
    page.evaluate("window.Lms.unload()")
    saved = page.evaluate("window.Lms.state()")
    page.evaluate("localStorage.clear()")
    launch(page, lms, "edge", version, saved, "ab-initio")
    frame = visit(page, lms, "edge", version, sequence)
    expect(frame.locator(".quiz-result")).to_contain_text(f"{EDGE_POINTS} sur {EDGE_POINTS} points")
    assert errors(page) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_api_made_after_the_package_loaded_is_found_and_told_what_happened_meanwhile(
        page: Page, lms: Lms, version: str) -> None:
    """Open edX's block makes its API once its own scripts ran, while its frame already loads the package."""
    course = lms.edge.courses[0]
    page.goto(lms.base + "harness.html")
    page.evaluate("delete window.API; delete window.API_1484_11")
    page.evaluate("url => window.Lms.launch(url)", f"edge-{version}/launch.html")
    frame = page.frame(name="mooc-course")
    assert frame is not None
    frame.wait_for_load_state()
    visit(page, lms, "edge", version, course.sequences[1])  # seen before the LMS is there
    page.evaluate("version => window.Lms.start(version, null)", version)
    sco = page.frame(name="sco")
    assert sco is not None
    sco.wait_for_function("window.MoocScormHost.version !== null", timeout=5000)
    assert sco.evaluate("window.MoocScormHost.version") == version
    frame = visit(page, lms, "edge", version, course.sequences[0])
    if version == "2004":
        assert value(page, "cmi.progress_measure") == decimal_share(2, len(course.sequences))
    submit(frame, course.sequences[0], lambda number: True)
    assert status(page, version)[0] == ("passed" if version == "1.2" else "incomplete")
    assert errors(page) == []


def decimal_share(part: int, whole: int) -> str:
    return str(round(part / whole, 4))



# --- cmi.interactions: one per question of each attempt ---------------------------------------------------------

# The minimal fixture's quiz (q1-q5: single, true_false, text, numeric, multiple worth 2; q6-q9: matching, ordering,
# cloze, hotspot) as the LMS gets it. Positions are those the page shows: the matching's options "1", "2"; the
# ordering's items First, Third, Second; the cloze's select "cold", "warm"; the zones The corner, The middle.
TYPES = {"2004": ["choice", "true-false", "fill-in", "numeric", "choice", "matching", "sequencing", "fill-in", "other"],
         "1.2": ["choice", "true-false", "fill-in", "numeric", "choice", "matching", "sequencing", "fill-in", "choice"]}
PATTERNS = {
    "2004": [["0"], ["false"], ["{case_matters=false}19", "{case_matters=false}dix-neuf"], ["18[:]20"], ["0[,]1"],
             ["0[.]0[,]1[.]1"], ["0[,]2[,]1"], ["{case_matters=false}19[,]warm"], ["The corner"]],
    "1.2": [["0"], ["f"], ["19", "dix-neuf"], ["19"], ["{0,1}"], ["{0.0,1.1}"], ["0,2,1"], ["19,warm"], ["0"]],
}
RIGHT = {"2004": ["0", "false", "19", "19", "0[,]1", "0[.]0[,]1[.]1", "0[,]2[,]1", "19[,]warm", "The corner"],
         "1.2": ["0", "f", "19", "19", "0,1", "0.0,1.1", "0,2,1", "19,warm", "0"]}
# Every answer wrong but the multiple choice's, half right (1 of its 2 points).
WRONG = {"2004": ["1", "true", "zzz", "1020", "0", "0[.]1[,]1[.]0", "0[,]1[,]2", "zzz[,]cold", "The middle"],
         "1.2": ["1", "t", "zzz", "1020", "0", "0.1,1.0", "0,1,2", "zzz,cold", "1"]}
PROMPTS = ["Which one?", "True?", "Temperature?", "How many?", "Which ones?", "Match them.", "In order?", "Fill in.",
           "Where?"]


def interactions(page: Page) -> list[dict[str, Any]]:
    """cmi.interactions as the LMS keeps them (1.2's are write-only for the SCO: read from the LMS's side)."""
    kept = page.evaluate("window.Lms.state()")["cmi"].get("interactions", {})
    return [kept[str(n)] for n in range(len(kept))]


def patterns(interaction: dict[str, Any]) -> list[str]:
    responses = interaction["correct_responses"]
    return [responses[str(n)]["pattern"] for n in range(len(responses))]


def answer_wrong_but_half_of_q5(frame: Frame, sequence: Sequence) -> None:
    """A new attempt over the last one's answers: each question wrong, the multiple choice half right."""
    assert sequence.quiz is not None
    frame.click("form.quiz button.quiz-retry")
    for number, question in enumerate(sequence.quiz.questions, start=1):
        if question.type is QuestionType.MULTIPLE:
            for box in frame.locator(f"#q{number} input[type=checkbox]").all():
                box.uncheck()
            frame.check(f"#q{number}-0")
        elif question.type is QuestionType.ORDERING:  # back as first shown: no two in their right order
            put_in_order(frame, number, question, list(question.shown_items))
        else:
            answer(frame, number, question, False)  # type: ignore[arg-type]  # a Frame fills like a Page
    frame.click("form.quiz button[type=submit]")
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : 1 sur {EDGE_POINTS} points")


@pytest.mark.parametrize("version", VERSIONS)
def test_every_question_type_reaches_the_lms_as_an_interaction_at_each_attempt(
        page: Page, page_errors: list[str], lms: Lms, version: str) -> None:
    """Both attempts of the minimal quiz, in two launches: the second's interactions follow the first's
    (cmi.interactions._count), with the same ids, and say what the learner gave and what it earned."""
    sequence = graded(lms.edge)[0]
    assert sequence.quiz is not None and [q.type.value for q in sequence.quiz.questions][5:] == [
        "matching", "ordering", "cloze", "hotspot"]
    launch(page, lms, "edge", version)
    frame = visit(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: True)
    first = interactions(page)
    assert [i["id"] for i in first] == [f"intro_first-q{n}" for n in range(1, 10)]
    assert [i["type"] for i in first] == TYPES[version]
    assert [patterns(i) for i in first] == PATTERNS[version]
    response = "student_response" if version == "1.2" else "learner_response"
    assert [i[response] for i in first] == RIGHT[version]
    assert {i["result"] for i in first} == {"correct"}
    assert [i["weighting"] for i in first] == ["1", "1", "1", "1", "2", "1", "1", "1", "1"]
    if version == "2004":
        assert [i["description"] for i in first] == PROMPTS
        assert all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", i["timestamp"]) for i in first)
    else:
        assert all(re.match(r"^\d\d:\d\d:\d\d$", i["time"]) for i in first)
    page.evaluate("window.Lms.unload()")
    # The next launch, on a device that forgot everything: a second attempt, journaled after the first.
    saved = page.evaluate("window.Lms.state()")
    page.evaluate("localStorage.clear()")
    launch(page, lms, "edge", version, saved)
    frame = visit(page, lms, "edge", version, sequence)
    # The LMS's suspend data gives the attempt back, the new types' answers as they were.
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {EDGE_POINTS} sur {EDGE_POINTS} points")
    expect(frame.locator("#q6-1")).to_have_value("1")
    assert frame.locator("#q7 li[data-position]").evaluate_all("items => items.map(li => li.dataset.position)") == [
        "0", "2", "1"]
    expect(frame.locator("#q8-0")).to_have_value("19")
    expect(frame.locator("#q9-0")).to_be_checked()
    answer_wrong_but_half_of_q5(frame, sequence)
    both = interactions(page)
    assert both[:9] == first and [i["id"] for i in both[9:]] == [i["id"] for i in first]
    second = both[9:]
    assert [i["type"] for i in second] == TYPES[version] and [patterns(i) for i in second] == PATTERNS[version]
    assert [i[response] for i in second] == WRONG[version]
    wrong = "wrong" if version == "1.2" else "incorrect"
    assert [i["result"] for i in second] == [wrong] * 4 + ["1"] + [wrong] * 4  # q5: 1 point of its weighting 2
    assert errors(page) == [] and page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_that_refuses_interactions_still_gets_the_score(page: Page, page_errors: list[str], lms: Lms,
                                                                version: str) -> None:
    """An LMS with room for three interactions (it refuses the fourth's id): three are written, nothing more is
    tried, and the quiz, its score and the suspend data are as without interactions."""
    sequence = graded(lms.edge)[0]
    page.goto(lms.base + "harness.html")
    page.evaluate("version => window.Lms.start(version, null)", version)
    page.evaluate("""name => {
        const api = window.Lms.api, set = api[name];
        window.Lms.refused = [];
        api[name] = function (element, value) {
            const at = /^cmi\\.interactions\\.(\\d+)\\./.exec(element);
            if (at && Number(at[1]) >= 3) { window.Lms.refused.push(element); return "false"; }
            return set.apply(api, arguments);
        };
    }""", "LMSSetValue" if version == "1.2" else "SetValue")
    page.evaluate("url => window.Lms.launch(url)", f"edge-{version}/launch.html")
    frame = visit(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: True)
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {EDGE_POINTS} sur {EDGE_POINTS} points")
    assert [i["id"] for i in interactions(page)] == ["intro_first-q1", "intro_first-q2", "intro_first-q3"]
    assert page.evaluate("window.Lms.refused") == ["cmi.interactions.3.id"]
    assert status(page, version)[-1] == ("100" if version == "1.2" else "1")
    assert value(page, "cmi.suspend_data").startswith("3~")
    assert errors(page) == [] and page_errors == []
