"""The questions as a group or a sheet of paper sees them: what a learner picks from, lettered A, B, C in its
shown order (model/questions.py), and a hotspot's drawing with its zones outlined and lettered.

On a screen a learner picks with a control; in a room and on paper they say or write a letter ("1-B"), so the
letters are what the projector view, the participant's sheet and handout and the facilitator's key share:
each is worked out here, once, from the shown order, never from the order the author wrote (the right item
first). What marks an answer (``right``, ``correct``) is for the facilitator's templates only: a participant's
template never reads it, and a hotspot drawn for participants carries no trace of it (:func:`drawing`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mooc_builder.model import Blank, Question, ZoneShape, shown_blank_options

# The printed drawing, in millimetres: on a participant's sheet as wide as leaves room in an A4 column and no
# higher than a third of the page; in the facilitator's key, smaller (it shows which zone, not where to draw).
PRINT_SIZE = (140.0, 100.0)
KEY_SIZE = (80.0, 60.0)


def letter(index: int) -> str:
    """The letter of the thing shown at ``index`` (0: A, 25: Z, 26: AA), as a list of type A names it."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _number(value: float) -> str:
    """A coordinate as SVG writes it: no trailing zeros, no exponent."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Lettered:
    """A thing a learner picks from, at its place in the shown order: its letter and its text (HTML for an
    ordering's item or a matching's left side, plain text for an option or a zone's label)."""

    letter: str
    text: str
    right: bool = False


def options(question: Question) -> list[Lettered]:
    """A matching question's options, as every select lists them."""
    return [Lettered(letter(k), option) for k, option in enumerate(question.shown_options)]


@dataclass(frozen=True, slots=True)
class Match:
    """A matching's left side (written order, numbered from 1) and the option that is its pair."""

    number: int
    left_html: str
    option: Lettered


def pairs(question: Question) -> list[Match]:
    shown = question.shown_options
    return [Match(n, pair.left_html, Lettered(letter(shown.index(pair.right)), pair.right, True))
            for n, pair in enumerate(question.pairs, start=1)]


def items(question: Question) -> list[Lettered]:
    """An ordering question's items as shown (never in their right order)."""
    return [Lettered(letter(k), question.items[rank]) for k, rank in enumerate(question.shown_items)]


def right_order(question: Question) -> list[Lettered]:
    """An ordering question's items in their right order, each with the letter it is shown with."""
    place = {rank: k for k, rank in enumerate(question.shown_items)}
    return [Lettered(letter(place[rank]), item, True) for rank, item in enumerate(question.items)]


@dataclass(frozen=True, slots=True)
class ClozePiece:
    """A piece of a cloze text: words (``html``), a blank to write in (``answers``: what it accepts, the
    facilitator's), or a list to choose from (``options``, shown order; ``right`` marks the right one)."""

    html: str = ""
    number: int = 0  # of a blank, from 1
    answers: tuple[str, ...] = ()
    options: tuple[Lettered, ...] = ()

    @property
    def blank(self) -> bool:
        return self.number > 0

    @property
    def right(self) -> str:
        """What fills the blank in the facilitator's text: the right option, or the first accepted answer."""
        chosen = [option.text for option in self.options if option.right]
        return chosen[0] if chosen else self.answers[0]

    @property
    def others(self) -> tuple[str, ...]:
        """The other answers a written blank accepts."""
        return () if self.options else self.answers[1:]


def cloze(question: Question) -> list[ClozePiece]:
    pieces: list[ClozePiece] = []
    number = 0
    for part in question.cloze:
        if not isinstance(part, Blank):
            pieces.append(ClozePiece(html=part))
            continue
        number += 1
        if part.select:
            shown = shown_blank_options(part)
            pieces.append(ClozePiece(number=number, options=tuple(
                Lettered(letter(k), part.answers[written], written == 0) for k, written in enumerate(shown))))
        else:
            pieces.append(ClozePiece(number=number, answers=part.answers))
    return pieces


def has_select(question: Question) -> bool:
    return any(blank.select for blank in question.blanks)


# --- a hotspot's drawing ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ZoneMark:
    """A zone as drawn: its letter, its label, whether it is right (read by the facilitator's drawing only), its
    SVG element (``shape``: rect, circle or polygon, with ``geometry``, its attributes) and where its letter
    sits (``x``, ``y``)."""

    letter: str
    label: str
    right: bool
    shape: str
    geometry: str
    x: str
    y: str


@dataclass(frozen=True, slots=True)
class Drawing:
    """A hotspot's drawing in its own units: its box (``view_box``; ``x``, ``y``, ``width``, ``height`` for the
    picture), its printed size in millimetres, the widths of a zone's outline and of the white line under it
    (so that it stands out on any drawing: dark on light, light on dark), the letters' size, and its zones in
    the shown order."""

    view_box: str
    x: str
    y: str
    width: str
    height: str
    print_width: str
    print_height: str
    line: str
    halo: str
    mark: str
    radius: str
    font: str
    zones: tuple[ZoneMark, ...]

    @property
    def right(self) -> tuple[ZoneMark, ...]:
        return tuple(zone for zone in self.zones if zone.right)


def drawing(question: Question, key: bool = False) -> Drawing:
    """``key``: printed at the facilitator's smaller size."""
    x, y, width, height = question.image_box
    size = max(width, height)
    line, font = size / 160, size / 22
    radius = font * 0.75
    ratio = height / width if width else 1.0
    print_width, print_height = KEY_SIZE if key else PRINT_SIZE
    if print_width * ratio > print_height:
        print_width = print_height / ratio
    zones = []
    for k, written in enumerate(question.shown_zones):
        zone = question.zones[written]
        cx, cy, geometry = _geometry(zone.shape, zone.coords, zone.points if zone.shape is ZoneShape.POLYGON else ())
        # The letter inside the drawing, even for a zone at its edge.
        cx = min(max(cx, x + radius + line), x + width - radius - line)
        cy = min(max(cy, y + radius + line), y + height - radius - line)
        zones.append(ZoneMark(letter(k), zone.label, zone.correct, zone.shape.value, geometry,
                              _number(cx), _number(cy)))
    return Drawing(" ".join(_number(v) for v in (x, y, width, height)), _number(x), _number(y), _number(width),
                   _number(height), _number(print_width), _number(print_width * ratio), _number(line),
                   _number(line * 3), _number(line * 3), _number(radius), _number(font), tuple(zones))


def _geometry(shape: ZoneShape, coords: tuple[float, ...], points: tuple[tuple[float, float], ...]
              ) -> tuple[float, float, str]:
    """A zone's centre and its SVG attributes."""
    if shape is ZoneShape.RECT:
        x1, y1, x2, y2 = coords
        return ((x1 + x2) / 2, (y1 + y2) / 2, f'x="{_number(x1)}" y="{_number(y1)}" width="{_number(x2 - x1)}" '
                                              f'height="{_number(y2 - y1)}"')
    if shape is ZoneShape.CIRCLE:
        cx, cy, r = coords
        return cx, cy, f'cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(r)}"'
    cx, cy = _centroid(points)
    return cx, cy, 'points="' + " ".join(f"{_number(px)},{_number(py)}" for px, py in points) + '"'


def _centroid(points: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """Where a polygon's letter goes: its centre of area, or the mean of its corners when it has none."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, (*points[1:], points[0]), strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if math.isclose(area, 0.0, abs_tol=1e-9):
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return cx / (3 * area), cy / (3 * area)


class Parts:
    """What templates call (``lettered.options(question)``...): the functions above, as one value of the
    templates' context."""

    letter = staticmethod(letter)
    options = staticmethod(options)
    pairs = staticmethod(pairs)
    items = staticmethod(items)
    right_order = staticmethod(right_order)
    cloze = staticmethod(cloze)
    has_select = staticmethod(has_select)
    drawing = staticmethod(drawing)


LETTERED = Parts()
