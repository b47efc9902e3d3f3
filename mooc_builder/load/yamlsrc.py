"""Read YAML the way authors mean it, keeping line and column of every value.

PyYAML's composer gives us nodes with positions. We resolve no implicit types but
null: a plain scalar stays text until the schema (see :mod:`fields`) says what the
field wants, so ``4:30`` is not the sexagesimal 270, ``no`` is not False and
``1.10`` is not 1.1. Duplicate keys, which YAML loaders silently merge, are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mooc_builder.diagnostics import Pos, Report

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "Source", "is_null", "parse_yaml", "pos_of"]


class _AuthorLoader(yaml.SafeLoader):
    """SafeLoader with no implicit resolvers except null: types come from the schema."""


class _FastAuthorLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same with libyaml's parser when PyYAML has it, some twenty times faster; the messages of an
    invalid file come from the Python parser, whose wording the friendly messages below know."""


for _loader in (_AuthorLoader, _FastAuthorLoader):
    _loader.yaml_implicit_resolvers = {}
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
    )


@dataclass(frozen=True, slots=True)
class Source:
    """A YAML text and where it came from; ``line_offset`` is added to every line (front matter)."""

    display: str
    text: str
    line_offset: int = 0


def pos_of(node: Node, source: Source) -> Pos:
    mark = node.start_mark
    return Pos(source.display, mark.line + 1 + source.line_offset, mark.column + 1)


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


_FRIENDLY = {
    "found character '\\t' that cannot start any token": (
        "a tab character is not allowed here",
        "indent YAML with spaces, never tabs",
    ),
    "mapping values are not allowed here": (
        "a colon followed by a space is not allowed in this value",
        'put the whole value in double quotes, e.g. title: "Quiz : la facture"',
    ),
}


# YAML 1.1 (PyYAML's) breaks lines at these too, where editors and the author do not: every line number after
# one would be off, and in a plain value they end it. Pasted from a word processor, they are invisible.
_ODD_BREAKS = re.compile("[\u0085\u2028\u2029]")
_BREAK_NAMES = {"\u0085": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def _odd_breaks(source: Source, report: Report) -> Source:
    """Report each invisible line break that is not one for editors, at its place, and read on with a space
    in its place (one character for one: every other position stays right)."""
    if not _ODD_BREAKS.search(source.text):
        return source
    for match in _ODD_BREAKS.finditer(source.text):
        before = source.text[: match.start()]
        line = before.count("\n") + 1 + source.line_offset
        col = match.start() - (before.rfind("\n") + 1) + 1
        char = match.group()
        report.error(Pos(source.display, line, col),
                     f"invisible character U+{ord(char):04X} ({_BREAK_NAMES[char]}) is not allowed here",
                     "delete it, or put a space or a new line instead (it often comes from a copy and paste)")
    return Source(source.display, _ODD_BREAKS.sub(" ", source.text), source.line_offset)


def parse_yaml(source: Source, report: Report) -> Node | None:
    """Compose one YAML document into nodes; report syntax errors and duplicate keys.

    Returns None (and reports) when the text is not valid YAML.
    """
    source = _odd_breaks(source, report)
    try:
        node = yaml.compose(source.text, Loader=_FastAuthorLoader)
    except (yaml.YAMLError, RecursionError):
        node = _compose_slowly(source, report)
        if node is None:
            return None
    if node is not None:
        _check_nodes(node, source, report, set())
    return node


def _compose_slowly(source: Source, report: Report) -> Node | None:
    """Compose with the Python parser, reporting what is wrong in the words authors are shown."""
    try:
        return yaml.compose(source.text, Loader=_AuthorLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed quote or bracket is found at the end of the file; where it opened helps more.
        if exc.context_mark is not None and mark is not None and (
                mark.index >= len(source.text.rstrip()) or "flow" in (exc.context or "")):
            mark = exc.context_mark
        line = (mark.line + 1 + source.line_offset) if mark else None
        col = (mark.column + 1) if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        message, hint = _FRIENDLY.get(problem, (f"invalid YAML: {problem}", ""))
        if "flow sequence" in (exc.context or "") and mark is exc.context_mark:
            message, hint = ("the list opened with '[' here is not closed",
                             "close it with ']' on the same line, or quote the value if '[' is part of the text")
        elif "flow mapping" in (exc.context or "") and mark is exc.context_mark:
            message, hint = ("the mapping opened with '{' here is not closed",
                             "close it with '}', or quote the value if '{' is part of the text")
        if not hint:
            hint = "check the indentation and quote values that contain ':' or '#'"
            if exc.context:
                message += f" ({exc.context.strip()})"
        report.error(Pos(source.display, line, col), message, hint)
        return None
    except yaml.reader.ReaderError as exc:  # a control character, which YAML forbids
        before = source.text[: exc.position]
        line = before.count("\n") + 1 + source.line_offset
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        report.error(Pos(source.display, line, col), f"invisible control character U+{ord(char):04X} is not allowed",
                     "delete it (it often comes from a copy and paste)")
        return None
    except yaml.YAMLError as exc:
        report.error(Pos(source.display, 1 + source.line_offset, 1), f"invalid YAML: {exc}".splitlines()[0],
                     "save the file as plain UTF-8 text")
        return None
    except RecursionError:
        report.error(Pos(source.display, 1 + source.line_offset, 1), "the YAML is nested too deeply",
                     "use at most a few levels of lists and mappings")
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _characters(node: ScalarNode, source: Source, report: Report) -> None:
    """A double-quoted value's \\u escapes are UTF-16 units: a character beyond U+FFFF written as a pair
    ('\\ud83d\\ude00', as JSON writes it) is joined into that character; half of one is no character at all
    (it could not be written to a page), and is reported."""
    joined = node.value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if joined.count("\ufffd") > node.value.count("\ufffd"):  # a half, replaced
        report.error(pos_of(node, source), "this value holds half of a \\u escape pair, which is no character",
                     "write the character itself, or \\U0001F600 (eight digits) for one beyond \\uFFFF")
    node.value = joined


def _check_nodes(node: Node, source: Source, report: Report, seen: set[int], depth: int = 0) -> None:
    """Report keys given twice in a mapping, and values that are no text (see _characters)."""
    # Aliases share node objects: visit each node once so a crafted file cannot blow up the walk.
    if id(node) in seen or depth > 100:
        return
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        if _SURROGATE.search(node.value):
            _characters(node, source, report)
        return
    if isinstance(node, MappingNode):
        first: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
                if key in first:
                    earlier = pos_of(first[key], source)
                    report.error(
                        pos_of(key_node, source),
                        f"key '{key}' is given twice in this mapping (first at line {earlier.line})",
                        "keep only one of them",
                    )
                else:
                    first[key] = key_node
            _check_nodes(key_node, source, report, seen, depth + 1)
            _check_nodes(value_node, source, report, seen, depth + 1)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_nodes(item, source, report, seen, depth + 1)
