"""The parts open datasets are described with: columns (Table Schema fields), the dataset
itself, and the charts that sum its rows into figures as they are written.

A count of people is published as two columns (``suppressed``): the count, empty when it is not
shown, and a note saying why (``"<10"``, or ``"x"`` for one hidden to protect another), so that
the CSV stays typed and valid under its Table Schema.
"""

import datetime
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from outreach.suppression import HIDDEN, SMALL

Row = dict[str, Any]
ALL = "all"
"""Written in a row of totals, in place of the province, channel or office added up."""
CHART_MONTHS = 12
"""How many of the latest months a chart by month shows."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset's CSV, described as a Table Schema field."""

    name: str
    type: str
    description: str
    """In English, the language of Table Schema descriptors here (``Dataset.title`` is
    translated; a file's descriptions are for whoever reuses the data)."""
    constraints: dict[str, Any] = field(default_factory=dict)

    def schema(self) -> dict[str, Any]:
        """The Table Schema field of the column."""
        described = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "yearmonth":
            described["format"] = "default"
        return {**described, **({"constraints": self.constraints} if self.constraints else {})}

    def cell(self, value: Any) -> str:
        """``value`` as written in the CSV; an empty cell for none."""
        if value is None:
            return ""
        if self.type == "yearmonth" and isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def count(name: str, description: str) -> Column:
    """A column of counts."""
    return Column(name, "integer", description, {"minimum": 0})


def code(name: str, description: str, values: Iterable[str]) -> Column:
    """A column of codes from a fixed list, never empty."""
    return Column(name, "string", description, {"required": True, "enum": list(values)})


def text(name: str, description: str, *, required: bool = True) -> Column:
    """A column of names."""
    return Column(name, "string", description, {"required": True} if required else {})


def suppressed(name: str, description: str) -> tuple[Column, Column]:
    """A column of counts of people and the column of its notes: a count from 1 to 9 is an
    empty cell noted ``"<10"``, one hidden so that a total does not give a small one away an
    empty cell noted ``"x"``."""
    return (
        count(name, f"{description} Empty when not shown: see {name}_note."),
        Column(
            f"{name}_note",
            "string",
            f'Why {name} is empty: "{SMALL}" for a count from 1 to 9; "{HIDDEN}" for a count '
            "hidden because, with the totals, it would give a count below 10 away (it may be "
            "0, or 10 or more).",
            {"enum": [SMALL, HIDDEN]},
        ),
    )


def shown_count(name: str, shown: str) -> Row:
    """The cells of a count and its note, from the count as ``outreach.suppression`` shows it."""
    if shown.isdigit():
        return {name: int(shown), f"{name}_note": None}
    return {name: None, f"{name}_note": shown}


MONTH = Column("month", "yearmonth", "Month (Vietnam time), YYYY-MM.", {"required": True})


@dataclass(frozen=True)
class Figures:
    """What a dataset's chart shows: bars of one or more series, or a line of prices.

    Values are as published: digits, or ``"<10"`` / ``"x"`` for a suppressed count, which a
    chart never draws at its true height.
    """

    kind: str
    series: tuple[str, ...] = ()
    bars: tuple[tuple[str, tuple[str, ...]], ...] = ()
    points: tuple[tuple[str, int], ...] = ()
    caption: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The figures as stored beside the package (``chart.json``)."""
        return {
            "kind": self.kind,
            "series": list(self.series),
            "bars": [[label, list(values)] for label, values in self.bars],
            "points": [list(point) for point in self.points],
            "caption": list(self.caption),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figures":
        """The figures stored by ``as_json``."""
        return cls(
            kind=data["kind"],
            series=tuple(data["series"]),
            bars=tuple((label, tuple(values)) for label, values in data["bars"]),
            points=tuple((day, price) for day, price in data["points"]),
            caption=tuple(data["caption"]),
        )


class Chart:
    """Takes a dataset's rows one by one as they are written and makes its chart's figures."""

    def add(self, row: Row) -> None:
        """Take one row into account."""
        raise NotImplementedError

    def figures(self) -> Figures:
        """The figures, once every row was added."""
        raise NotImplementedError


def bar_key(value: Any) -> str:
    """A bar's key: a month as ``2026-10``, a code as it is."""
    return f"{value:%Y-%m}" if isinstance(value, datetime.date) else str(value)


class SumBy(Chart):
    """Bars of the sums of some columns for each value of one column, in the order of
    ``order`` (else of the values: oldest month first); ``latest`` keeps only the last bars."""

    def __init__(
        self,
        by: str,
        series: tuple[str, ...],
        latest: int | None = None,
        order: Sequence[str] = (),
    ) -> None:
        self.by = by
        self.series = series
        self.latest = latest
        self.order = {value: index for index, value in enumerate(order)}
        self.sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(series))

    def add(self, row: Row) -> None:
        """Add the row's counts to its bar."""
        sums = self.sums[bar_key(row[self.by])]
        for index, name in enumerate(self.series):
            sums[index] += row[name] or 0

    def figures(self) -> Figures:
        """The bars in their order."""
        labels = sorted(
            self.sums, key=lambda label: (self.order.get(label, len(self.order)), label)
        )
        if self.latest is not None:
            labels = labels[-self.latest :]
        bars = tuple((label, tuple(str(value) for value in self.sums[label])) for label in labels)
        return Figures("bars", self.series, bars)


class PricesOfNewest(Chart):
    """A line of the latest prices of the commodity and market priced last."""

    POINTS = 90

    def __init__(self) -> None:
        self.points: dict[tuple[str, int], deque[tuple[str, int]]] = {}
        self.names: dict[tuple[str, int], tuple[str, ...]] = {}
        self.newest: tuple[str, tuple[str, int]] | None = None

    def add(self, row: Row) -> None:
        """Keep the row's price among its commodity and market's latest ones."""
        key = (row["commodity"], row["market_id"])
        day = row["date"].isoformat()
        self.points.setdefault(key, deque(maxlen=self.POINTS)).append((day, row["price"]))
        self.names[key] = (row["commodity_name"], row["market"], row["unit"])
        if self.newest is None or day >= self.newest[0]:
            self.newest = (day, key)

    def figures(self) -> Figures:
        """The line of the pair priced last, oldest price first."""
        if self.newest is None:
            return Figures("line")
        key = self.newest[1]
        return Figures("line", points=tuple(sorted(self.points[key])), caption=self.names[key])


@dataclass(frozen=True)
class Dataset:
    """One open dataset: its name (the address of its files, never changed), title and
    description in every language through the catalogues, its columns and primary key, the
    function that counts its rows and the chart that sums them.

    ``series`` names the chart's series; ``label`` writes a bar's label for readers.
    """

    name: str
    title: Promise
    description: Promise
    theme: str
    """The EU data theme (``http://publications.europa.eu/resource/authority/data-theme/``)."""
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    chart: Callable[[], Chart]
    chart_title: Promise
    series: dict[str, Promise] = field(default_factory=dict)
    label: Callable[[str], str] = str
    about_people: bool = False

    def schema(self) -> dict[str, Any]:
        """The Table Schema of the CSV."""
        return {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }


class Totals(Chart):
    """Bars of the rows of totals (those whose ``where`` columns say ``all``), by month, the
    latest ``CHART_MONTHS``: the figures as published, suppression notes and all."""

    def __init__(self, where: tuple[str, ...], series: tuple[str, ...]) -> None:
        self.where = where
        self.series = series
        self.bars: dict[str, tuple[str, ...]] = {}

    def add(self, row: Row) -> None:
        """Take the row if it is one of totals."""
        if all(row[name] == ALL for name in self.where):
            self.bars[bar_key(row["month"])] = tuple(
                row[f"{name}_note"] if row[name] is None else str(row[name]) for name in self.series
            )

    def figures(self) -> Figures:
        """The bars, oldest month first."""
        labels = sorted(self.bars)[-CHART_MONTHS:]
        return Figures("bars", self.series, tuple((label, self.bars[label]) for label in labels))
