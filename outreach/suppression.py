"""Small-cell suppression for every count shown in public (issue 16).

A count from 1 to 9 is shown as ``"<10"`` (primary suppression): so few readers of a language
in a commune, or so few questions to an office, could point at a person. A true zero is shown
as ``"0"``: that nobody did something says nothing about anyone.

A table's totals would give a lone hidden count away (the total less the shown counts), so
wherever a row or a column has exactly one hidden count, a second one is hidden too (secondary
suppression): the smallest other non-zero count of that row or column, else its total (a hidden
zero would protect nothing). So is one where the total would still pin the small counts down
(a 1 beside a hidden 10, out of 11; two 9s out of 18). Rows and columns are gone through again until
none has exactly one hidden count; the totals take part as counts of the row and column of
totals, so the grand total gives no row total away either. A count hidden this way is shown
as ``"x"``: it is 10 or more, and ``"<10"`` would not be true of it.

Totals are computed from the true counts and follow the same rules: below 10, ``"<10"``.

This protects against working a count out from one row or column. A reader who combines
several rows and columns can at best narrow a hidden count to a range, except in rare
patterns (one hidden block joined to another by a single hidden count) that this does not look
for.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 10
"""Counts from 1 to ``THRESHOLD - 1`` are never shown."""
SMALL = f"<{THRESHOLD}"
"""How a count from 1 to 9 is shown."""
HIDDEN = "x"
"""How a count hidden only so that a total does not give a small one away is shown."""


@dataclass(frozen=True)
class ShownGroup:
    """Counts grouped by one dimension, and their total, as shown in public."""

    cells: list[str]
    total: str


@dataclass(frozen=True)
class ShownTable:
    """A table of counts with its row, column and grand totals, as shown in public."""

    cells: list[list[str]]
    row_totals: list[str]
    column_totals: list[str]
    total: str


def suppress_group(cells: Sequence[int]) -> ShownGroup:
    """``cells`` and their total as shown in public."""
    values = [*cells, sum(cells)]
    hidden = _hide(values, [list(range(len(values)))])
    shown = [_display(value, index in hidden) for index, value in enumerate(values)]
    return ShownGroup(cells=shown[:-1], total=shown[-1])


def suppress_table(cells: Sequence[Sequence[int]]) -> ShownTable:
    """A table of counts (rows of equal length, at least one of each) with its row, column
    and grand totals, as shown in public."""
    rows = [[*row, sum(row)] for row in cells]
    rows.append([sum(column) for column in zip(*rows, strict=True)])
    width = len(rows[0])
    values = [value for row in rows for value in row]
    lines = [[i * width + j for j in range(width)] for i in range(len(rows))]
    lines += [[i * width + j for i in range(len(rows))] for j in range(width)]
    hidden = _hide(values, lines)
    shown = [
        [_display(value, i * width + j in hidden) for j, value in enumerate(row)]
        for i, row in enumerate(rows)
    ]
    return ShownTable(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        column_totals=shown[-1][:-1],
        total=shown[-1][-1],
    )


def _hide(values: list[int], lines: list[list[int]]) -> set[int]:
    """The indexes of ``values`` to hide. Each line lists the indexes of its counts, its total
    last; in the end no line gives a hidden count away (``_exposed``)."""
    hidden = {index for index, value in enumerate(values) if 0 < value < THRESHOLD}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _exposed(line, values, hidden):
                continue
            # A hidden zero would protect nothing: "x" is then known to be 0.
            shown = [index for index in line[:-1] if index not in hidden and values[index]]
            if shown:
                hidden.add(min(shown, key=lambda index: values[index]))
            elif line[-1] not in hidden and values[line[-1]]:
                hidden.add(line[-1])
            else:
                continue
            changed = True
    return hidden


def _exposed(line: list[int], values: list[int], hidden: set[int]) -> bool:
    """Whether a line gives a hidden count away: it is the only one hidden, or its shown total
    leaves the small ones a single value (all 1, or all 9). A reader knows a ``"<10"`` is 1 to
    9, an ``"x"`` 10 or more, and the sum of the hidden ones (the total less the shown)."""
    inside = [index for index in line if index in hidden]
    if len(inside) == 1:
        return True
    if not inside or line[-1] in hidden:
        return False
    small = [index for index in inside if 0 < values[index] < THRESHOLD]
    if not small:
        return False
    large = len(inside) - len(small)
    rest = sum(values[index] for index in inside)
    others = len(small) - 1
    most = min(THRESHOLD - 1, rest - others - THRESHOLD * large)
    least = 1 if large else max(1, rest - (THRESHOLD - 1) * others)
    return most <= least


def _display(value: int, hidden: bool) -> str:
    if not hidden:
        return str(value)
    return SMALL if 0 < value < THRESHOLD else HIDDEN
