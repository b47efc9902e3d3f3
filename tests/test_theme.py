"""The theme's Jinja environment: its short cuts print what plain Jinja and gettext would."""

from __future__ import annotations

import re
from pathlib import Path

import babel
import jinja2
import markupsafe
import pytest

from mooc_builder.lang.catalogue import Catalogue
from mooc_builder.model import RESERVED_ANCHORS, reserved_anchor
from mooc_builder.render import speedups
from mooc_builder.render.speedups import MESSAGES
from mooc_builder.render.theme import Theme, load_theme

TEMPLATE = """\
{{ _("Skip to content") }}|{{ _('Unknown <message>') }}|{{ _("Empty") }}|{{ _("Week {n}", n=3) }}|\
{{ ns._("Skip to content") }}|{% set label = _("Video") ~ ":" %}{{ label }}|{{ _ ("Video") }}"""


@pytest.fixture
def theme(tmp_path: Path) -> Theme:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "templates" / "notes.txt").write_text('{{ _("Skip to content") }} & {{ value }}', encoding="utf-8")
    return load_theme(tmp_path)


def catalogue() -> Catalogue:
    return Catalogue("fr", babel.Locale.parse("fr"), {"Skip to content": "Aller au « contenu »", "Empty": "",
                                                      "Week {n}": "Semaine {n}", "Video": "Vidéo"})


class Namespace:
    @staticmethod
    def _(message: str) -> str:
        return f"own {message}"


def test_literal_messages_print_what_gettext_gives(theme: Theme) -> None:
    messages = catalogue()
    page = theme.env.get_template("page.html")
    text = page.render({"_": messages.gettext, MESSAGES: messages.table, "ns": Namespace()})
    assert text.split("|") == [
        "Aller au « contenu »",
        "Unknown &lt;message&gt;",  # no translation: the message itself, escaped as any value
        "Empty",  # an empty translation is none
        "Semaine 3",  # with values: still a call
        "own Skip to content",  # another object's _ is left alone
        "Vidéo:",
        "Vidéo",
    ]
    # Plain calls give the same page: the short cut changes nothing but the speed.
    plain = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    assert plain.render({"_": messages.gettext, "ns": Namespace()}) == text


def test_literal_messages_are_looked_up_not_called(theme: Theme) -> None:
    source = theme.env.loader.get_source(theme.env, "page.html")[0] if theme.env.loader else ""
    code = theme.env.compile(source, raw=True)
    # Two calls are left: the message with values, and another object's _.
    assert code.count("context.call(") == 2
    assert code.count(f"l_0_{MESSAGES}), '") == 5


def test_printed_values_are_escaped_as_markupsafe_does() -> None:
    # markupsafe's inner escape function is there (else the short cut would fall back to markupsafe.escape).
    assert speedups._escape_str is not None

    class Html:
        def __html__(self) -> str:
            return "<b>own</b>"

    class Text(str):
        pass

    for value in ["plain", "<a href=\"x\">'&'</a>", "", markupsafe.Markup("<i>safe</i>"), 42, 1.5, None, Html(),
                  Text("<sub>"), ["<list>"]]:
        escaped = speedups._escape(value)
        assert escaped == markupsafe.escape(value) and type(escaped) is markupsafe.Markup


def test_templates_print_through_the_short_escape(theme: Theme) -> None:
    # Jinja binds `escape` in each compiled template's namespace; were that to change, this fails instead of
    # the short cut silently doing nothing.
    page = theme.env.get_template("page.html")
    assert page.root_render_func.__globals__["escape"] is speedups._escape
    notes = theme.env.get_template("notes.txt")  # not escaped at all (autoescape off for .txt)
    assert notes.render({MESSAGES: catalogue().table, "value": "<&>"}) == "Aller au « contenu » & <&>"


# The ids of the default theme's pages: its templates' id="..." (with a sample for each value a template puts
# in one) and json_script("...") data elements, and the ids its scripts look up.
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"
SAMPLES = {"q": "q3", "c": "q3-1", "value": "true", "loop.index": "2", "loop.index0": "1", "week": "4",
           "module.id": "facture"}


def _theme_ids() -> dict[str, bool]:
    """Each id a template or script of the default theme uses, as it appears in a page: whether it is written as
    it is (else it is made from a value, given its sample here)."""
    found: dict[str, bool] = {}
    for path in sorted((DEFAULT_THEME / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for written in re.findall(r'\bid="([^"]*)"', text) + re.findall(r'json_script\(\s*"([^"]+)"', text):
            for value in re.findall(r"\{\{\s*([^}]*?)\s*\}\}", written):
                assert value in SAMPLES, f"{path.name}: id {written!r}: give SAMPLES a sample for {value!r}"
            found[re.sub(r"\{\{\s*([^}]*?)\s*\}\}", lambda m: SAMPLES[m.group(1)], written)] = "{{" not in written
    for path in sorted((DEFAULT_THEME / "static" / "js").glob("*.js")):
        for written in re.findall(r'(?:getElementById|readConfig)\("([^"]+)"\)', path.read_text(encoding="utf-8")):
            found[written] = True
    return found


def test_every_id_the_default_theme_uses_is_kept_from_content() -> None:
    ids = _theme_ids()
    assert {"content", "quiz", "mooc-quiz", "mooc-page", "q3-prompt", "week-4", "search-query"} <= set(ids)
    assert {name for name, literal in ids.items() if literal} - RESERVED_ANCHORS == set(), \
        "add these to model.pages.RESERVED_ANCHORS"
    assert [name for name in ids if not reserved_anchor(name)] == []
