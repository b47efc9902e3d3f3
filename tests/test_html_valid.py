"""Valid HTML on every page type: the Nu HTML Checker (vnu.jar, from the npm package vnu-jar that `make tools-vnu`
installs into .tools/vnu/, run by Debian's Java) reads one page of each kind the reference courses make, on the
site and in an unpacked download bundle, in one run, and reports no error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions, build

from .conftest import FIXTURES, REFERENCE, REQUIRE_TOOLS, ROOT
from .pagetypes import bundle_pages, site_pages, unpack_bundles
from .test_build import AS_OF

VNU_JAR = ROOT / ".tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TIMEOUT = 300  # seconds: one JVM for every page takes about ten on two cores

def java_and_checker() -> list[str]:
    """The command that runs the checker; a skip (a failure under `make test`) saying how to install it."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        missing = "Java" if java is None else f"the Nu HTML Checker ({VNU_JAR.relative_to(ROOT)})"
        message = f"{missing} is not installed (`make tools-vnu` installs it)"
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(message)
    return [str(java), "-jar", str(VNU_JAR)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One page of every type: the reference courses built once for this module, and their courses' bundles
    unpacked as a facilitator unpacks them."""
    folder = tmp_path_factory.mktemp("valid")
    site = folder / "site"
    result = build(BuildOptions(REFERENCE, site, AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    found = {**site_pages(site), **bundle_pages(unpack_bundles(site, folder / "bundles"))}
    # The minimal course's quiz asks every question type: its projector views and sheets show each.
    minimal = folder / "minimal"
    result = build(BuildOptions(FIXTURES / "minimal", minimal / "site", AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    kit = unpack_bundles(minimal / "site", minimal / "bundles") / "demo" / "intro"
    found |= {"projector view of every question type": minimal / "site/demo/intro/first/present/index.html",
              "bundle projector view of every question type": kit / "projection" / "01-first.html",
              "participants' sheet of every question type": kit / "participants" / "01-first.html",
              "facilitator's sheet of every question type": kit / "01-first.html"}
    assert all(page.is_file() for page in found.values()), found
    return found


def test_the_page_types_are_the_ones_meant(pages: dict[str, Path]) -> None:
    """The picks hold what they stand for: a transcript beside a video, a quiz, a player."""
    text = {kind: page.read_text(encoding="utf-8") for kind, page in pages.items()}
    for kind in ("sequence with a video", "embed", "projector view of a sequence",
                 "bundle projector view of a sequence"):
        assert 'class="transcript"' in text[kind], kind
    assert 'class="quiz' in text["sequence with a quiz"]
    for kind in ("projector view of every question type", "bundle projector view of every question type"):
        assert all(f'class="{mark}"' in text[kind] for mark in ("slide-matching", "slide-order", "slide-cloze",
                                                                "hotspot-drawing")), kind
    assert all(f'class="{mark}"' in text["participants' sheet of every question type"]
               for mark in ("blank-matching", "blank-choices blank-ordering", "blank-cloze", "hotspot-drawing"))
    assert all(f'class="{mark}"' in text["facilitator's sheet of every question type"]
               for mark in ("answer-pairs", "answer-order", "filled", "hotspot-drawing"))
    assert "<video" in text["video player"]
    assert len(set(pages.values())) == len(pages)


def test_every_page_type_is_valid_html(pages: dict[str, Path]) -> None:
    files = sorted(set(pages.values()))
    command = [*java_and_checker(), "--errors-only", "--format", "json", "--stdout", *map(str, files)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    try:
        messages = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise AssertionError(f"the checker said no JSON (exit {run.returncode}): {run.stdout}{run.stderr}") from None
    folder = pages["home"].parent.parent  # the site and the unpacked bundles
    kinds = {page.resolve(): kind for kind, page in pages.items()}

    def where(url: str) -> str:
        """The page type and the file (file:/tmp/... as the checker names it) relative to the test's folder."""
        path = Path(url.removeprefix("file:")).resolve()
        return f"{kinds.get(path, '?')}: {path.relative_to(folder) if path.is_relative_to(folder) else url}"

    errors = [f"{where(m.get('url', ''))}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
              for m in messages]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr
