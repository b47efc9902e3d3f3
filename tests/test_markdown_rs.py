"""The Rust parser's short cut gives what markdown-it-py gives: HTML, words, media and messages."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from mooc_builder.diagnostics import Report
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Rendered, Target, markdown_rs
from mooc_builder.model import MediaFile

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not markdown_rs.available(), reason="markdown-it-pyrs has no wheel here")


def _resolve(raw: str, base: Path) -> Target:
    if raw.endswith(".md"):
        return (None, None, "no such sequence") if "missing" in raw else (f"c/m/{raw[3:-3]}/index.html", None, "")
    if raw.startswith("img/"):
        return None, MediaFile(base / raw, Path("media") / raw, 10), ""
    return None, None, "file not found"


FAST = MarkdownProcessor(False, _resolve)
SLOW = MarkdownProcessor(False, _resolve, short_cut=False)


def both(text: str, title: str | None) -> tuple[tuple[Rendered, list[str]], tuple[Rendered, list[str]]]:
    out = []
    for processor in (FAST, SLOW):
        report = Report()
        rendered = processor.render(text, Place("x.md", 3, Path("/c")), report, title=title)
        out.append((rendered, [str(item) for item in report.items]))
    return out[0], out[1]


def _bodies() -> list[tuple[str, str, str | None]]:
    found = []
    for folder in ("content", "tests/fixtures"):
        for path in sorted((ROOT / folder).rglob("*.md")):
            head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
            titles = [line[6:].strip().strip('"') for line in head.splitlines() if line.startswith("title:")]
            found.append((path.relative_to(ROOT).as_posix(), body, titles[0] if titles else None))
    return found


def test_every_page_of_the_reference_courses_and_fixtures_is_rendered_alike() -> None:
    short = 0
    for name, body, title in _bodies():
        short += markdown_rs.usable(body)
        fast, slow = both(body, title)
        assert fast == slow, name
    assert short >= 20  # most pages took the short cut: the comparison is not empty


BLOCKS = [
    "# Titre de la page", "# Autre titre", "## Section", "## Section", "### Sous *partie* `code`", "#### Quatre",
    "##### Cinq", "###### Six", "Titre setext\n===", "Sous-titre\n---", "#", "## ", "## Fin ##", "### `seul`",
    "Un paragraphe avec [un lien](02-suite.md) et *emphase* et **fort**.",
    "Lien [cassé](01-missing.md) puis ![](img/a.png) et ![Texte alt](img/b.png \"titre\").",
    "Ligne un\nligne deux avec `du code` et ~~barré~~ et ~simple~.", "- item un\n- item [deux](02-x.md)\n  - imbriqué",
    "1. premier\n2. second\n\n3. lâche", "1) un\n2) deux", "* a\n\n  para\n* b", "- liste\n\n      code indenté",
    "> Citation avec [lien](https://exemple.org/page?x=1#y)\n> suite", "    bloc de code [x](y)",
    "```python\nprint('x')\n```", "~~~\ncode ~~~ tilde\n~~~", "---", "***",
    "| Col A | **Col B** | |\n|:--|--:|---|\n| a | [b](media/c.pdf) | c |", "| x |\n|---|\n| y |",
    "| | B |\n|---|---|\n| 1 | 2 |", "| a | b | c |\n|---|---|---|\n| 1 |",
    "Texte [réf][r] et [r].\n\n[r]: https://exemple.org \"T\"", "[def]: https://x.org",
    "## Titre avec ![image](img/h.png) et [lien](03-z.md)", "Fin_de_mot snake_case 3,5 € l'équipe — « citation »",
    "un*deux*trois et snake_case_x et __fort__", "Image seule ![*alt* **riche**](img/c.png)", "Dur  \nretour",
    "[vide]()", "[ancre](#section)", "Titre de la page\n================", "Titre de la page\n---",
    "- # Titre dans liste\n- ## Autre [l](02-a.md)", "> # Titre cité\n> ![](img/q.png)", "![a [b] c](img/x.png)",
    "![](img/x.png)![](img/y.png)", "# Titre de la page !", "# titre DE la page", "   ## Indenté",
    "Para\n# Titre collé", "*[lien emph](02-e.md)*", "[![img lien](img/i.png)](02-f.md)",
    "1. a\n   > citation\n   > [l](01-missing.md)", "Texte [lien](https://x.org \"titre\") fin",
    '| "Guillemets" | B > C |\n|---|---|\n| 1 | 2 |', '## Titre "cité" > suite', "Texte \"cité\" > suite",
]


def test_generated_pages_are_rendered_alike() -> None:
    draw = random.Random(20261201)
    from_html = 0
    for _ in range(1500):
        text = "\n\n".join(draw.choice(BLOCKS) for _ in range(draw.randint(1, 8))) + draw.choice(["", "\n"])
        title = draw.choice([None, "Titre de la page", "Autre"])
        assert markdown_rs.usable(text)
        fast, slow = both(text, title)
        assert fast == slow, (text, title)
        from_html += RS.parse_html(text) is not None and not fast[1]
    # Both ways through the port were compared: from its HTML alone, and from its tree (messages, markup).
    assert 300 < from_html < 1200


RS = markdown_rs.RsParser() if markdown_rs.available() else None


@pytest.mark.parametrize("text", ["![Un schéma [annoté]](img/a.png)", "| **Col** |\n|---|\n| a |",
                                  "| `code` |\n|---|\n| a |", "# Le *titre*\n\nTexte."])
def test_what_the_html_cannot_tell_is_read_from_the_tree(text: str) -> None:
    assert RS is not None and RS.parse_html(text) is None
    fast, slow = both(text, "Le titre")
    assert fast == slow


def test_the_html_tells_headings_links_tables_and_words() -> None:
    assert RS is not None
    parsed = RS.parse_html('# Un "titre"\n\n## Avec `code` et ![alt](img/a.png)\n\n'
                           'Du [lien](02-x.md "T") et **fort**.\n\n| A | B > C |\n|---|--:|\n| 1 | 2 |\n\n'
                           '```\ncode non compté\n```\n')
    assert parsed is not None and parsed.starts_with_heading
    assert [(h.level, h.text) for h in parsed.headings] == [(1, 'Un "titre"'), (2, "Avec code et ")]
    assert [(t.type, t.attrGet("href") or t.attrGet("src"), t.content) for t, _line in parsed.links] == [
        ("image", "img/a.png", "alt"), ("link_open", "02-x.md", "")]
    assert parsed.headings[1].links == (0, 1)
    assert parsed.tables == ["A / B > C"]
    words = " ".join(parsed.texts).split()
    assert "alt" in words and "fort" in words and "code" not in words and "compté" not in words


@pytest.mark.parametrize("text", ["Un passage [en anglais]{lang=en}.", "Note[^1].\n\n[^1]: La note.",
                                  "Une note ^[en ligne].", "Du <b>HTML</b>.", "Un lien <https://x.org>.",
                                  "Un \\*astérisque\\*.", "AT&amp;T", "Ligne\r\nsuivante",
                                  "Texte.\n\n::: notes\nPour l'animateur.\n:::\n"])
def test_texts_the_short_cut_would_not_render_alike_go_through_markdown_it_py(text: str) -> None:
    assert not markdown_rs.usable(text)
    fast, slow = both(text, None)
    assert fast == slow


# Texts the port renders otherwise than markdown-it-py, or not at all: lists or quotes nested past
# markdown-it-py's limit (it drops the rest of the page, the port does not), images inside one another, and
# nesting deep enough for our walk over the port's tree to pass Python's recursion limit.
DEEP = ["- " * 11 + "x\n\nafter", "".join("  " * i + "- x\n" for i in range(11)) + "\nafter",
        "".join("\t" * i + "- x\n" for i in range(11)) + "\nafter", "> - " * 7 + "x\n\nafter",
        "> " * 21 + "x\n\nafter", "![" * 21 + "x" + "](img/a.png)" * 21,
        "[" + "![" * 20 + "x" + "](img/a.png)" * 20 + "](02-x.md)", "- " * 3000 + "[x](01-missing.md)",
        "> " * 3000 + "[x](01-missing.md)", "# " + "*" * 3000 + "[x](01-missing.md)" + "*" * 3000,
        "".join("  " * i + "-\n" for i in range(10)) + " " * 20 + "x\n\nafter"]


@pytest.mark.parametrize("text", DEEP, ids=range(len(DEEP)))
def test_deep_nesting_goes_through_markdown_it_py(text: str) -> None:
    assert not markdown_rs.usable(text)
    fast, slow = both(text, "Titre")
    assert fast == slow


def test_nesting_that_would_overflow_the_port_s_stack_is_not_given_to_it() -> None:
    assert not markdown_rs.usable("> " * 60_000 + "x")  # the process died of it (SIGSEGV in markdown-it.rs)


@pytest.mark.parametrize("processor", [FAST, SLOW], ids=["rust", "markdown-it-py"])
def test_words_left_uncounted_change_nothing_else(processor: MarkdownProcessor) -> None:
    text = "# Titre\n\nDu texte [lien](02-x.md) et ![alt](img/a.png).\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    counted = processor.render(text, Place("x.md", 0, Path("/c")), Report(), title="Titre")
    uncounted = processor.render(text, Place("x.md", 0, Path("/c")), Report(), title="Titre", count_words=False)
    assert counted.words == 9 and uncounted.words == 0
    assert (uncounted.html, uncounted.media, uncounted.images) == (counted.html, counted.media, counted.images)


def test_the_attributes_of_a_passage_are_kept() -> None:
    rendered = FAST.render("Un passage [en anglais]{lang=en}.", Place("x.md", 0, Path("/c")), Report())
    assert '<span lang="en">en anglais</span>' in rendered.html


def test_what_the_port_s_path_takes_of_markdown_it_py_is_markdown_it_py_s() -> None:
    """common.py copies three small things of markdown-it-py and mdit-py-plugins, so that a page through the
    Rust port does not import them (the anchors plugin's unique slugs, in linear time): if either library changes
    them, this fails."""
    from markdown_it.common.utils import escapeHtml
    from markdown_it.token import Token
    from mdit_py_plugins.anchors.index import unique_slug

    from mooc_builder.markdown import common

    for text in ["", "plain", "a & b < c > d \" e ' f", "&amp;&lt;", "<<>>\"\""]:
        assert common.escape_html(text) == escapeHtml(text)
    draw = random.Random(20)
    for _ in range(200):  # common.Anchors remembers where each slug's search stopped: the same ids still
        explicit = draw.sample(["x", "x-2", "y-1"], draw.randint(0, 2))
        ours = common.Anchors(explicit)
        theirs = set(explicit)
        for slug in draw.choices(["x", "x-1", "x-2", "x-1-1", "x-3", "y", "y-1", "y-1-1"], k=draw.randint(1, 30)):
            assert ours.take(slug) == unique_slug(slug, theirs)
        assert ours.taken == theirs
    for kind, attr in (("link_open", "href"), ("image", "src")):
        token = Token(kind, "a", 1)
        token.attrSet(attr, "u")
        token.attrSet("loading", "lazy")
        mine = common.LinkToken(kind, {attr: "u"})
        mine.attrSet("loading", "lazy")
        assert (mine.type, mine.attrs, mine.attrGet(attr), mine.attrGet("nothing")) == \
            (token.type, token.attrs, token.attrGet(attr), token.attrGet("nothing"))


def test_headings_never_take_an_id_the_page_uses() -> None:
    """A heading "Mooc quiz" took the id of the quiz's data element (mooc-quiz), and the quiz never started: the
    page's own ids (model.pages.reserved_anchor) are never free, on both paths alike."""
    text = "\n\n".join(["## Mooc quiz", "## Quiz", "## Quiz", "## Quiz 1", "## Content", "## Q1", "## Q1",
                        "## Week", "## Week", "## Week 2", "## Mooc", "## Mooc", "## Mooc page", "## Discussion",
                        "## Search query", "## Bundle 3", "## Q", "## Quizz"])
    fast, slow = both(text, None)
    assert fast == slow
    assert re.findall(r'<h2 id="([^"]*)"', fast[0].html) == [
        "section-mooc-quiz", "quiz-1", "quiz-2", "quiz-1-1", "content-1", "section-q1", "section-q1-1", "week",
        "section-week", "week-2-1", "mooc", "section-mooc", "section-mooc-page", "discussion-1", "search-query-1",
        "bundle-3-1", "q", "quizz"]
