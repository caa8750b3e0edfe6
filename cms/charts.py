"""Small server-rendered SVG charts that need no JavaScript and weigh a few hundred bytes."""

import datetime
from typing import NamedTuple

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cms.formatting import format_date, format_number

WIDTH = 320
HEIGHT = 140
MARGIN_LEFT = 56
MARGIN_BOTTOM = 22
MARGIN_TOP = 10


class PricePoint(NamedTuple):
    """A price on a day."""

    date: datetime.date
    price: int


def price_chart_svg(points: list[PricePoint], title: str) -> SafeString:
    """A line chart of prices over time, with the lowest and highest price and the date range.

    The SVG scales to its container through ``viewBox``; its ``<title>`` names it for screen
    readers, and pages show the same figures as a table for those who cannot see it.
    """
    if not points:
        return SafeString("")
    code = get_language() or "vi"
    low = min(point.price for point in points)
    high = max(point.price for point in points)
    span = (high - low) or 1
    first, last = points[0].date, points[-1].date
    days = (last - first).days or 1
    plot_width = WIDTH - MARGIN_LEFT - 4
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x(day: datetime.date) -> float:
        return MARGIN_LEFT + (day - first).days / days * plot_width

    def y(price: int) -> float:
        return MARGIN_TOP + (high - price) / span * plot_height

    line = " ".join(f"{x(point.date):.1f},{y(point.price):.1f}" for point in points)
    baseline = HEIGHT - MARGIN_BOTTOM
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}">{}</text>',
        [
            (MARGIN_LEFT - 4, MARGIN_TOP + 4, "end", format_number(high, code)),
            (MARGIN_LEFT - 4, baseline, "end", format_number(low, code)),
            (MARGIN_LEFT, HEIGHT - 4, "start", format_date(first, code)),
            (WIDTH - 4, HEIGHT - 4, "end", format_date(last, code)),
        ],
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{title}">'
        "<title>{title}</title>"
        '<path class="chart-axis" d="M{left} {top}V{base}H{right}"/>'
        '<polyline class="chart-line" points="{line}"/>{labels}</svg>',
        w=WIDTH,
        h=HEIGHT,
        title=title,
        left=MARGIN_LEFT,
        top=MARGIN_TOP,
        base=baseline,
        right=WIDTH - 4,
        line=line,
        labels=labels,
    )


class Bar(NamedTuple):
    """One group of bars: its label and a value per series."""

    label: str
    values: tuple[int, ...]


def bar_labels(labels: list[str], group: float) -> SafeString:
    """The label under each group of bars, ``group`` wide."""
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        [
            (f"{MARGIN_LEFT + (index + 0.5) * group:.1f}", HEIGHT - 4, label)
            for index, label in enumerate(labels)
        ],
    )


def bar_legend(series: tuple[str, ...] | list[str]) -> SafeString:
    """A swatch and a name for each series, along the top."""
    return format_html_join(
        "",
        '<rect class="chart-bar chart-bar-{}" x="{}" y="{}" width="10" height="10"/>'
        '<text x="{}" y="{}">{}</text>',
        [
            (number, MARGIN_LEFT + number * 110, 2, MARGIN_LEFT + number * 110 + 14, 11, name)
            for number, name in enumerate(series)
        ],
    )


def bar_chart_svg(bars: list[Bar], series: tuple[str, ...], title: str) -> SafeString:
    """Grouped bars (one per series in each group, distinguished by their class and named in
    the legend), scaled to the largest value. Pages show the same figures as a table."""
    if not bars:
        return SafeString("")
    code = get_language() or "vi"
    top = max((value for bar in bars for value in bar.values), default=0) or 1
    plot_width = WIDTH - MARGIN_LEFT - 4
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 14
    baseline = MARGIN_TOP + 14 + plot_height
    group = plot_width / len(bars)
    width = group * 0.8 / len(series)
    rects = format_html_join(
        "",
        '<rect class="chart-bar chart-bar-{}" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {}</title></rect>",
        [
            (
                number,
                f"{MARGIN_LEFT + index * group + group * 0.1 + number * width:.1f}",
                f"{baseline - value / top * plot_height:.1f}",
                f"{width:.1f}",
                f"{value / top * plot_height:.1f}",
                f"{bar.label}, {series[number]}",
                format_number(value, code),
            )
            for index, bar in enumerate(bars)
            for number, value in enumerate(bar.values)
        ],
    )
    labels = bar_labels([bar.label for bar in bars], group)
    legend = bar_legend(series)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{title}">'
        "<title>{title}</title>{legend}"
        '<path class="chart-axis" d="M{left} {top}V{base}H{right}"/>{rects}'
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
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 18,
        most=format_number(top, code),
        labels=labels,
    )
