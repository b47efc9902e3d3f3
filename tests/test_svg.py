"""Every SVG drawing the site ships is safe (issue 26): no script, no event attribute, no reference to another
host, and still the same drawing. media/svg.py cleans, load/drawings.py says it at check time where the
drawing is named, media/drawings.py ships the cleaned copy at build time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
import resvg_py
from PIL import Image

from mooc_builder.build import BuildOptions, build
from mooc_builder.build.export import run_export
from mooc_builder.diagnostics import Diagnostic, Report
from mooc_builder.lang.choose import catalogue
from mooc_builder.load.cache import LoadCache
from mooc_builder.load.loading import check
from mooc_builder.media import svg
from mooc_builder.media.drawings import derive_svg
from mooc_builder.media.making import Deriving
from mooc_builder.media.store import Store
from mooc_builder.media.svg import clean_svg
from mooc_builder.model import MediaFile
from mooc_builder.model.media import map_media, media_files
from mooc_builder.write.hashes import FileHashes

from .test_zim import entries as zim_entries

AS_OF = dt.date(2017, 11, 20)
FRENCH = catalogue("fr")
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 20"'
# The minimal tree's clip.svg is the first video's poster (01-first.md line 6) and a picture of its body (line 21).
FIRST = "content/courses/demo/01-intro/01-first.md"
THIRD = "content/courses/demo/02-suite/01-third.md"
CLIP = "courses/demo/media/clip.svg"

# A drawing that uses what a clean drawing uses: a gradient, a pattern, <use>, a class in <style>, url(#id) in
# style=, a picture beside it, pixels in a data: URI, a link to a place of the drawing.
PNG_1x1 = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
REFERENCE = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Drawn by hand -->
{SVG_OPEN} width="40" height="20">
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#036"/><stop offset="1" stop-color="#fc0"/></linearGradient>
    <pattern id="p" width="4" height="4" patternUnits="userSpaceOnUse">
      <rect width="2" height="2" fill="#c00"/></pattern>
    <circle id="dot" r="3"/>
  </defs>
  <style>.box {{ fill: url(#g); stroke: #000 }}</style>
  <rect class="box" width="20" height="20"/>
  <rect x="20" width="20" height="10" style="fill:url(#p)"/>
  <use xlink:href="#dot" x="30" y="15" fill="green"/>
  <image href="detail.png" x="0" y="0" width="2" height="2"/>
  <image href="data:image/png;base64,{PNG_1x1}" x="38" y="18" width="2" height="2"/>
  <a href="#dot"><text x="2" y="18" font-size="4">Lire</text></a>
</svg>
"""

# Each dangerous thing, in a drawing that is the reference one otherwise: (name, what to add, the kind found,
# what must not be in the copy).
DANGERS = [
    ("script", '<script>window.ran = 1</script>', svg.SCRIPT, "<script"),
    ("script-cdata", '<script type="text/ecmascript"><![CDATA[ alert(1) ]]></script>', svg.SCRIPT, "alert"),
    ("onload", '<g onload="alert(1)"><rect width="1" height="1"/></g>', svg.EVENT, "onload"),
    ("onclick", "<rect onclick='alert(1)' width=\"1\" height=\"1\"/>", svg.EVENT, "onclick"),
    ("javascript-href", '<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', svg.SCRIPT_LINK,
     "javascript"),
    ("javascript-hidden", '<a xlink:href=" JaVa&#x09;Script:alert(1)"><rect width="1" height="1"/></a>',
     svg.SCRIPT_LINK, "Script:"),
    ("foreignObject", '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">'
     '<img src="x" onerror="alert(1)"/></div></foreignObject>', svg.FOREIGN, "foreignObject"),
    ("html-element", '<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="https://evil.example/"/>', svg.FOREIGN,
     "iframe"),
    ("external-href", '<use href="https://evil.example/icons.svg#a"/>', svg.EXTERNAL, "evil.example"),
    ("external-xlink", '<use xlink:href="//evil.example/icons.svg#a"/>', svg.EXTERNAL, "evil.example"),
    ("remote-image", '<image xlink:href="http://evil.example/tracker.png" width="1" height="1"/>', svg.EXTERNAL,
     "evil.example"),
    ("svg-data", '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>', svg.EMBEDDED,
     "image/svg+xml"),
    ("style-import", "<style>@import url(https://evil.example/a.css);</style>", svg.STYLESHEET, "evil.example"),
    ("style-url", '<style>.x { background: url("https://evil.example/b.png") }</style>', svg.EXTERNAL,
     "evil.example"),
    ("style-attribute", '<rect style="fill:red;background:url(http://evil.example/c.png)" width="1" height="1"/>',
     svg.EXTERNAL, "evil.example"),
    ("style-escaped", '<rect style="background:u\\72l(http://evil.example/d.png)" width="1" height="1"/>',
     svg.EXTERNAL, "evil.example"),
    ("fill-url", '<rect fill="url(https://evil.example/e.svg#g)" width="1" height="1"/>', svg.EXTERNAL,
     "evil.example"),
    ("animate-href", '<a href="#dot"><set attributeName="href" to="javascript:alert(1)"/><rect width="1" height="1"/>'
     "</a>", svg.SCRIPT_LINK, "javascript"),
]


def with_danger(addition: str) -> bytes:
    return REFERENCE.replace("</svg>", f"  {addition}\n</svg>").encode()


def pixels(data: bytes) -> bytes:
    """The drawing as resvg draws it, as raw RGBA."""
    png = resvg_py.svg_to_bytes(svg_string=data.decode(), width=160, height=80)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA").tobytes()


def scan(data: bytes) -> list[str]:
    """What in a shipped drawing would run or load from elsewhere: a script, an event attribute, a reference to
    another host (a namespace's name is not one)."""
    text = data.decode("utf-8", "replace")
    found = re.findall(r"<(?:\w+:)?script", text, re.I) + re.findall(r"\son\w+\s*=", text, re.I)
    found += re.findall(r"""(?:href|src)\s*=\s*["']\s*(?:https?:|//|javascript:)""", text, re.I)
    found += re.findall(r"""url\(\s*["']?\s*(?:https?:|//)|@import|<\?xml-stylesheet|foreignObject""", text, re.I)
    return found


# --- the cleaner ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "addition", "kind", "gone"), DANGERS, ids=[d[0] for d in DANGERS])
def test_each_dangerous_thing_is_removed_and_said(name: str, addition: str, kind: str, gone: str) -> None:
    data = with_danger(addition)
    cleaned, findings = clean_svg(data)
    assert [f.kind for f in findings] == [kind], findings
    line = REFERENCE.count("\n", 0, REFERENCE.index("</svg>")) + 1
    assert findings[0].line == line
    assert gone not in cleaned.decode()
    assert scan(cleaned) == []
    assert clean_svg(cleaned) == (cleaned, [])  # nothing left to find
    # Everything else is kept as it was written, and draws as it did: resvg runs no script and loads nothing.
    assert cleaned.startswith(REFERENCE[:REFERENCE.index("</svg>")].encode())
    # resvg draws a paint from another file as black, a browser as none, which the copy says.
    drawn = data.replace(b"url(https://evil.example/e.svg#g)", b"none") if name == "fill-url" else data
    assert pixels(cleaned) == pixels(drawn)


def test_a_clean_drawing_comes_back_as_the_very_same_bytes() -> None:
    data = REFERENCE.encode()
    cleaned, findings = clean_svg(data)
    assert findings == []
    assert cleaned is data


def test_a_cleaned_drawing_draws_the_same_pixels() -> None:
    """resvg (which runs no script and loads nothing) draws the reference drawing with every dangerous thing in
    it as it draws the cleaned copy; and with the things that draw nothing themselves, as the reference."""
    every = with_danger("\n  ".join(d[1] for d in DANGERS if d[0] != "fill-url"))
    cleaned, findings = clean_svg(every)
    assert len(findings) == len(DANGERS) - 1
    assert scan(every) != [] and scan(cleaned) == []
    assert pixels(cleaned) == pixels(every)
    unseen = REFERENCE.replace(f"{SVG_OPEN} ", f'{SVG_OPEN} onload="alert(1)" ').replace(
        "</svg>", '<script>alert(1)</script><image href="https://evil.example/t.png" width="9" height="9"/>'
        '<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">Hi</p></foreignObject>'
        "</svg>").encode()
    cleaned, findings = clean_svg(unseen)
    assert [f.kind for f in findings] == [svg.EVENT, svg.SCRIPT, svg.EXTERNAL, svg.FOREIGN]
    assert pixels(cleaned) == pixels(REFERENCE.encode())
    assert len(set(pixels(REFERENCE.encode()))) > 2  # the drawing draws something


def test_stylesheet_instruction_is_removed() -> None:
    data = REFERENCE.replace("<!-- Drawn", '<?xml-stylesheet type="text/css" href="https://evil.example/s.css"?>\n'
                             "<!-- Drawn").encode()
    cleaned, findings = clean_svg(data)
    assert [(f.kind, f.line) for f in findings] == [(svg.STYLESHEET, 2)]
    assert b"xml-stylesheet" not in cleaned and b"Drawn by hand" in cleaned


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</text></svg>',
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>',
], ids=["entity", "billion-laughs", "external-entity", "plain-doctype"])
def test_a_doctype_is_refused_before_any_entity_is_read(data: bytes) -> None:
    cleaned, findings = clean_svg(data)
    assert [(f.kind, f.line, f.refuses) for f in findings] == [(svg.DOCTYPE, 2, True)]
    assert cleaned is data


@pytest.mark.parametrize(("data", "kind"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', svg.UNPARSEABLE),
    (b"not a drawing", svg.UNPARSEABLE),
    (b"", svg.UNPARSEABLE),
    ('<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16"), svg.UNPARSEABLE),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', svg.NOT_SVG),
])
def test_what_is_not_an_svg_drawing_is_refused(data: bytes, kind: str) -> None:
    _cleaned, findings = clean_svg(data)
    assert [f.kind for f in findings] == [kind]
    assert svg.is_refused(findings)


# --- at check time -------------------------------------------------------------------------------------------


DIRTY = (f'{SVG_OPEN} width="40" height="20" onload="alert(1)">\n<script>window.ran = 1</script>\n'
         '<rect width="40" height="20" fill="#036"/>\n<image href="https://evil.example/t.png"/>\n</svg>\n')


def said(report: Report, language: str | None = None) -> list[str]:
    return [d.say(FRENCH if language == "fr" else None) for d in report]


def about_drawings(report: Report) -> list[Diagnostic]:
    return [d for d in report if "drawing" in str(d.message)]


def test_a_drawing_to_clean_is_a_warning_once_at_its_first_reference(minimal: Path) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    site, report = check(minimal)
    assert site is not None and not report.errors
    found = about_drawings(report)
    assert len(found) == 1, said(report)  # named by a poster and a body picture: said once
    assert str(found[0].pos) == f"{FIRST}:6:13"
    assert found[0].say(None) == (
        f"{FIRST}:6:13: the drawing 'content/{CLIP}' holds an event attribute (onload, line 1), a script (<script>, "
        "line 2) and a reference to another site (href, line 4): the site ships a copy without them; remove them "
        "from the drawing to silence this warning: a drawing must not run a script or load anything from another "
        "site")
    assert found[0].say(FRENCH) == (
        f"{FIRST}:6:13: le dessin «\u00a0content/{CLIP}\u00a0» contient un attribut d'événement (onload, "
        "ligne 1), un script (<script>, ligne 2) et une référence à un autre site (href, ligne 4)\u00a0: le site en "
        "publie une copie sans eux\u00a0; retirez-les du dessin pour ne plus voir cet avertissement\u00a0: un dessin "
        "ne doit ni exécuter de script ni rien charger d'un autre site")


def test_a_markdown_picture_is_said_where_the_picture_is(minimal: Path) -> None:
    (minimal / "courses/demo/media/plan.svg").write_text(DIRTY, encoding="utf-8")
    third = minimal / "courses/demo/02-suite/01-third.md"
    third.write_text(third.read_text(encoding="utf-8") + "\nVoir ![Le plan](../media/plan.svg).\n", encoding="utf-8")
    _site, report = check(minimal)
    found = about_drawings(report)
    assert [str(d.pos) for d in found] == [f"{THIRD}:8:17"]
    assert found[0].severity.value == "warning"


def test_a_logo_is_said_where_site_yml_names_it(minimal: Path) -> None:
    (minimal / "media/logo.svg").write_text(DIRTY, encoding="utf-8")
    _site, report = check(minimal)
    assert [str(d.pos) for d in about_drawings(report)] == ["content/site.yml:4:63"]


def test_a_doctype_is_an_error_saying_what_to_do_in_the_authors_language(minimal: Path) -> None:
    (minimal / CLIP).write_text('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "b">]>\n'
                                '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>\n', encoding="utf-8")
    site, report = check(minimal)
    assert site is None
    errors = [d for d in report.errors if "drawing" in str(d.message)]
    assert len(errors) == 1
    assert errors[0].say(None) == (
        f"{FIRST}:6:13: the drawing 'content/{CLIP}' declares a DOCTYPE (line 2), which mooc refuses: its entities "
        "can make a reader load other files or fill its memory; delete the <!DOCTYPE ...> lines, or save the drawing "
        "again as Plain SVG in Inkscape")
    assert errors[0].say(FRENCH) == (
        f"{FIRST}:6:13: le dessin «\u00a0content/{CLIP}\u00a0» déclare un DOCTYPE (ligne 2), que mooc refuse"
        "\u00a0: ses entités peuvent faire charger d'autres fichiers au lecteur ou remplir sa mémoire\u00a0; "
        "supprimez les lignes <!DOCTYPE ...>, ou enregistrez-le en «\u00a0SVG simple\u00a0» dans Inkscape")


def test_a_broken_drawing_is_an_error(minimal: Path) -> None:
    (minimal / CLIP).write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', encoding="utf-8")
    _site, report = check(minimal)
    errors = [d.say(FRENCH) for d in report.errors]
    assert errors == [f"{FIRST}:6:13: le dessin «\u00a0content/{CLIP}\u00a0» ne peut pas être lu comme un SVG"
                      "\u00a0: mismatched tag (ligne 1)\u00a0; ouvrez-le dans Inkscape et enregistrez-le en "
                      "«\u00a0SVG simple\u00a0»"]


def test_a_reused_sequence_replays_its_warning_and_it_is_still_said_once(minimal: Path) -> None:
    """The first sequence is replayed from the load cache, the third (which names the drawing too) is read
    again: the drawing is said once, at the first reference, as in a load from scratch."""
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    third = minimal / "courses/demo/02-suite/01-third.md"
    third.write_text(third.read_text(encoding="utf-8") + "\n![Encore](../media/clip.svg)\n", encoding="utf-8")
    cache = LoadCache()
    _site, first = check(minimal, cache)
    third.write_text(third.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    _site, again = check(minimal, cache)
    assert cache.hits >= 1
    assert [str(d.pos) for d in about_drawings(again)] == [str(d.pos) for d in about_drawings(first)] == [
        f"{FIRST}:6:13"]


def test_sequences_read_by_several_processes_say_each_drawing_once_too(minimal: Path) -> None:
    """Read in two processes (each sequence by either), the sequences naming the drawing give the report of a
    load in one: the drawing said once, at its first reference."""
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    third = minimal / "courses/demo/02-suite/01-third.md"
    third.write_text(third.read_text(encoding="utf-8") + "\n![Encore](../media/clip.svg)\n", encoding="utf-8")
    _site, alone = check(minimal, LoadCache())
    cache = LoadCache()
    _site, shared = check(minimal, cache, workers=2, parallel_from=1)
    assert cache.hits == 3  # every sequence was read by the readers, then replayed
    assert said(shared) == said(alone)
    assert [str(d.pos) for d in about_drawings(shared)] == [f"{FIRST}:6:13"]


def test_strict_turns_the_warning_into_a_failure(minimal: Path, tmp_path: Path) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    result = build(BuildOptions(minimal, tmp_path / "out", AS_OF, strict=True))
    assert not result.ok
    assert not (tmp_path / "out" / "demo").exists()


# --- at build time -------------------------------------------------------------------------------------------


def shipped(output: Path) -> dict[str, bytes]:
    """Every SVG of a built site and of its download bundles, by where it is."""
    found = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*.svg")
             if ".mooc-cache" not in p.parts}
    for archive in output.rglob("*.zip"):
        with zipfile.ZipFile(archive) as opened:
            found.update({f"{archive.name}:{n}": opened.read(n) for n in opened.namelist() if n.endswith(".svg")})
    return found


def test_the_site_and_its_bundles_ship_the_cleaned_drawing_and_clean_ones_as_they_are(minimal: Path,
                                                                                       tmp_path: Path) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    logo = (minimal / "media/logo.svg").read_bytes()
    out = tmp_path / "out"
    result = build(BuildOptions(minimal, out, AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    files = shipped(out)
    assert "demo/media/clip.svg" in files
    assert any(".zip:" in name and name.endswith("clip.svg") for name in files), sorted(files)
    assert {name: scan(data) for name, data in files.items() if scan(data)} == {}
    assert files["demo/media/clip.svg"] == clean_svg(DIRTY.encode())[0]
    assert files["media/logo.svg"] == logo  # a clean drawing: shipped as it is, nothing made for it
    assert (minimal / CLIP).read_text(encoding="utf-8") == DIRTY  # the author's file is untouched
    assert pixels(files["demo/media/clip.svg"]) == pixels(DIRTY.encode())


def test_a_build_that_loads_again_makes_nothing_again(minimal: Path, tmp_path: Path) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    out = tmp_path / "out"
    assert build(BuildOptions(minimal, out, AS_OF)).ok
    store = sorted((out / ".mooc-cache").rglob("*.svg"))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in store}
    assert len(before) == 1  # the cleaned clip.svg; nothing for the clean logo.svg
    third = minimal / "courses/demo/02-suite/01-third.md"
    third.write_text(third.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    stages: list[str] = []
    result = build(BuildOptions(minimal, out, AS_OF), lambda stage, done, total: stages.append(stage))
    assert result.ok
    assert "svg" not in stages
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted((out / ".mooc-cache").rglob("*.svg"))} == before
    assert scan((out / "demo/media/clip.svg").read_bytes()) == []


def test_derive_svg_replaces_only_what_it_cleaned(minimal: Path, tmp_path: Path) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    site, _report = check(minimal)
    assert site is not None
    told: list[str] = []
    report = Report()
    deriving = Deriving(Store(tmp_path / "store"), FileHashes().digest, report,
                        tell=lambda stage, done, total: told.append(stage))
    derived = derive_svg(site, deriving)
    assert told and report.items == []
    clip = [m for m in media_files(derived) if m.output.name == "clip.svg"]
    assert len(clip) == 2 and all(m.source.parent.parent == tmp_path / "store" for m in clip)
    assert clip[0].size == len(clean_svg(DIRTY.encode())[0])
    assert derived.organisation is site.organisation  # the logo is clean: the very same objects
    sequence, before = derived.courses[0].modules[0].sequences[0], site.courses[0].modules[0].sequences[0]
    assert sequence.digest != before.digest and sequence.body_html == before.body_html
    assert derived.courses[0].modules[1] is site.courses[0].modules[1]
    told.clear()
    assert derive_svg(site, deriving) == derived and told == []  # found in the store: nothing made again
    copy = clip[0].source
    copy.write_bytes(b"\x00garbage")  # a damaged store: made again, never shipped as it is
    assert derive_svg(site, deriving) == derived and told == ["svg", "svg"]
    assert copy.read_bytes() == clean_svg(DIRTY.encode())[0]


def test_map_media_changes_only_what_holds_a_changed_file(minimal: Path) -> None:
    site, _report = check(minimal)
    assert site is not None
    assert map_media(site, lambda media: media) is site
    names = sorted({m.output.as_posix() for m in media_files(site)})
    assert names == sorted({m.output.as_posix() for m in site.all_media()})  # the walk finds what the site ships

    def moved(media: MediaFile) -> MediaFile:
        return dataclasses.replace(media, size=1) if media.extension == "pdf" else media

    changed = map_media(site, moved)
    assert [m.size for m in media_files(changed) if m.extension == "pdf"] == [1]
    assert changed.organisation is site.organisation and changed.media is site.media
    assert changed.courses[0].modules[1] is site.courses[0].modules[1]


def test_references_beside_the_drawing_and_inside_it_are_kept() -> None:
    data = with_danger('<image href="../media/logo.svg" width="4" height="4"/><script>1</script>')
    cleaned, findings = clean_svg(data)
    assert [f.kind for f in findings] == [svg.SCRIPT]
    for kept in (b'href="../media/logo.svg"', b'href="detail.png"', b'href="#dot"', b"url(#g)", b"url(#p)",
                 b"data:image/png;base64,"):
        assert kept in cleaned


@pytest.mark.parametrize(("name", "file"), [("scorm", "demo.zip"), ("cmi5", "demo-cmi5.zip"), ("cc", "demo.imscc"),
                                            ("zim", "demo.zim")])
def test_an_export_ships_the_cleaned_drawing(minimal: Path, tmp_path: Path, name: str, file: str) -> None:
    (minimal / CLIP).write_text(DIRTY, encoding="utf-8")
    result = run_export(name, minimal, None, {}, tmp_path / file, AS_OF)
    assert result.ok and result.path is not None, [str(d) for d in result.report.errors]
    if name == "zim":
        from libzim.reader import Archive

        archive = Archive(result.path)
        found = {path: bytes(archive.get_entry_by_path(path).get_item().content) for path in zim_entries(archive)
                 if path.endswith(".svg")}
    else:
        with zipfile.ZipFile(result.path) as opened:
            found = {n: opened.read(n) for n in opened.namelist() if n.endswith(".svg")}
    drawings = {path: data for path, data in found.items() if path.endswith("clip.svg")}
    assert drawings, sorted(found)
    assert all(data == clean_svg(DIRTY.encode())[0] for data in drawings.values())
    assert {path: scan(data) for path, data in found.items() if scan(data)} == {}


def test_a_css_namespace_is_no_address_to_load() -> None:
    """Inkscape's CSS may declare SVG's namespace, url(http://www.w3.org/2000/svg): a name, kept."""
    css = "@namespace svg url(http://www.w3.org/2000/svg);\nsvg|rect { fill: url(#g) }"
    data = with_danger(f"<style>{css}</style>")
    assert clean_svg(data) == (data, [])
    cleaned, findings = clean_svg(with_danger(f"<style>{css} .a {{ fill: url(https://evil.example/g) }}</style>"))
    assert [f.kind for f in findings] == [svg.EXTERNAL]
    assert css.encode() in cleaned and b"evil" not in cleaned
