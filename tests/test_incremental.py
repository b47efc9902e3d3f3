"""Incremental builds: nothing rewritten when nothing changed, exactly what shows an edit, same bytes
with one process or several, and a deleted cache changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mooc_builder.build import Builder, BuildOptions, build, records
from mooc_builder.build import builder as builder_module
from mooc_builder.build.records import read_shares
from mooc_builder.diagnostics import Report
from mooc_builder.load import loading, parallel
from mooc_builder.render import bundles
from mooc_builder.render.renderer import Renderer

from .conftest import CONTENT, REFERENCE
from .sitecheck import site_digest, tree_digest

AS_OF = dt.date(2017, 11, 20)
Edit = Callable[[Path, str, str], None]


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """The reference courses, with the printable handouts of the course the edits below touch (the others',
    which no edit here reaches, would cost ten seconds of WeasyPrint a cold build)."""
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    shutil.copy(CONTENT / "courses/energie-proximite/course.yml", content / "courses/energie-proximite/course.yml")
    assert "handouts: true" in (content / "courses/energie-proximite/course.yml").read_text(encoding="utf-8")
    return content


def site_files(site: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime of every file of the site (the cache excepted)."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file() and ".mooc-cache" not in p.parts}


def test_a_warm_build_writes_no_file(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build(BuildOptions(reference, out, AS_OF))
    assert first.ok and len(first.written) > 200
    before = site_files(out)
    second = build(BuildOptions(reference, out, AS_OF))
    assert second.ok
    assert second.written == [] and second.rendered == 0 and second.bundles_written == 0
    assert site_files(out) == before  # same inodes and dates: an rsync copies nothing
    third = build(BuildOptions(reference, out, AS_OF))  # not even checked again: its inputs are the same
    assert third.unchanged
    assert (third.pages, third.files, third.bundles) == (first.pages, first.files, first.bundles) != (0, 0, 0)


def test_an_edit_rewrites_exactly_the_files_that_show_it(reference: Path, tmp_path: Path, edit: Edit) -> None:
    out = tmp_path / "site"
    assert build(BuildOptions(reference, out, AS_OF)).ok
    before = tree_digest(out)
    page = reference / "courses/energie-proximite/02-expliquer-les-charges/01-regularisation-des-charges.md"
    edit(page, "\n\n", "\n\nUne phrase ajoutée. ")
    result = build(BuildOptions(reference, out, AS_OF))
    after = tree_digest(out)
    changed = sorted(k for k in after if before.get(k) != after[k] and not k.startswith(".mooc-cache"))
    assert sorted(result.written) == changed
    base = "energie-proximite/expliquer-les-charges/regularisation-des-charges"
    expected = {
        f"{base}/index.html", f"{base}/embed/index.html",  # the pages that show the text
        f"{base}/present/index.html", "energie-proximite/expliquer-les-charges/present/index.html",  # projected
        "energie-proximite/search/index.js",  # the course's search index holds it
        "energie-proximite/downloads/energie-proximite.zip",  # the two bundles with its sheet
        "energie-proximite/downloads/energie-proximite-expliquer-les-charges.zip",
        "energie-proximite/downloads/energie-proximite-scorm-1.2.zip",  # the course's SCORM packages
        "energie-proximite/downloads/energie-proximite-scorm-2004.zip",
        # its module's participant handout (the facilitator's guide does not show the text)
        "energie-proximite/handouts/expliquer-les-charges-participant.pdf",
    }
    # The kit page too, when it lists sizes that changed.
    assert set(changed) - {"energie-proximite/kit/index.html"} == expected


@pytest.mark.thorough
def test_one_process_and_several_give_the_same_bytes(reference: Path, tmp_path: Path) -> None:
    one = build(BuildOptions(reference, tmp_path / "one", AS_OF, jobs=1))
    several = build(BuildOptions(reference, tmp_path / "several", AS_OF, jobs=2))
    assert one.ok and several.ok and one.rendered == several.rendered > 200
    # Several processes made pages and bundles in one pool; one process made them in turn.
    assert several.processes.startswith("2 processes (") and one.processes == "1 process"
    assert site_digest(tmp_path / "one") == site_digest(tmp_path / "several")
    # The load cache holds every sequence.
    kept = {name: read_shares(tmp_path / name, None).sequences for name in ("one", "several")}
    assert kept["several"].keys() == kept["one"].keys() and len(kept["one"]) > 20
    assert [m.sequence for m in kept["several"].values()] == [m.sequence for m in kept["one"].values()]


@pytest.mark.thorough
@pytest.mark.compiles_templates  # the other reader starts while this process compiles the theme
def test_sequences_read_in_several_processes_give_the_same_site(reference: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    mine: list[int] = []  # what this process read: the other reader's list stays in its own memory

    class Counted(parallel.Claims):
        def mine(self, index: int) -> bool:
            taken = super().mine(index)
            if taken:
                mine.append(index)
            return taken

    monkeypatch.setattr(parallel, "Claims", Counted)
    walks: list[Path] = []
    discover = loading.discover
    monkeypatch.setattr(loading, "discover", lambda root, report: walks.append(root) or discover(root, report))
    delivered: list[int] = []  # memos the other reader sent, share by share

    class Counting(parallel.Pool):
        def ready(self) -> list[object]:
            sent = super().ready()
            delivered.extend(len(memos) for memos in sent if isinstance(memos, dict))
            return sent

        def results(self) -> Iterator[object]:
            for memos in super().results():
                delivered.append(len(memos) if isinstance(memos, dict) else 0)
                yield memos

    monkeypatch.setattr(parallel, "Pool", Counting)
    # The reference courses have a few dozen sequences: read in two processes from 10.
    one = build(BuildOptions(reference, tmp_path / "one", AS_OF, jobs=1, parallel_from=10))
    builder = Builder(BuildOptions(reference, tmp_path / "several", AS_OF, jobs=2, parallel_from=10))
    walks.clear()
    several = builder.build()
    # The tree is discovered once: the reading in this process reuses it.
    assert several.site is not None and len(walks) == 1
    sequences = sum(len(c.sequences) for c in one.site.courses) if one.site else 0
    # This process compiled the theme first (the page renderers inherit it), and the other reader took the
    # shares it did not get to; their memos came back share by share.
    assert len(mine) < sequences
    assert builder.load_cache is not None and builder.load_cache.shape is not None
    assert sum(delivered) == len(builder.load_cache.shape.pages) - len(mine)
    assert len([n for n in delivered if n]) > 1
    assert builder.theme is not None
    compiled = {name for _loader, name in builder.theme.env.cache} if builder.theme.env.cache is not None else set()
    assert compiled == set(builder.theme.env.list_templates())
    assert [str(d) for d in one.report] == [str(d) for d in several.report]
    assert site_digest(tmp_path / "one") == site_digest(tmp_path / "several")
    # The inputs' stat, taken while the other process read, says nothing changed since.
    assert Builder(BuildOptions(reference, tmp_path / "several", AS_OF, jobs=2)).build().unchanged


def test_claims_hand_each_sequence_to_one_reader() -> None:
    counter = multiprocessing.get_context().Value("q", 0)
    early, late = parallel.Claims(counter), parallel.Claims(counter)
    taken = [i for i in range(40) if early.mine(i)]
    taken_late = [i for i in range(100) if late.mine(i)]
    taken += [i for i in range(40, 100) if early.mine(i)]
    assert sorted(taken + taken_late) == list(range(100))
    assert taken[:40] == list(range(40)) and len(taken_late) > len(taken) - 40


@pytest.mark.thorough
def test_deleting_the_cache_gives_the_same_site(reference: Path, tmp_path: Path, edit: Edit) -> None:
    out = tmp_path / "site"
    assert build(BuildOptions(reference, out, AS_OF)).ok
    edit(reference / "courses/energie-habitants/course.yml", "Habitants", "Habitantes et habitants")
    assert build(BuildOptions(reference, out, AS_OF)).ok
    with_cache = site_digest(out)
    shutil.rmtree(out / ".mooc-cache")
    assert build(BuildOptions(reference, out, AS_OF)).ok
    without = site_digest(out)
    assert with_cache == without
    fresh = tmp_path / "fresh"
    assert build(BuildOptions(reference, fresh, AS_OF)).ok
    assert site_digest(fresh) == without


@pytest.mark.thorough
def test_a_damaged_cache_is_ignored(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(BuildOptions(reference, out, AS_OF)).ok
    expected = site_digest(out)
    damaged = [path for path in (out / ".mooc-cache").rglob("*") if path.is_file()]
    assert len(damaged) > 10  # the manifest, the records and load cache of each course, compiled templates...
    for path in damaged:
        path.write_bytes(b"\x00garbage")
    result = build(BuildOptions(reference, out, AS_OF))
    assert result.ok
    assert site_digest(out) == expected


def test_serve_path_reuses_the_model_between_builds(reference: Path, tmp_path: Path, edit: Edit) -> None:
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    assert builder.build(in_place=True).ok
    edit(reference / "courses/energie-habitants/01-comprendre-sa-facture/01-lire-sa-facture.md", "\n\n",
         "\n\nAjout. ")
    result = builder.build(in_place=True)
    assert result.ok and builder.load_cache is not None
    assert builder.load_cache.misses == 1  # only the edited sequence was read again
    assert result.rendered < 15


def test_an_edit_on_the_serve_path_plans_the_bundles_and_renders_the_kit_page_of_its_course_alone(
        reference: Path, tmp_path: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    # Planning every course's bundles and rendering every kit page at each save took 2 s of a 3 s rebuild
    # in an 80-course catalogue.
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    first = builder.build(in_place=True)
    assert first.ok and first.site is not None and len(first.site.courses) >= 3
    planned: list[str] = []
    kits: list[str] = []
    plan, kit_page = bundles.plan, Renderer.kit_page
    monkeypatch.setattr(bundles, "plan", lambda course, roles, *rest: planned.append(course.id)
                        or plan(course, roles, *rest))
    monkeypatch.setattr(Renderer, "kit_page", lambda self, course, *rest: kits.append(course.id)
                        or kit_page(self, course, *rest))
    page = reference / "courses/energie-proximite/02-expliquer-les-charges/01-regularisation-des-charges.md"
    # A paragraph, so that the kit page's sizes (rounded to the kilobyte) change.
    edit(page, "\n\n", "\n\n" + " ".join(f"Une phrase ajoutée, la {n}e." for n in range(100)) + "\n\n")
    result = builder.build(in_place=True, changed={page})
    assert result.ok
    assert planned == kits == ["energie-proximite"]
    assert result.bundles_written == 2  # its module's and its course's: the others' listings were kept
    assert "energie-proximite/kit/index.html" in result.written  # it shows the new sizes


SEQUENCE = "courses/energie-proximite/02-expliquer-les-charges/01-regularisation-des-charges.md"
EDITS = {
    "text": (SEQUENCE, "---\nChaque printemps", "---\nUne phrase ajoutée. Chaque printemps"),
    "title": (SEQUENCE, 'title: "La régularisation des charges, simplement"', 'title: "La régularisation"'),
    "licence": (SEQUENCE, "duration: 15min\n", "duration: 15min\nlicence: CC-BY-4.0\n"),
    "resource": (SEQUENCE, 'title: "Schéma : la régularisation annuelle"', 'title: "Schéma annuel"'),
    "quiz": ("courses/energie-proximite/02-expliquer-les-charges/charges.quiz.yml", "answer: 60", "answer: 61"),
    "quiz points": ("courses/energie-proximite/02-expliquer-les-charges/charges.quiz.yml", "points: 2\n",
                    "points: 3\n"),
    "module": ("courses/energie-proximite/02-expliquer-les-charges/module.yml", "objectives:",
               'objectives:\n  - "Écouter avant de répondre"'),
    "course": ("courses/energie-proximite/course.yml", 'referent: "Val', 'referent: "Un bailleur et Val'),
    # The bundles' credits show the site's funders; a caption file is copied, given as a script and zipped.
    "site": ("site.yml", 'name: "Caisse des territoires solidaires"', 'name: "Caisse des territoires"'),
    # A module's bundle links a sequence of another module to its address on the site.
    "base url": ("site.yml", 'base_url: "https://mooc.habitat-social.example.org"', 'base_url: "https://mooc.example.org"'),
    "caption": ("courses/energie-proximite/media/atelier.fr.vtt", "Bienvenue à l'atelier", "Bienvenue"),
    "drawing": ("courses/energie-proximite/media/regularisation-charges.svg", "</svg>", "<!-- v2 --></svg>"),
    # Presenter notes show in the projector views alone; a module's title on the last slide of the one before.
    "notes": (SEQUENCE, "---\nChaque printemps", "---\n::: notes\nUne note.\n:::\n\nChaque printemps"),
    "module title": ("courses/energie-proximite/02-expliquer-les-charges/module.yml",
                     'title: "Expliquer les charges"', 'title: "Expliquer"'),
}


@pytest.fixture
def two_courses(reference: Path) -> Path:
    """The reference courses the edits below touch or warn in: energie-proximite, with its handouts, and
    energie-habitants. No course links another's pages (checked here), so the other two would only double the
    cost of each of the oracle's 90 builds; scoping to one course out of several is still what a `mooc build`
    after an edit must do."""
    site_yml = reference / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    others = ("energie-maitrise-ouvrage", "accession-propriete")
    for source in (reference / "courses").rglob("*"):
        if source.suffix in (".md", ".yml"):
            said = source.read_text(encoding="utf-8")
            assert not any(o in said for o in others if o not in source.parts), source
    for other in others:
        shutil.rmtree(reference / "courses" / other)
        assert f"  - {other}\n" in text
        text = text.replace(f"  - {other}\n", "")
    site_yml.write_text(text, encoding="utf-8")
    return reference


HOWS = ["looked-at", "watched", "mooc-build"]
# Every kind of edit, made each of the three ways (`make test`); the contributors' loop (`make check-fast`) makes
# each way once: a sequence's text looked at, a caption watched, site.yml through another `mooc build`.
IN_THE_LOOP = {("text", "looked-at"), ("caption", "watched"), ("site", "mooc-build")}
REBUILDS = [pytest.param(kind, how, id=f"{kind}-{how}", marks=() if (kind, how) in IN_THE_LOOP else
                         pytest.mark.thorough) for kind in sorted(EDITS) for how in HOWS]


@pytest.mark.thorough
@pytest.mark.parametrize(("kind", "how"), REBUILDS)
def test_a_rebuild_after_an_edit_gives_the_site_a_fresh_build_gives(two_courses: Path, tmp_path: Path, edit: Edit,
                                                                    kind: str, how: str,
                                                                    fresh_builds: dict[str, tuple[list[str],
                                                                                                  dict[str, str]]]
                                                                    ) -> None:
    """Whatever an edit touches, reusing the previous build's pages must leave none of them stale: on the
    serve path, told which file changed (as `mooc serve`'s watcher tells it) or not, and through another
    `mooc build`, which rebuilds the course the edit touched alone when it touched one course only."""
    reference = two_courses
    # Warnings in two modules, which a rebuild must report again, in the same order.
    module = reference / "courses/energie-habitants/01-comprendre-sa-facture"
    shutil.copy(reference / "courses/energie-proximite/02-expliquer-les-charges/charges.quiz.yml",
                module / "oublie.quiz.yml")
    edit(reference / SEQUENCE, "## Le principe en une image", "#### Le principe en une image")
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    assert (builder.build() if how == "mooc-build" else builder.build(in_place=True)).ok
    path, old, new = EDITS[kind]
    edit(reference / path, old, new)
    if how == "mooc-build":
        result = Builder(BuildOptions(reference, tmp_path / "served", AS_OF)).build()
        # An edit inside one course rebuilds it alone; site.yml is the whole site's.
        assert result.scope == (None if kind in ("site", "base url") else ["energie-proximite"])
    else:
        result = builder.build(in_place=True, changed={reference / path} if how == "watched" else None)
    assert result.ok, [str(d) for d in result.report.errors]
    assert result.written  # the edit shows somewhere
    expected = fresh_builds.get(kind)
    if expected is None:  # the same edit made in another way (the 'how'): the same fresh build
        fresh = build(BuildOptions(reference, tmp_path / "fresh", AS_OF))
        assert fresh.ok
        assert len(fresh.report.warnings) >= 2
        expected = fresh_builds[kind] = (_said(fresh.report, reference), site_digest(tmp_path / "fresh"))
    assert _said(result.report, reference) == expected[0]  # warnings replayed, in order
    assert site_digest(tmp_path / "served") == expected[1]


def _said(report: Report, content: Path) -> list[str]:
    """What a report says, with the content folder's path (each test's own) left out."""
    return [str(d).replace(str(content), "<content>") for d in report]


@pytest.fixture(scope="module")
def fresh_builds() -> dict[str, tuple[list[str], dict[str, str]]]:
    """By kind of edit, what a fresh build of the edited courses says and makes (made by the first test of
    that kind to need it)."""
    return {}


@pytest.mark.thorough
def test_the_serve_path_sees_a_missing_file_appear(reference: Path, tmp_path: Path, edit: Edit) -> None:
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    assert builder.build(in_place=True).ok
    edit(reference / SEQUENCE, "---\nChaque printemps", "---\n![Un plan](../media/plan.svg)\n\nChaque printemps")
    failed = builder.build(in_place=True)
    assert [str(d.message) for d in failed.report.errors] == ["link to '../media/plan.svg': file not found"]
    media = reference / "courses/energie-proximite/media"
    shutil.copy(media / "regularisation-charges.svg", media / "plan.svg")  # the author adds the file
    fixed = builder.build(in_place=True)
    assert fixed.ok, [str(d) for d in fixed.report.errors]
    assert (tmp_path / "served/energie-proximite/media/plan.svg").is_file()


@pytest.mark.thorough
def test_every_sequence_linking_to_a_missing_file_sees_it_appear(reference: Path, tmp_path: Path) -> None:
    # A link is resolved once per load for all the sequences of a folder: each must still watch the file.
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    assert builder.build(in_place=True).ok
    module = reference / "courses/energie-proximite/02-expliquer-les-charges"
    for name in ("01-regularisation-des-charges.md", "02-repondre-aux-reclamations.md"):
        page = module / name
        page.write_text(page.read_text(encoding="utf-8") + "\n![Un plan](../media/plan.svg)\n", encoding="utf-8")
    failed = builder.build(in_place=True)
    assert [str(d.message) for d in failed.report.errors] == ["link to '../media/plan.svg': file not found"] * 2
    media = reference / "courses/energie-proximite/media"
    shutil.copy(media / "regularisation-charges.svg", media / "plan.svg")
    fixed = builder.build(in_place=True)
    assert fixed.ok, [str(d) for d in fixed.report.errors]


@pytest.mark.thorough
def test_a_watched_rebuild_sees_files_added_and_removed(reference: Path, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(reference, tmp_path / "served", AS_OF))
    assert builder.build(in_place=True).ok
    served = tmp_path / "served/energie-proximite/expliquer-les-charges"
    module = reference / "courses/energie-proximite/02-expliquer-les-charges"
    added = module / "03-une-visite.md"
    added.write_text('---\ntitle: "Une visite"\n---\nKarim rend visite à une locataire.\n', encoding="utf-8")
    assert builder.build(in_place=True, changed={added, module}).ok
    assert "Karim rend visite" in (served / "une-visite/index.html").read_text(encoding="utf-8")
    # An editor's temporary file, gone by the time the build runs, changes nothing.
    assert builder.build(in_place=True, changed={module / ".03-une-visite.md.swp"}).written == []
    added.unlink()
    result = builder.build(in_place=True, changed={added})
    assert result.ok and not (served / "une-visite").exists()
    assert "energie-proximite/expliquer-les-charges/une-visite/index.html" in result.removed


@pytest.mark.thorough
def test_a_mooc_build_after_an_edit_in_one_course_reads_that_course_alone(reference: Path, tmp_path: Path,
                                                                         edit: Edit,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert build(BuildOptions(reference, out, AS_OF)).ok
    read: list[list[str] | None] = []
    shares = records.read_shares
    monkeypatch.setattr(builder_module, "read_shares",
                        lambda site, names: read.append(names) or shares(site, names))
    edit(reference / SEQUENCE, "---\nChaque printemps", "---\nUne phrase ajoutée. Chaque printemps")
    result = Builder(BuildOptions(reference, out, AS_OF)).build()
    assert result.ok and result.scope == ["energie-proximite"]
    assert read == [["energie-proximite"]]  # the other courses' sequences were not even unpickled
    assert result.rendered < 10
    assert all(p.startswith("energie-proximite/") for p in result.written)


@pytest.mark.thorough
def test_a_kept_course_that_no_longer_matches_its_record_is_built_again(reference: Path, tmp_path: Path,
                                                                        edit: Edit) -> None:
    """Another course's page missing from the manifest (an interrupted or older build): the scoped build finds
    that course's record out of step with the site, and builds everything, as a fresh build would."""
    out = tmp_path / "site"
    assert build(BuildOptions(reference, out, AS_OF)).ok
    manifest = out / ".mooc-cache/manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["files"]["energie-habitants/index.html"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    edit(reference / SEQUENCE, "---\nChaque printemps", "---\nUne phrase ajoutée. Chaque printemps")
    result = Builder(BuildOptions(reference, out, AS_OF)).build()
    assert result.ok and result.scope is None
    fresh = build(BuildOptions(reference, tmp_path / "fresh", AS_OF))
    assert fresh.ok and site_digest(out) == site_digest(tmp_path / "fresh")
    assert "energie-habitants/index.html" in json.loads(manifest.read_text(encoding="utf-8"))["files"]
