"""The charts of the open datasets, drawn on the server as SVG (``cms.charts``' manner), with
the same figures as a table for those who cannot see them.

A suppressed count (``"<10"``, or ``"x"`` where it was hidden to protect another) is never
drawn at its true height: it gets a flat outlined mark and its note, in the chart and the table.
"""

import datetime
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    WIDTH,
    PricePoint,
    bar_labels,
    bar_legend,
)
from cms.charts import price_chart_svg as price_line_svg
from cms.formatting import format_date, format_number
from outreach.open_data_tables import Dataset, Figures

SUPPRESSED_HEIGHT = 3
"""How tall a suppressed count's mark is drawn, whatever it is."""


@dataclass(frozen=True)
class ShownChart:
    """A dataset's chart as a page shows it: the SVG and the table of its figures."""

    title: str
    svg: SafeString
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def is_count(value: str) -> bool:
    """Whether a published figure is a count (not a suppression note)."""
    return value.isdigit()


def shown(value: str, code: str) -> str:
    """A published figure as written for readers: a count with the language's grouping, a
    suppression note as it is."""
    return format_number(int(value), code) if is_count(value) else value


def shown_chart(dataset: Dataset, figures: Figures) -> ShownChart | None:
    """The chart of ``dataset``'s published ``figures``; ``None`` when there is nothing to draw."""
    code = get_language() or "vi"
    title = str(dataset.chart_title)
    if figures.kind == "line":
        if not figures.points:
            return None
        points = [
            PricePoint(datetime.date.fromisoformat(day), price) for day, price in figures.points
        ]
        commodity, market, unit = figures.caption
        title = f"{title}: {commodity}, {market} (₫/{unit})"
        return ShownChart(
            title=title,
            svg=price_line_svg(points, title),
            headings=(_("Day"), _("Price (₫)")),
            rows=tuple((format_date(p.date, code), format_number(p.price, code)) for p in points),
        )
    if not figures.bars:
        return None
    series = tuple(str(dataset.series[key]) for key in figures.series)
    bars = [(dataset.label(label), values) for label, values in figures.bars]
    return ShownChart(
        title=title,
        svg=bar_chart_svg(bars, series, title),
        headings=("", *series),
        rows=tuple((label, *(shown(value, code) for value in values)) for label, values in bars),
    )


def bar_chart_svg(
    bars: list[tuple[str, tuple[str, ...]]], series: tuple[str, ...], title: str
) -> SafeString:
    """Grouped bars of published figures (one bar per series in each group, named in the
    legend), scaled to the largest count; a suppressed figure is a flat outlined mark with its
    note, never a bar of its true height (nor does the scale say anything of it when no count
    is shown)."""
    if not bars:
        return SafeString("")
    code = get_language() or "vi"
    counts = [int(value) for _, values in bars for value in values if is_count(value)]
    top = max(counts, default=0) or 1
    plot_width = WIDTH - MARGIN_LEFT - 4
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 14
    baseline = MARGIN_TOP + 14 + plot_height
    group = plot_width / len(bars)
    width = group * 0.8 / len(series)

    def left(index: int, number: int) -> float:
        return MARGIN_LEFT + index * group + group * 0.1 + number * width

    drawn = []
    notes = []
    for index, (label, values) in enumerate(bars):
        for number, value in enumerate(values):
            height = int(value) / top * plot_height if is_count(value) else SUPPRESSED_HEIGHT
            suppressed = "" if is_count(value) else " chart-bar-suppressed"
            drawn.append(
                (
                    f"{number}{suppressed}",
                    f"{left(index, number):.1f}",
                    f"{baseline - height:.1f}",
                    f"{width:.1f}",
                    f"{height:.1f}",
                    f"{label}, {series[number]}",
                    shown(value, code),
                )
            )
            if not is_count(value):
                notes.append((f"{left(index, number) + width / 2:.1f}", baseline - 6, value))
    rects = format_html_join(
        "",
        '<rect class="chart-bar chart-bar-{}" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {}</title></rect>",
        drawn,
    )
    marks = format_html_join(
        "", '<text class="chart-note" x="{}" y="{}" text-anchor="middle">{}</text>', notes
    )
    labels = bar_labels([label for label, _values in bars], group)
    legend = bar_legend(series)
    return format_html(
        '<svg class="chart chart-bars" viewBox="0 0 {w} {h}" role="img" aria-label="{title}">'
        "<title>{title}</title>{legend}"
        '<path class="chart-axis" d="M{left} {top}V{base}H{right}"/>{rects}{marks}'
        '<text x="{tx}" y="{ty}" text-anchor="end">{most}</text>{labels}</svg>',
        w=WIDTH,
        h=HEIGHT,
        title=title,
        legend=legend,
        left=MARGIN_LEFT,
        top=MARGIN_TOP + 14,
        base=baseline,
        right=WIDTH - 4,
        rects=rects,
        marks=marks,
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 18,
        most=format_number(top, code) if counts else "",
        labels=labels,
    )
