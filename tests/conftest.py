"""Shared fixtures: content trees copied into tmp folders, and built sites.

The browser tests (tests/browser/, and the few others marked ``browser``) need Playwright for Python, Debian's
Chromium and the npm tools of `make tools-npm`. ``pytest -m "not browser"`` is the loop without them; plain
``pytest`` collects without Playwright and says why the browser tests are left out; `make test` sets
MOOC_REQUIRE_TOOLS=1, which turns every such absence into a failure.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from importlib.abc import MetaPathFinder
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTENT = ROOT / "content"  # the reference courses, as `make build` builds them: with their printable handouts


def _without_handouts(content: Path) -> Path:
    """A copy of the reference courses that asks for no printable handout (`handouts: true` taken out of each
    course.yml), made once per test process.

    WeasyPrint lays out a handout in about 0.3 s: the reference courses' 42 would add ten seconds to each of the
    dozens of cold builds of the reference courses the tests make (in this process and in `mooc` commands they
    start), for pages that are not about handouts. tests/test_handouts.py builds CONTENT's handouts, and
    tests/test_incremental.py one course's, to hold the handouts to the same oracle as every other file."""
    folder = Path(tempfile.mkdtemp(prefix="reference-content-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / "content"
    shutil.copytree(content, copy)
    for course_yml in sorted(copy.glob("courses/*/course.yml")):
        text = course_yml.read_text(encoding="utf-8")
        assert "\nhandouts: true\n" in text, course_yml
        course_yml.write_text(text.replace("\nhandouts: true\n", "\n"), encoding="utf-8")
    return copy


# mooc speaks the system's language; the tests read its English, whatever the machine's locale, and the tests of
# other languages (tests/test_messages.py) ask for theirs.
os.environ["MOOC_LANG"] = "en"

REFERENCE = _without_handouts(CONTENT)  # what the tests build as "the reference courses"
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
REQUIRE_TOOLS = os.environ.get("MOOC_REQUIRE_TOOLS") == "1"
NO_PLAYWRIGHT = importlib.util.find_spec("playwright") is None
WHY_NO_BROWSER = "Playwright for Python is not installed (`make test` installs it, with Chromium)"

# Without Playwright the browser tests cannot even be imported: they are left out of the collection, and the
# header and the summary say so.
collect_ignore = ["browser"] if NO_PLAYWRIGHT and not REQUIRE_TOOLS else []


def pytest_report_header() -> list[str]:
    return [f"browser tests not collected: {WHY_NO_BROWSER}"] if collect_ignore else []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if collect_ignore:
        terminalreporter.write_line(f"browser tests not collected: {WHY_NO_BROWSER}", yellow=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal valid tree at tmp/content; the working folder is tmp."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target, symlinks=True)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one piece of text in a file; fails loudly if the text is not there."""

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace


# The PDFs of printable handouts, in the tests that build them (tests/test_incremental.py builds one course's
# dozens of times): make_pdf is a pure function of what it is given (the HTML, the PDF's place, the pictures'
# bytes, the base URL), so within one test process a PDF it already made from the very same inputs is handed
# back instead of laid out again. The build's own keys and reuse are untouched (a wrong key still shows: the
# HTML differs), and the tests of handouts themselves (marked `handouts_rendered`) lay every PDF out.
_PDFS: dict[tuple[object, ...], bytes] = {}


@pytest.fixture(autouse=True)
def _handouts_laid_out_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("handouts_rendered") is not None:
        return
    from mooc_builder.build import handouts

    make_pdf = handouts.make_pdf

    def once(html: str, place: PurePosixPath, files: dict[str, Path], base_url: str) -> bytes:
        pictures = tuple(sorted((name, hashlib.sha256(path.read_bytes()).hexdigest()) for name, path in files.items()))
        key = (hashlib.sha256(html.encode("utf-8")).hexdigest(), str(place), pictures, base_url)
        made = _PDFS.get(key)
        if made is None:
            made = _PDFS[key] = make_pdf(html, place, files, base_url)
        return made

    monkeypatch.setattr(handouts, "make_pdf", once)


class _NoPango(MetaPathFinder):
    """Imports WeasyPrint as a machine without Pango does: its loading of the library fails."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: "
                          "No such file or directory")


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """WeasyPrint as it fails to load without Pango (tests/test_handouts.py); what the engine then says."""
    from mooc_builder.exports import handouts as pdf_engine

    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    finder = _NoPango()
    sys.meta_path.insert(0, finder)
    try:
        said = pdf_engine._load.__wrapped__()
    finally:
        sys.meta_path.remove(finder)
    assert isinstance(said, str)
    monkeypatch.setattr(pdf_engine, "_load", lambda: said)
    yield said


@pytest.fixture(autouse=True)
def _one_process_per_test_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pytest-xdist (`make check-fast`), a build that does not say how many processes to use takes one:
    the test workers already keep every core busy, and a pool of build processes in each of them only adds
    their start and their hand-offs (test_incremental.py took 77 s on two workers, 52 s so). The tests of
    several processes say ``jobs=2``, and `make test` runs every test one after the other, with the default."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from mooc_builder import processes

    workers = processes.workers
    monkeypatch.setattr(processes, "workers", lambda jobs, limit=8: workers(1 if jobs is None else jobs, limit))


# Templates compiled by a build in this test process, for the next build's theme to load instead of compiling
# them again: a cold build into a new folder spends a third of its time compiling the theme's templates, and
# the tests make hundreds of such builds. Jinja checks each against its template's source (the checksum), and a
# build given one still writes it into its own cache, as if it had compiled it: its output is the same.
_COMPILED: dict[tuple[str, str], bytes] = {}


@pytest.fixture(autouse=True)
def _templates_compiled_once_per_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("compiles_templates") is not None:
        return
    from mooc_builder.render.theme import KeptTemplates

    load, dump = KeptTemplates.load_bytecode, KeptTemplates.dump_bytecode

    def load_bytecode(self: KeptTemplates, bucket: Any) -> None:
        load(self, bucket)
        known = _COMPILED.get((bucket.key, bucket.checksum)) if bucket.code is None else None
        if known is not None:
            bucket.bytecode_from_string(known)
            if bucket.code is not None:
                self.new[bucket.key] = known

    def dump_bytecode(self: KeptTemplates, bucket: Any) -> None:
        dump(self, bucket)
        _COMPILED[(bucket.key, bucket.checksum)] = self.new[bucket.key]

    monkeypatch.setattr(KeptTemplates, "load_bytecode", load_bytecode)
    monkeypatch.setattr(KeptTemplates, "dump_bytecode", dump_bytecode)
