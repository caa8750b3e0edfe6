"""The ``Range`` request header read against a file of known size (RFC 9110, section 14).

A header that cannot be used is ignored, so the whole file is sent: another range unit, a
syntax error anywhere in it, a range whose last byte comes before its first, or a request
shaped like an attack (more than ``MAX_RANGES`` ranges, an absurdly long header). A well-formed
header none of whose ranges names a byte of the file (each starts past its end, or asks for its
last 0 bytes) is unsatisfiable (416). Otherwise each range is clamped to the file, and
overlapping or adjacent ranges are merged.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

MAX_RANGES = 16
MAX_HEADER_CHARACTERS = 1024
"""Room for ``MAX_RANGES`` ranges of 20-digit positions; also keeps every numeral well below the
4,300 digits ``int()`` refuses to read."""
WHITESPACE = " \t"
INT_RANGE = re.compile(r"([0-9]+)-([0-9]*)")
SUFFIX_RANGE = re.compile(r"-([0-9]+)")


class RangeSpec(NamedTuple):
    """One range as written: ``first-last``, ``first-`` (``last`` is None) or ``-last`` (the
    last ``last`` bytes; ``first`` is None)."""

    first: int | None
    last: int | None


@dataclass(frozen=True)
class ByteSpan:
    """Bytes ``first`` to ``last`` of a file, both included."""

    first: int
    last: int

    @property
    def length(self) -> int:
        """How many bytes the span holds."""
        return self.last - self.first + 1


def range_specs(header: str) -> list[RangeSpec] | None:
    """The ranges of a ``bytes`` ranges-specifier, or ``None`` when the header is to be ignored.

    Whitespace is allowed around the commas of the list and empty list elements are skipped
    (section 5.6.1.2), but nowhere inside a range.
    """
    if len(header) > MAX_HEADER_CHARACTERS:
        return None
    unit, equals, range_set = header.strip(WHITESPACE).partition("=")
    if not equals or unit.lower() != "bytes":
        return None
    specs = []
    for element in range_set.split(","):
        element = element.strip(WHITESPACE)
        if not element:
            continue
        if int_range := INT_RANGE.fullmatch(element):
            first = int(int_range[1])
            last = int(int_range[2]) if int_range[2] else None
            if last is not None and last < first:
                return None
            specs.append(RangeSpec(first, last))
        elif suffix_range := SUFFIX_RANGE.fullmatch(element):
            specs.append(RangeSpec(None, int(suffix_range[1])))
        else:
            return None
    if not specs or len(specs) > MAX_RANGES:
        return None
    return specs


def span_within(spec: RangeSpec, size: int) -> ByteSpan | None:
    """The bytes ``spec`` names in a non-empty file of ``size`` bytes; ``None`` if unsatisfiable."""
    if spec.first is None:
        assert spec.last is not None  # a suffix range: the file's last ``last`` bytes
        if spec.last == 0:
            return None
        return ByteSpan(max(size - spec.last, 0), size - 1)
    if spec.first >= size:
        return None
    return ByteSpan(spec.first, size - 1 if spec.last is None else min(spec.last, size - 1))


def merged(spans: list[ByteSpan]) -> list[ByteSpan]:
    """Overlapping or adjacent spans merged, each in the place of its first member asked for."""
    by_start = sorted(enumerate(spans), key=lambda asked: (asked[1].first, asked[0]))
    runs: list[tuple[int, ByteSpan]] = []
    for position, span in by_start:
        if runs and span.first <= runs[-1][1].last + 1:
            run_position, run = runs[-1]
            runs[-1] = (min(run_position, position), ByteSpan(run.first, max(run.last, span.last)))
        else:
            runs.append((position, span))
    return [span for _, span in sorted(runs, key=lambda run: run[0])]


def spans_to_send(header: str, size: int) -> list[ByteSpan] | None:
    """What to send for a ``Range`` header on a file of ``size`` bytes.

    ``None``: ignore the header and send the whole file (also for an empty file, which has no
    byte to name: section 14.2 allows it). An empty list: unsatisfiable, answer 416. Otherwise
    the spans to send, merged, in the order asked.
    """
    specs = range_specs(header)
    if specs is None or size == 0:
        return None
    spans = [span for spec in specs if (span := span_within(spec, size)) is not None]
    return merged(spans)
