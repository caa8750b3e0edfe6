"""The open datasets: for each, its name, title and description in every language, its
columns and primary key (a Table Schema), where its rows come from and how its chart sums them.

Every row is an aggregate (a count, a price), never a person: ``outreach.open_data_counts``
counts them, ``outreach.open_data`` publishes them.
"""

from django.utils.translation import gettext_lazy as _

from cms.languages import LANGUAGE_CODES
from cms.topics import Topic
from heritage.models import HeritageKind
from outreach.models import Channel
from outreach.open_data_counts import (
    CURRENCY,
    NO_OFFICE,
    UNKNOWN,
    bulletins_reach,
    content_published,
    heritage_records,
    market_prices,
    programmes_aired,
    questions_answered,
)
from outreach.open_data_tables import (
    ALL,
    CHART_MONTHS,
    MONTH,
    Column,
    Dataset,
    PricesOfNewest,
    SumBy,
    Totals,
    code,
    count,
    suppressed,
    text,
)


def month_label(value: str) -> str:
    """A month, ``2026-10``, as a chart writes it: ``10/2026``."""
    year, month = value.split("-")
    return f"{month}/{year}"


def kind_label(value: str) -> str:
    """The name of a heritage kind in the reader's language."""
    return str(dict(HeritageKind.choices).get(value, value))


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="content-published",
            title=_("Articles published and translated"),
            description=_(
                "Articles published per topic and month, and in each language how many of "
                "them have an up-to-date translation."
            ),
            theme="EDUC",
            columns=(
                MONTH,
                code("topic", "Section of the site the articles are published in.", Topic.values),
                code(
                    "language",
                    "Language (ISO 639 code); vi is the language articles are written in.",
                    LANGUAGE_CODES,
                ),
                count(
                    "published",
                    "Articles first published in the month (and still published).",
                ),
                count(
                    "translated",
                    "Of those, how many have a translation into the language that is up to "
                    "date with the Vietnamese of their latest version; all of them for vi.",
                ),
            ),
            primary_key=("month", "topic", "language"),
            rows=content_published,
            chart=lambda: SumBy("language", ("published", "translated"), order=LANGUAGE_CODES),
            chart_title=_("Articles and their up-to-date translations, per language"),
            series={"published": _("Published"), "translated": _("Translated, up to date")},
        ),
        Dataset(
            name="bulletins-reach",
            title=_("Bulletins and their reach"),
            description=_(
                "Bulletin messages sent, delivered and failed per province, channel and month, "
                "with totals. Counts from 1 to 9 are not shown; months are published once over."
            ),
            theme="GOVE",
            columns=(
                MONTH,
                text(
                    "province",
                    "Province of the subscribers the messages went to; "
                    f'"{UNKNOWN}" for subscribers erased since; "{ALL}" for the total of '
                    "every province.",
                ),
                code(
                    "channel",
                    f'Channel of the messages; "{ALL}" for the total of every channel.',
                    [*Channel.values, ALL],
                ),
                *suppressed("sent", "Messages handed to the provider."),
                *suppressed("delivered", "Messages the provider reported delivered."),
                *suppressed("failed", "Messages that failed or expired."),
            ),
            primary_key=("month", "province", "channel"),
            rows=bulletins_reach,
            chart=lambda: Totals(("province", "channel"), ("sent", "delivered")),
            chart_title=_("Bulletin messages sent and delivered per month"),
            series={"sent": _("Sent"), "delivered": _("Delivered")},
            label=month_label,
            about_people=True,
        ),
        Dataset(
            name="questions-answered",
            title=_("Residents' questions and answers"),
            description=_(
                "Questions, reports and proposals each office received and answered per month, "
                "and the median days it took to answer. Counts from 1 to 9 are not shown; "
                "months are published once over."
            ),
            theme="GOVE",
            columns=(
                MONTH,
                text(
                    "office",
                    f'Office that answers; "{NO_OFFICE}" for submissions not yet sent to one; '
                    f'"{ALL}" for the total of every office.',
                ),
                *suppressed("received", "Submissions received in the month."),
                *suppressed("answered", "Submissions answered in the month, whenever received."),
                Column(
                    "median_days",
                    "number",
                    "Median days from receipt to answer of those answered in the month; empty "
                    "when none was, or when the count answered is not shown.",
                    {"minimum": 0},
                ),
            ),
            primary_key=("month", "office"),
            rows=questions_answered,
            chart=lambda: Totals(("office",), ("received", "answered")),
            chart_title=_("Residents' submissions received and answered per month"),
            series={"received": _("Received"), "answered": _("Answered")},
            label=month_label,
            about_people=True,
        ),
        Dataset(
            name="heritage-records",
            title=_("Public heritage records"),
            description=_(
                "Heritage records open to everyone, per ethnic group, province and kind. "
                "Records shared only with a community, officers or custodians are not counted."
            ),
            theme="EDUC",
            columns=(
                text(
                    "ethnic_group_code",
                    "Code of the ethnic group from the General Statistics Office's list; "
                    f'"{UNKNOWN}" for records that name none.',
                ),
                text("ethnic_group", "Name of the ethnic group in Vietnamese."),
                text("ethnic_group_en", "Name of the ethnic group in English.", required=False),
                text(
                    "province",
                    "Province or centrally-run city in force today where the records were "
                    f'made, former units mapped to today\'s; "{UNKNOWN}" for records that name '
                    "no place.",
                ),
                code("kind", "What the records describe.", HeritageKind.values),
                count(
                    "records",
                    "Live public records. A record of several ethnic groups or provinces is "
                    "counted in each.",
                ),
            ),
            primary_key=("ethnic_group_code", "province", "kind"),
            rows=heritage_records,
            chart=lambda: SumBy("kind", ("records",), order=HeritageKind.values),
            chart_title=_(
                "Public heritage records per kind (a record of several ethnic groups or "
                "provinces counted in each)"
            ),
            series={"records": _("Records")},
            label=kind_label,
        ),
        Dataset(
            name="market-prices",
            title=_("Market prices"),
            description=_("Prices of farm products per commodity, market and day."),
            theme="AGRI",
            columns=(
                Column("date", "date", "Day the price was recorded.", {"required": True}),
                text("commodity", "Identifier of the commodity (its Vietnamese slug)."),
                text("commodity_name", "Name of the commodity in Vietnamese."),
                text("commodity_name_en", "Name of the commodity in English.", required=False),
                Column(
                    "market_id",
                    "integer",
                    "Identifier of the market in this dataset.",
                    {"required": True},
                ),
                text("market", "Name of the market."),
                text("province", "Province of the market."),
                text("unit", "Unit the price is for, in Vietnamese (e.g. kg)."),
                code("currency", "Currency of the price (ISO 4217).", [CURRENCY]),
                count("price", "Price per unit, in đồng."),
            ),
            primary_key=("date", "commodity", "market_id"),
            rows=market_prices,
            chart=PricesOfNewest,
            chart_title=_("Latest prices of the commodity priced last"),
        ),
        Dataset(
            name="programmes-aired",
            title=_("Loudspeaker programmes aired"),
            description=_(
                "Programmes played to the end on the commune loudspeakers, per commune and month."
            ),
            theme="GOVE",
            columns=(
                MONTH,
                text("province", "Province of the commune."),
                text("commune", "Commune, ward or special zone whose loudspeakers played."),
                count(
                    "plays",
                    "Broadcasts played to the end by the loudspeakers of the commune (a "
                    "cluster serving several communes counts in each).",
                ),
                count("programmes", "Different programmes among those broadcasts."),
            ),
            primary_key=("month", "province", "commune"),
            rows=programmes_aired,
            chart=lambda: SumBy("month", ("plays",), latest=CHART_MONTHS),
            chart_title=_("Broadcasts played per month, all communes"),
            series={"plays": _("Broadcasts played")},
            label=month_label,
        ),
    )
}
