"""What `mooc serve` reads from a request's headers (Range, If-Range, If-Modified-Since), by RFC 9110.

A header is text a visitor chose: a number in it may have thousands of digits (Python refuses ``int()`` of
over 4,300, and would be slow well before), a date may lie outside any calendar, a Range may list thousands
of parts. Each function here reads one header in time and memory bounded by the header's length (which
http.server bounds), turns no more than :data:`DIGITS` digits into a number, and says in words what it
refused, for the server's log.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

DIGITS = 18  # a byte position of up to 10**18 - 1 (an exabyte): more digits mean "beyond any file"
BEYOND: int = 10**DIGITS
MOST = 100  # ranges in one Range header; more are refused (RFC 9110 section 14.2: a broken client or an attack)
LONGEST_DATE = 64  # an HTTP-date is 29 characters; an asctime or RFC 850 date a few more

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# One range-spec of the bytes unit (RFC 9110 section 14.1.2): ASCII digits only (\d would take any script's).
_SPEC = re.compile(r"([0-9]+)-([0-9]*)|-([0-9]+)")


@dataclass(frozen=True)
class Unsatisfiable:
    """A Range answered 416: why, in words for the server's log."""

    reason: str


def parse_range(header: str, size: int) -> tuple[int, int] | Unsatisfiable | None:
    """The (first, last) byte a Range header asks of a file of ``size`` bytes; :class:`Unsatisfiable` when it
    must be answered 416; None when it is to be ignored and the whole file sent (200).

    RFC 9110 section 14: a range unit other than ``bytes`` MUST be ignored; several ranges at once may be
    ignored (they are: the whole file); a malformed ranges-specifier may be rejected (it is, with 416); a
    position beyond the end is cut to the end, a suffix longer than the file takes the whole file.
    """
    unit, equals, ranges = header.strip(" \t").partition("=")
    if not equals or not _TOKEN.fullmatch(unit):
        return Unsatisfiable("not UNIT=RANGES; expected bytes=FIRST-LAST, bytes=FIRST- or bytes=-COUNT")
    if unit.lower() != "bytes":
        return None  # a unit the server does not know: ignored, as RFC 9110 requires
    if ranges[:1] in (" ", "\t"):
        return Unsatisfiable("a space after bytes=; expected bytes=FIRST-LAST, bytes=FIRST- or bytes=-COUNT")
    specs = [spec.strip(" \t") for spec in ranges.split(",")]  # spaces are allowed around commas only
    specs = [spec for spec in specs if spec]  # empty list elements are allowed, and mean nothing
    if len(specs) > MOST:
        return Unsatisfiable(f"{len(specs)} ranges at once; a player asks for one")
    if not specs:
        return Unsatisfiable("no range after bytes=; expected bytes=FIRST-LAST, bytes=FIRST- or bytes=-COUNT")
    spans: list[tuple[str, str, str]] = []
    for spec in specs:
        match = _SPEC.fullmatch(spec)
        if match is None:
            return Unsatisfiable(f"'{spec[:40]}' is not a byte range; expected FIRST-LAST, FIRST- or -COUNT "
                                 "(decimal digits)")
        first, last, suffix = match.group(1) or "", match.group(2) or "", match.group(3) or ""
        if first and last and number(last) < number(first):
            return Unsatisfiable(f"'{spec[:40]}' ends before it starts")
        spans.append((first, last, suffix))
    if len(spans) > 1:
        return None  # several ranges: the whole file, once (a multipart answer is not worth its risks)
    first, last, suffix = spans[0]
    if suffix:
        count = number(suffix)
        if count == 0 or size == 0:
            return Unsatisfiable(f"the last {suffix[:40]} bytes of a file of {size} bytes")
        return max(0, size - count), size - 1
    start = number(first)
    if start >= size:
        return Unsatisfiable(f"bytes from {_short(first)} of a file of {size} bytes")
    end = size - 1 if not last else min(number(last), size - 1)
    return start, end


def number(digits: str) -> int:
    """A run of ASCII digits as a number, or :data:`BEYOND` (more than any file holds) past :data:`DIGITS`
    digits: never ``int()`` of an unbounded string (http.server lets a header line reach 64 KB)."""
    significant = digits.lstrip("0")
    if len(significant) > DIGITS:
        return BEYOND
    return int(significant) if significant else 0


def _short(digits: str) -> str:
    return digits if len(digits) <= 24 else f"{digits[:12]}...({len(digits)} digits)"


def range_is_current(if_range: str | None, etag: str) -> bool:
    """Whether a Range is to be honoured given the request's If-Range (RFC 9110 section 13.1.5).

    An entity tag matches when it is our (strong) ETag. A date never does: it is only a valid validator when
    the server knows that the file did not change twice within that second, and a rebuild under `mooc serve`
    may replace a file several times a second, so a range of the new file would be sewn onto the start of
    the old one (a zip that cannot be opened). The whole file is sent instead, as the RFC says to.
    """
    if if_range is None:
        return True
    return if_range.strip(" \t") == etag


def http_date(value: str) -> float | None:
    """The POSIX time of an HTTP-date (IMF-fixdate, RFC 850 or asctime), or None when it is not one (the
    header is then ignored, as RFC 9110 section 13.1.3 says)."""
    if len(value) > LONGEST_DATE:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)  # "-0000": the RFC's dates are all GMT
        return parsed.timestamp()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
