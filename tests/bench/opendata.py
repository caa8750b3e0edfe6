"""The open data part of ``make bench-loudspeaker``: five years of daily market prices
published as a dataset.

On a throw-away SQLite database under production settings (PostgreSQL when ``DATABASE_URL``
names a server) it records the price of ``--commodities`` commodities at ``--markets`` markets
on every day of five years, then publishes the ``market-prices`` dataset as the scheduled task
does (``outreach.open_data.publish``): rows counted out of the database, written as CSV with
their chart's figures, validated by ``frictionless``, then put in place. The first publication
is the headline; a second one beside it (the database's pages warm, the previous version to
replace). The seconds, rows and bytes are printed and written to ``var/bench/opendata.json``.
"""

import argparse
import datetime
import random
import time

from tests.bench.common import report, throwaway_site

YEARS = 5


def seed(commodities: int, markets: int) -> int:
    """Prices for five years of days; how many."""
    from django.db import transaction

    from cms.models import Commodity, Market, MarketPrice

    chooser = random.Random(16)
    goods = Commodity.objects.bulk_create(
        Commodity(name=f"Nông sản {number}", slug=f"nong-san-{number}", unit="kg")
        for number in range(commodities)
    )
    places = Market.objects.bulk_create(
        Market(name=f"Chợ đầu mối {number}", province=f"Tỉnh {number % 34}")
        for number in range(markets)
    )
    first = datetime.date.today() - datetime.timedelta(days=365 * YEARS)
    days = [first + datetime.timedelta(days=n) for n in range(365 * YEARS)]
    count = 0
    for good in goods:
        for place in places:
            price = chooser.randrange(8_000, 150_000, 500)
            rows = []
            for day in days:
                price = max(1_000, price + chooser.randrange(-1_000, 1_001, 500))
                rows.append(MarketPrice(commodity=good, market=place, price=price, date=day))
            with transaction.atomic():
                MarketPrice.objects.bulk_create(rows, batch_size=5_000)
            count += len(rows)
    return count


def main() -> None:
    """Seed, publish twice, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commodities", type=int, default=12)
    parser.add_argument("--markets", type=int, default=40)
    options = parser.parse_args()
    with throwaway_site("opendata"):
        from django.db import connection
        from django.utils import timezone

        from outreach import open_data
        from outreach.open_data_sets import DATASETS

        prices = seed(options.commodities, options.markets)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        dataset = DATASETS["market-prices"]
        seconds = []
        for _ in range(2):
            open_data.root().mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            if not open_data.publish(dataset, timezone.now()):
                raise SystemExit("the market prices were not published")
            seconds.append(time.perf_counter() - started)
        package = open_data.published("market-prices")
    figures = [
        ("market_prices", prices, "rows"),
        ("export_5y_prices_first_seconds", round(seconds[0], 1), "s"),
        ("export_5y_prices_again_seconds", round(seconds[1], 1), "s"),
        ("export_rows_per_second", round(package.rows / seconds[0]), "rows/s"),
        ("export_csv_bytes", package.bytes, "bytes"),
        ("export_rows", package.rows, "rows"),
    ]
    report("opendata", figures)


if __name__ == "__main__":
    main()
