"""The keys and checks of the question types beyond choices and answers: matching, ordering, cloze, hotspot.

load/quiz.py declares the question's table with these keys and calls :func:`read_kind` for these types.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import Message, say
from mooc_builder.load.drawings import drawing_box
from mooc_builder.load.keys import (
    Boolean,
    Choice,
    File,
    Items,
    Key,
    ListOf,
    Mapping,
    Markdown,
    Number,
    Table,
    Text,
    Values,
    each,
)
from mooc_builder.load.yamlsrc import Node, ScalarNode, SequenceNode
from mooc_builder.model import Blank, ClozePart, Pair, Question, QuestionType, Zone, ZoneShape, limits

MATCHING = frozenset({"matching"})
ORDERING = frozenset({"ordering"})
CLOZE = frozenset({"cloze"})
HOTSPOT = frozenset({"hotspot"})

LEFT = Key("left", Markdown(inline=True), say("what is shown, to be matched"), required='left: "..."',
           missing=say("the left side"))
RIGHT = Key("right", Text(), say("what it matches: one of the options every left side offers"),
            required='right: "..."', missing=say("the right side"))
PAIR = Table(say("a pair"), (LEFT, RIGHT))
PAIRS = Key("pairs", ListOf(Mapping(PAIR)), say("matching: the pairs, at least two; each left side is shown with "
                                                "a list of every right side"), types=MATCHING)
ITEMS = Key("items", ListOf(Markdown(inline=True)), say("ordering: the items in the right order, at least two; "
                                                        "they are shown shuffled"), types=ORDERING)
CLOZE_TEXT = Key("text", Text(), say("cloze: the text, each blank between [[ and ]]: [[answer|other answer]] to type "
                                     "in, [[right|wrong|wrong]]* to choose from a list"), types=CLOZE)
DRAWING_EXTENSIONS = frozenset({"svg", "png", "jpg", "jpeg", "gif", "webp"})
IMAGE = Key("image", File(say("drawing"), DRAWING_EXTENSIONS), say("hotspot: the drawing to point at"),
            types=HOTSPOT)
ALT = Key("alt", Text(), say("hotspot: what the drawing shows, for who cannot see it"), types=HOTSPOT)
SHAPES = tuple(shape.value for shape in ZoneShape)
SHAPE = Key("shape", Choice(SHAPES), say("rect, circle or polygon"), required="shape: rect",
            missing=say("the zone's shape"))
COORDS = Key("coords", ListOf(Number()), say("in the drawing's units: rect x1, y1, x2, y2 (two corners); circle x, "
                                             "y, radius; polygon x1, y1, x2, y2, x3, y3..."),
             required="coords: [10, 10, 120, 40]", missing=say("the zone's list of coordinates"))
LABEL = Key("label", Text(), say("the zone's name, as a learner choosing from the keyboard hears it"),
            required='label: "..."', missing=say("the zone's label"))
ZONE_CORRECT = Key("correct", Boolean(), say("whether it is a right place to point at"), default=False)
ZONE = Table(say("a zone"), (SHAPE, COORDS, LABEL, ZONE_CORRECT))
ZONES = Key("zones", ListOf(Mapping(ZONE)), say("hotspot: the zones, at least two, one or more correct"),
            types=HOTSPOT)

PARTIAL_CREDIT = Key("partial_credit", Boolean(), say(
    "multiple: points × (right picks − wrong picks) / right choices, at least 0; matching: points × right pairs / "
    "pairs; cloze: points × right blanks / blanks; ordering: points × the longest run of items in the right order "
    "(two or more) / items. Else: all right or nothing"), default=False,
    types=frozenset({"multiple", "matching", "ordering", "cloze"}))

KEYS = (PAIRS, ITEMS, CLOZE_TEXT, IMAGE, ALT, ZONES)


def read_kind(question: Question, q: Values) -> Question | None:
    """A question of one of these types, from its keys; None (its errors said) when it cannot be asked."""
    if question.type is QuestionType.MATCHING:
        return _matching(question, q)
    if question.type is QuestionType.ORDERING:
        return _ordering(question, q)
    if question.type is QuestionType.CLOZE:
        return _cloze(question, q)
    return _hotspot(question, q)


def _matching(question: Question, q: Values) -> Question | None:
    if q.require(PAIRS, 'pairs: [{left: "Abonnement", right: "Part fixe"}, ...]', say("the list of pairs")) is None:
        return None
    if _past(q, PAIRS, limits.MAX_PAIRS, say("a matching question has at most {limit} pairs: this is pair {n}",
                                             limit=limits.MAX_PAIRS, n=limits.MAX_PAIRS + 1),
             say("split it into two questions, or keep the pairs that matter most")):
        return None
    made = q[PAIRS] or Items()
    pairs = each(made, _pair)
    if len(pairs) != len(made):
        return None
    where = q.at(PAIRS)
    if len(pairs) < 2:
        q.ctx.error(where, say("a matching question needs at least two pairs"),
                    say('add pairs: with left: and right:, e.g. {left: "Abonnement", right: "Part fixe"}'))
        return None
    seen: dict[str, Node] = {}
    for values, pair in zip(made, pairs, strict=True):
        name = _words(pair.left_html)
        if name in seen:
            values.ctx.error(values.at(LEFT), say("this left side is already written above, at line {line}",
                                                  line=values.ctx.pos(seen[name]).line),
                             say("give each left side once; a right side may serve several"))
            return None
        seen[name] = values.at(LEFT)
    rights: dict[str, str] = {}
    for values, pair in zip(made, pairs, strict=True):
        first = rights.setdefault(_plain(pair.right), pair.right)
        if first != pair.right:
            values.ctx.error(values.at(RIGHT), say("this right side is written '{right}' above: the list would offer "
                                                   "both", right=first),
                             say("write a right side that serves several left sides the same way each time"))
            return None
    if len(rights) < 2:
        q.ctx.error(where, say("every pair has the same right side: there is nothing to choose"),
                    say("give the pairs at least two different right sides"))
        return None
    return dataclasses.replace(question, pairs=pairs, partial_credit=_partial(q))


def _pair(p: Values) -> Pair | None:
    left, right = p[LEFT], p[RIGHT]
    if p.node_of(LEFT) is not None and not left:
        p.ctx.error(p.at(LEFT), say("'{key}' is empty", key=LEFT.name), say("add {example}", example=LEFT.required))
    if not left or not right:
        return None
    return Pair(left, right)


def _ordering(question: Question, q: Values) -> Question | None:
    if q.require(ITEMS, 'items: ["Diagnostic", "Vote", "Travaux"]', say("the list of items")) is None:
        return None
    if _past(q, ITEMS, limits.MAX_ITEMS, say("an ordering question has at most {limit} items: this is item {n}",
                                             limit=limits.MAX_ITEMS, n=limits.MAX_ITEMS + 1),
             say("split it into two questions, or keep the steps that matter most")):
        return None
    made = q[ITEMS] or Items()
    items = tuple(item for item in made if item)
    if len(items) != len(made):
        empty = next(node for node, item in made.pairs() if not item)
        q.ctx.error(empty, say("this item is empty"), say("write what the item says, or remove it"))
        return None
    if len(items) < 2:
        q.ctx.error(q.at(ITEMS), say("an ordering question needs at least two items"),
                    say("list the items in the right order: they are shown shuffled"))
        return None
    seen: set[str] = set()
    for node, item in made.pairs():
        name = _words(item)
        if name in seen:
            q.ctx.error(node, say("this item is written twice: its place in the order would be ambiguous"),
                        say("give each item once, in the right order"))
            return None
        seen.add(name)
    return dataclasses.replace(question, items=items, partial_credit=_partial(q))


def _past(q: Values, key: Key[Any], limit: int, message: Message, hint: Message) -> bool:
    """Whether the key's list holds more than ``limit`` entries, said at the first one past it: such a list is
    refused before any of its entries is looked at."""
    node = q.node_of(key)
    if not isinstance(node, SequenceNode) or len(node.value) <= limit:
        return False
    q.ctx.error(node.value[limit], message, hint)
    return True


def _words(html: str) -> str:
    """What a phrase says, as two items or sides are told apart: without tags, case or repeated spaces."""
    return _plain(re.sub(r"<[^>]*>", "", html))


def _plain(text: str) -> str:
    """What plain text says to a learner, who tells no case or repeated spaces apart."""
    return " ".join(text.split()).casefold()


def _partial(q: Values) -> bool:
    return q.given(PARTIAL_CREDIT)


# --- cloze -------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ClozeProblem:
    start: int  # where it is, in the text
    message: Message
    hint: Message


def parse_cloze(text: str) -> tuple[list[str | Blank], list[ClozeProblem]]:
    """The parts of a cloze text (the words between blanks, as written, and the blanks), and its problems.

    A blank runs from a [[ to the first ]] after it. The text is read once, left to right: a regular expression
    looking for the ]] of every [[ would read the rest of the text again at each [[ that none closes."""
    parts: list[str | Blank] = []
    problems: list[ClozeProblem] = []
    at = 0
    while (start := text.find("[[", at)) >= 0 and (end := text.find("]]", start + 2)) >= 0:
        if len(parts) // 2 == limits.MAX_BLANKS:
            problems.append(ClozeProblem(start, say("a cloze text has at most {limit} blanks: this is blank {n}",
                                                    limit=limits.MAX_BLANKS, n=limits.MAX_BLANKS + 1),
                                         say("split the text into several cloze questions")))
            return parts, problems
        _stray(text[at:start], at, problems)
        parts.append(text[at:start])
        inside, select = text[start + 2:end], text.startswith("*", end + 2)
        answers = tuple(answer.strip() for answer in inside.split("|"))
        problem = _blank_problem(inside, answers, select)
        if problem is not None:
            problems.append(ClozeProblem(start, *problem))
        parts.append(Blank(answers, select))
        at = end + 2 + select
    _stray(text[at:], at, problems)
    parts.append(text[at:])
    if not any(isinstance(part, Blank) for part in parts) and not problems:
        problems.append(ClozeProblem(0, say("this text has no blank"),
                                     say("write each blank between double brackets: Le chauffage représente [[60]] "
                                         "%")))
    return parts, problems


def _blank_problem(inside: str, answers: tuple[str, ...], select: bool) -> tuple[Message, Message] | None:
    if "[[" in inside:
        return say("this blank is not closed by ]] before the next one"), say("close each blank: [[answer]]")
    if not any(answers):
        return (say("this blank is empty"),
                say("write its answer between the brackets: [[60]], or [[60|soixante]]"))
    if not all(answers):
        return say("this blank has an empty answer between two |"), say("remove the extra |, or write the answer")
    if len(answers) > limits.MAX_BLANK_ANSWERS:
        return (say("this blank has {count} answers: at most {limit}", count=len(answers),
                    limit=limits.MAX_BLANK_ANSWERS),
                say("keep the answers a learner would write, or the options a list needs"))
    if select and len(answers) < 2:
        return (say("a list to choose from needs at least two options"),
                say("add wrong options after the right one: [[right|wrong|wrong]]*; or remove the * for a blank to "
                    "type in"))
    if select and len({_plain(answer) for answer in answers}) < len(answers):
        return say("an option of this list is written twice"), say("give each option once, the right one first")
    return None


def _stray(words: str, offset: int, problems: list[ClozeProblem]) -> None:
    for mark, message in (("[[", say("this blank is not closed by ]]")), ("]]", say("this ]] closes no blank"))):
        if mark in words:
            problems.append(ClozeProblem(offset + words.index(mark), message,
                                         say("write each blank as [[answer]], or [[right|wrong]]* for a list")))


def _cloze(question: Question, q: Values) -> Question | None:
    node = q.require(CLOZE_TEXT, 'text: "Le chauffage représente [[60|soixante]] % de la consommation."',
                     say("the text with its blanks"))
    if node is None:
        return None
    text = q[CLOZE_TEXT]
    if text is None:
        return None
    parts, problems = parse_cloze(text)
    locate = _locator(node, text, q) if problems else None
    for problem in problems:
        assert locate is not None
        q.ctx.report.error(locate(problem.start), problem.message, problem.hint)
    if problems:
        return None
    reader = q.reader
    cloze: list[ClozePart] = []
    for part in parts:
        if isinstance(part, Blank):
            cloze.append(part)
            continue
        # Markdown trims a phrase: the spaces around a blank are kept as written.
        html = reader.state.markdown_value(node, part, q.ctx, reader.base, True).strip() if part.strip() else ""
        lead = " " if part[:1].isspace() else ""
        trail = " " if part[-1:].isspace() and html else ""
        cloze.append(lead + html + trail)
    return dataclasses.replace(question, cloze=tuple(cloze), partial_credit=_partial(q))


_MARK = re.compile(r"(?=\[\[|\]\])")  # where a [[ or a ]] starts (they may overlap: [[[)
_BREAK = re.compile(r"\r\n|\r|\n")


def _locator(node: Node, text: str, q: Values) -> Callable[[int], Pos]:
    """Where a [[ or ]] of a scalar's text (at an offset of the text) is in the file: the n-th mark of the text
    is the n-th of the scalar as written, on whatever line, when the two have the same marks in the same order
    (no escape made or hid one). Anything else is placed where the scalar starts."""
    start = q.ctx.pos(node)
    found: dict[int, Pos] = {}
    if isinstance(node, ScalarNode):
        lines = _BREAK.split(q.ctx.source.text)
        first, last = node.start_mark, node.end_mark
        written: list[tuple[str, int, int]] = []
        for row in range(first.line, min(last.line, len(lines) - 1) + 1):
            line = lines[row][:last.column] if row == last.line else lines[row]
            skip = first.column if row == first.line else 0
            written += [(line[m.start():m.start() + 2], row, m.start()) for m in _MARK.finditer(line, skip)]
        read = [(text[m.start():m.start() + 2], m.start()) for m in _MARK.finditer(text)]
        if [mark for mark, _row, _col in written] == [mark for mark, _at in read]:
            offset = q.ctx.source.line_offset
            found = {at: Pos(start.file, row + 1 + offset, col + 1)
                     for (_mark, at), (_same, row, col) in zip(read, written, strict=True)}
    return lambda at: found.get(at, start)


# --- hotspot -----------------------------------------------------------------------------------------------

def _hotspot(question: Question, q: Values) -> Question | None:
    if q.require(IMAGE, "image: ../media/schema.svg", say("the drawing")) is None:
        return None
    image = q[IMAGE]
    if image is None:
        return None
    if any(error for error, _message, _hint in q.reader.state.drawing(image)):
        return None  # a drawing refused: said already, at this very place
    box = drawing_box(image)
    if not isinstance(box, tuple):
        q.ctx.error(q.at(IMAGE), box.message, box.hint)
        return None
    if q.require(ZONES, "zones: [{shape: rect, coords: [10, 10, 120, 40], label: \"...\", correct: true}]",
                 say("the list of zones")) is None:
        return None
    if _past(q, ZONES, limits.MAX_ZONES, say("a hotspot question has at most {limit} zones: this is zone {n}",
                                             limit=limits.MAX_ZONES, n=limits.MAX_ZONES + 1),
             say("keep the zones a learner should tell apart, or split the drawing into two questions")):
        return None
    made = q[ZONES] or Items()
    zones = each(made, lambda z: _zone(z, box))
    if len(zones) != len(made):
        return None
    where = q.at(ZONES)
    if len(zones) < 2:
        q.ctx.error(where, say("a hotspot question needs at least two zones"),
                    say("add the zones a learner may point at, with correct: true on the right ones"))
        return None
    if not any(zone.correct for zone in zones):
        q.ctx.error(where, say("no zone is correct"), say("mark the right zones correct: true"))
        return None
    labels: dict[str, Values] = {}
    for values, zone in zip(made, zones, strict=True):
        name = _plain(zone.label)
        if name in labels:
            values.ctx.error(values.at(LABEL), say("two zones are named '{label}'", label=zone.label),
                             say("give each zone its own label: it is what a learner choosing from the keyboard "
                                 "hears"))
            return None
        labels[name] = values
    return dataclasses.replace(question, image=image, image_box=box, image_alt=q[ALT] or "", zones=zones)


# How many numbers each shape is written with (a polygon: at least).
_COUNTS = {ZoneShape.RECT: 4, ZoneShape.CIRCLE: 3, ZoneShape.POLYGON: 6}
_COORDS_HINT = {
    ZoneShape.RECT: say("write the two corners: coords: [x1, y1, x2, y2]"),
    ZoneShape.CIRCLE: say("write the centre and the radius: coords: [x, y, radius]"),
    ZoneShape.POLYGON: say("write each corner's x and y: coords: [x1, y1, x2, y2, x3, y3]"),
}


def _zone(z: Values, box: tuple[float, float, float, float]) -> Zone | None:
    shape_text, coords, label = z[SHAPE], z[COORDS], z[LABEL]
    if shape_text is None or coords is None or not label:
        return None
    shape = ZoneShape(shape_text)
    numbers = tuple(coords)
    where = z.at(COORDS)
    if len(numbers) != (len(where.value) if isinstance(where, SequenceNode) else 1):
        return None  # a wrong number, said
    count = _COUNTS[shape]
    if shape is ZoneShape.POLYGON and (len(numbers) % 2 or len(numbers) < count):
        z.ctx.error(where, say("a polygon zone is written with an x and a y for each of its corners, three corners or "
                               "more, found {found} numbers", found=len(numbers)), _COORDS_HINT[shape])
        return None
    if shape is not ZoneShape.POLYGON and len(numbers) != count:
        z.ctx.error(where, say("a {shape} zone is written with {count} numbers, found {found}", shape=shape.value,
                               count=count, found=len(numbers)), _COORDS_HINT[shape])
        return None
    if len(numbers) // 2 > limits.MAX_CORNERS:
        z.ctx.error(where, say("a polygon zone has at most {limit} corners, found {found}", limit=limits.MAX_CORNERS,
                               found=len(numbers) // 2),
                    say("simplify its outline: a few corners are enough to point at (Inkscape: Path > Simplify)"))
        return None
    x, y, width, height = box
    if shape is ZoneShape.RECT:
        x1, y1, x2, y2 = numbers
        if x2 <= x1 or y2 <= y1:
            z.ctx.error(where, say("this rectangle is empty: its second corner must be right of and below its first"),
                        _COORDS_HINT[shape])
            return None
        xs: tuple[float, ...] = (x1, x2)
        ys: tuple[float, ...] = (y1, y2)
    elif shape is ZoneShape.CIRCLE:
        cx, cy, radius = numbers
        if radius <= 0:
            z.ctx.error(where, say("the circle's radius must be above 0"), _COORDS_HINT[shape])
            return None
        xs, ys = (cx - radius, cx + radius), (cy - radius, cy + radius)
    else:
        xs, ys = numbers[0::2], numbers[1::2]
        if _area(xs, ys) <= 0:
            z.ctx.error(where, say("this polygon has no area: its corners are on one line"), _COORDS_HINT[shape])
            return None
    slack = 1e-9 * max(width, height)
    if min(xs) < x - slack or max(xs) > x + width + slack or min(ys) < y - slack or max(ys) > y + height + slack:
        z.ctx.error(where, say("this zone goes out of the drawing, which spans x {x1} to {x2} and y {y1} to {y2}",
                               x1=_n(x), x2=_n(x + width), y1=_n(y), y2=_n(y + height)),
                    say("write the coordinates in the drawing's own units (an SVG's viewBox, a picture's pixels)"))
        return None
    return Zone(shape, numbers, label, z.given(ZONE_CORRECT))


def _area(xs: tuple[float, ...], ys: tuple[float, ...]) -> float:
    count = len(xs)
    return abs(sum(xs[k] * ys[(k + 1) % count] - xs[(k + 1) % count] * ys[k] for k in range(count))) / 2


def _n(value: float) -> str:
    return format(value, "g")
