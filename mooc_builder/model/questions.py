"""The parts of the question types beyond choices: matching pairs, cloze blanks, hotspot zones, and the
order in which a page shows what a learner picks from.

What a learner picks from is shown in an order of its own, so that neither the page's order nor the values of
its controls give the answer away (the author writes the right item of an ordering first, a select's right
option first, often the right zone first). That order is worked out here, from the question's own words: the
same question is shown the same way at every build, on every page and sheet, and by every export, and the
pages' scoring data names positions in that shown order.
"""

from __future__ import annotations

import enum
import hashlib
import itertools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pair:
    """A matching pair: ``left_html`` is shown, ``right`` is the option of its select (plain text: an
    <option> holds no markup)."""

    left_html: str
    right: str


@dataclass(frozen=True, slots=True)
class Blank:
    """A blank of a cloze text. A text blank (``select`` false) accepts any of ``answers``, compared as a text
    question compares; a select offers ``answers`` (as written: the first is the right one)."""

    answers: tuple[str, ...]
    select: bool = False


# A cloze text: the HTML between blanks, and the blanks, in reading order.
ClozePart = str | Blank


class ZoneShape(enum.Enum):
    """As an HTML image map names them; coordinates as it writes them: rect x1, y1, x2, y2; circle x, y,
    radius; polygon x1, y1, x2, y2, x3, y3, ..."""

    RECT = "rect"
    CIRCLE = "circle"
    POLYGON = "polygon"


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone of a hotspot drawing, in the drawing's own units (its viewBox, or its pixels)."""

    shape: ZoneShape
    coords: tuple[float, ...]
    label: str
    correct: bool = False

    @property
    def points(self) -> tuple[tuple[float, float], ...]:
        """A polygon's corners."""
        return tuple(zip(self.coords[0::2], self.coords[1::2], strict=True))


def shown_order(seed: str, count: int, *, never_right: bool = False) -> tuple[int, ...]:
    """The order in which ``count`` things written in a question are shown: ``shown_order(...)[k]`` is the
    index, as written, of the thing shown at position k. ``never_right``: no two things are shown side by side
    in their right order (an ordering question shown already partly solved), when such an order exists (with
    three things or more; two are shown the other way round)."""
    def ranked(attempt: int) -> tuple[int, ...]:
        def rank(index: int) -> bytes:
            return hashlib.sha256(f"{seed}\x00{attempt}\x00{index}".encode()).digest()
        return tuple(sorted(range(count), key=rank))

    if not never_right or count < 2:
        return ranked(0)
    if count == 2:
        return (1, 0)
    # About a third of the shuffles of many things qualify (e^-1): 64 tries all fail about once in 10^13.
    for attempt in range(64):
        order = ranked(attempt)
        if all(after != before + 1 for before, after in itertools.pairwise(order)):
            return order
    return tuple(reversed(range(count)))


def seed_of(*words: object) -> str:
    """A question's shuffling seed, from its words (never from its place in a quiz: moving a question keeps its
    order, and two quizzes asking the same show it alike)."""
    return "\x1f".join(str(word) for word in words)


def distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    """``values`` without repeats, in the order first written."""
    return tuple(dict.fromkeys(values))
