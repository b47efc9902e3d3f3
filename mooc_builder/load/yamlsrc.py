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

from mooc_builder.diagnostics import Pos, Report, excerpt
from mooc_builder.lang.text import Text, say, says

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
        say("a tab character is not allowed here"),
        say("indent YAML with spaces, never tabs"),
    ),
    "mapping values are not allowed here": (
        say("a colon followed by a space is not allowed in this value"),
        say('put the whole value in double quotes, e.g. title: "Quiz : la facture"'),
    ),
}
_NO_HINT = Text("")


# YAML 1.1 (PyYAML's) breaks lines at these too, where editors and the author do not: every line number after
# one would be off, and in a plain value they end it. Pasted from a word processor, they are invisible.
_ODD_BREAKS = re.compile("[\u0085\u2028\u2029]")
_BREAK_NAMES = {"\u0085": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


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
                     say("invisible character {code} ({name}) is not allowed here", code=_code(char),
                         name=_BREAK_NAMES[char]),
                     say("delete it, or put a space or a new line instead (it often comes from a copy and paste)"))
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
        explained = _explain(source.text, exc)
        if explained is not None:
            index, column, message, hint = explained
            report.error(Pos(source.display, index + 1 + source.line_offset, column + 1), message, hint,
                         excerpt(source.text.split("\n")[index], column + 1))
            return None
        line = (mark.line + 1 + source.line_offset) if mark else None
        col = (mark.column + 1) if mark else None
        problem = (exc.problem or "invalid YAML").strip()  # the parser's own words, in English
        message, hint = _FRIENDLY.get(problem, (say("invalid YAML: {problem}", problem=problem), _NO_HINT))
        if "flow sequence" in (exc.context or "") and mark is exc.context_mark:
            message, hint = (say("the list opened with '[' here is not closed"),
                             say("close it with ']' on the same line, or quote the value if '[' is part of the "
                                 "text"))
        elif "flow mapping" in (exc.context or "") and mark is exc.context_mark:
            message, hint = (say("the mapping opened with '{' here is not closed"),
                             say("close it with '}', or quote the value if '{' is part of the text"))
        if not hint:
            hint = say("check the indentation and quote values that contain ':' or '#'")
            if exc.context:
                message = say("{message} ({context})", message=message, context=exc.context.strip())
        quoted = excerpt(source.text.split("\n")[mark.line], mark.column + 1) if mark else ""
        report.error(Pos(source.display, line, col), message, hint, quoted)
        return None
    except yaml.reader.ReaderError as exc:  # a control character, which YAML forbids
        before = source.text[: exc.position]
        line = before.count("\n") + 1 + source.line_offset
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        report.error(Pos(source.display, line, col),
                     say("invisible control character {code} is not allowed", code=_code(char)),
                     say("delete it (it often comes from a copy and paste)"))
        return None
    except yaml.YAMLError as exc:
        report.error(Pos(source.display, 1 + source.line_offset, 1),
                     say("invalid YAML: {problem}", problem=(str(exc).splitlines() or [""])[0]),
                     say("save the file as plain UTF-8 text"))
        return None
    except RecursionError:
        report.error(Pos(source.display, 1 + source.line_offset, 1), say("the YAML is nested too deeply"),
                     say("use at most a few levels of lists and mappings"))
        return None


# A line "key: value" (or "- key: value" in a list), cut into its indentation, its "- ", its key and the rest.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s:#'\"\[\]{}-][^:#]*?):(.*)$")
# A key glued to its value: "title:Bonjour", "duration:5min" ('url:https://' too).
_NO_SPACE = re.compile(r"^( *(?:- +)*)([A-Za-z_][\w-]*):(?=[^\s:])")


def _explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, Text, Text] | None:
    """What an author most often gets wrong, in their words, at its place (0-based line index and column):
    an apostrophe closing a value written between single quotes, a key with no space after its colon, a tab
    that indents a line, a line indented differently from the one above it, a quote left open. None when it
    is none of these (the caller says what the parser said)."""
    lines = text.split("\n")
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    if problem_mark is None:
        return None
    at = min(problem_mark.line, len(lines) - 1)
    problem = exc.problem or ""
    context = exc.context or ""
    near = sorted({i for i in (context_mark.line if context_mark else at, at - 1, at) if 0 <= i < len(lines)})
    for index in near:  # an apostrophe first: it is the commonest, and its error is on its own line
        found = _apostrophe(lines[index])
        if found is not None:
            return index, found[0], say("the apostrophe in {value} ends the text that the single quote opened",
                                        value=found[1]), \
                say("write the value between double quotes: {quoted}, or double the apostrophe: {doubled}",
                    quoted=found[2], doubled=found[3])
    if "'\\t'" in problem or "\t" in problem:
        line = lines[at]
        if line[: problem_mark.column].strip() == "":
            return at, problem_mark.column, say("a tab character is used for indentation"), \
                say("indent with spaces only, never tabs (your editor can turn tabs into spaces)")
        return None  # a tab elsewhere: the friendly message below
    if "scanning a quoted scalar" in context and context_mark is not None:
        quote = lines[context_mark.line][context_mark.column]
        return context_mark.line, context_mark.column, *_unclosed_quote(quote)
    for index in range(at, max(at - 20, -1), -1):  # a quote left open reads on into the lines below it
        column = _unclosed(lines[index])
        if column is not None:
            quote = lines[index][column]
            return index, column, *_unclosed_quote(quote)
    for index in near:
        glued = _NO_SPACE.match(lines[index])
        if glued:
            key, column = glued.group(2), glued.end()
            value = lines[index][column:].strip()
            return index, column, say("a space is missing after '{key}:'", key=key), \
                say("write {key}: {value} (a space after the colon, before the value)", key=key, value=value)
    if "flow" in context:
        return None  # an unclosed bracket: the caller says so, at the bracket
    if "mapping values" in problem and lines[at].find(":") < problem_mark.column:
        return None  # ': ' inside a value, not after its key: the caller says to quote it
    return _indentation(lines, at)


def _unclosed_quote(quote: str) -> tuple[Text, Text]:
    return (say("the quote {quote} opened here is not closed", quote=quote),
            say("close it with {quote} at the end of the value, on the same line", quote=quote))


def _apostrophe(line: str) -> tuple[int, str, str, str] | None:
    """Where an apostrophe closes too early a value opened with a single quote ('L'important'): its column,
    the value as written, and the two ways to write it right."""
    match = _KEY_LINE.match(line)
    if not match:
        return None
    rest = match.group(4)
    value = rest.strip()
    if not value.startswith("'"):
        return None
    start = len(line) - len(rest) + (len(rest) - len(rest.lstrip()))
    # The first lone single quote after the opening one closes the value; text after it means it did too early.
    index = 1
    while index < len(value):
        if value[index] == "'":
            if value[index + 1: index + 2] == "'":
                index += 2
                continue
            after = value[index + 1:].strip()
            if after and not after.startswith("#"):
                inner = value[1:-1] if value.endswith("'") else value[1:]
                key = f"{match.group(3)}:"
                return (start + index, value, f'{key} "{inner}"',
                        f"{key} '{inner.replace(chr(39), chr(39) * 2)}'")
            return None
        index += 1
    return None


def _unclosed(line: str) -> int | None:
    """The column of a quote that opens a value and is not closed on its line ('title: "Bonjour'), or None."""
    match = _KEY_LINE.match(line)
    if not match:
        return None
    rest = match.group(4)
    value = rest.strip()
    if not value or value[0] not in "'\"":
        return None
    quote, index = value[0], 1
    while index < len(value):
        if value[index] == "\\" and quote == '"':
            index += 2
            continue
        if value[index] == quote:
            if quote == "'" and value[index + 1: index + 2] == "'":
                index += 2
                continue
            return None
        index += 1
    return len(line) - len(rest) + (len(rest) - len(rest.lstrip()))


def _indent(line: str) -> int:
    """Where a line's content starts: after its spaces and its list dashes ('  - type:' starts at 4)."""
    match = re.match(r"^( *(?:- +)*)", line)
    return len(match.group(1)) if match else 0


def _indentation(lines: list[str], at: int) -> tuple[int, int, Text, Text] | None:
    """A line indented differently from the line above it, when that line opens no block (ends with no ':')."""
    above = at - 1
    while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith("#")):
        above -= 1
    if above < 0 or not lines[at].strip():
        return None
    here, there = _indent(lines[at]), _indent(lines[above])
    opens = lines[above].rstrip().endswith(":")
    if here == there or (opens and here > there):
        return None
    column = len(lines[at]) - len(lines[at].lstrip(" "))
    return at, column, says("this line is indented {n} space, but line {above} above it is indented {there}: the "
                            "keys of one block must line up",
                            "this line is indented {n} spaces, but line {above} above it is indented {there}: the "
                            "keys of one block must line up", here, above=above + 1, there=there), \
        say("indent it {there} spaces like line {above}, or if it belongs to an earlier block, as far as that "
            "block's keys (indentation counts in YAML)", there=there, above=above + 1)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _characters(node: ScalarNode, source: Source, report: Report) -> None:
    """A double-quoted value's \\u escapes are UTF-16 units: a character beyond U+FFFF written as a pair
    ('\\ud83d\\ude00', as JSON writes it) is joined into that character; half of one is no character at all
    (it could not be written to a page), and is reported."""
    joined = node.value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if joined.count("\ufffd") > node.value.count("\ufffd"):  # a half, replaced
        report.error(pos_of(node, source), say("this value holds half of a \\u escape pair, which is no character"),
                     say("write the character itself, or \\U0001F600 (eight digits) for one beyond \\uFFFF"))
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
                        say("key '{key}' is given twice in this mapping (first at line {line})", key=key,
                            line=earlier.line),
                        say("keep only one of them"),
                    )
                else:
                    first[key] = key_node
            _check_nodes(key_node, source, report, seen, depth + 1)
            _check_nodes(value_node, source, report, seen, depth + 1)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_nodes(item, source, report, seen, depth + 1)
