"""Importing communes from a CSV file: validate every row, then write all or nothing.

Columns: ``province, name, level, gso_code, latitude, longitude, formerly``. ``level`` is
``commune``, ``ward`` or ``special-zone``; ``formerly`` lists, separated by ``|``, the pre-2025
communes merged into this one, kept as historical names that resolve to it. A former commune may
name its former province in brackets, ``Xã Lũng Cú (Hà Giang)``, where today's province was
made of several.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from cms.text import nfc
from heritage.models import COMMUNE_LEVELS, LAST_DAY_BEFORE_REFORM, Place, PlaceLevel

COLUMNS = ["province", "name", "level", "gso_code", "latitude", "longitude", "formerly"]


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and which rows it refused."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CommuneRow:
    """One valid row."""

    province: Place
    name: str
    level: str
    gso_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    formerly: tuple["FormerCommune", ...]


@dataclass(frozen=True)
class FormerCommune:
    """A pre-2025 commune merged into a new one, and the former province it was in."""

    name: str
    province: Place | None


FORMER = re.compile(r"^(?P<name>.+?)\s*\((?P<province>[^()]+)\)$")


class RowError(ValueError):
    """A row that cannot be imported, with the reason in the officer's language."""


def parse_coordinate(value: str, limit: int) -> Decimal | None:
    """A latitude or longitude in decimal degrees, or ``None`` when empty."""
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise RowError(_("“%(value)s” is not a number of degrees.") % {"value": value}) from None
    if not -limit <= number <= limit:
        raise RowError(
            _("%(value)s is outside ±%(limit)s degrees.") % {"value": value, "limit": limit}
        )
    return number


def parse_row(row: dict[str, str], provinces: dict[str, Place]) -> CommuneRow:
    """Check one row; raise ``RowError`` saying what is wrong."""
    province_name = nfc(row.get("province", "").strip())
    province = provinces.get(province_name)
    if province is None:
        raise RowError(
            _("“%(name)s” is not a province in force since 1 July 2025.") % {"name": province_name}
        )
    name = nfc(row.get("name", "").strip())
    if not name:
        raise RowError(_("The commune has no name."))
    level = row.get("level", "").strip() or PlaceLevel.COMMUNE
    if level not in COMMUNE_LEVELS:
        raise RowError(
            _("Level must be commune, ward or special-zone, not “%(level)s”.") % {"level": level}
        )
    gso_code = row.get("gso_code", "").strip()
    if gso_code and not gso_code.isdigit():
        raise RowError(_("The GSO code must be digits only."))
    formerly = tuple(
        parse_former(nfc(part.strip()), province)
        for part in row.get("formerly", "").split("|")
        if part.strip()
    )
    return CommuneRow(
        province=province,
        name=name,
        level=level,
        gso_code=gso_code,
        latitude=parse_coordinate(row.get("latitude", ""), 90),
        longitude=parse_coordinate(row.get("longitude", ""), 180),
        formerly=formerly,
    )


def parse_former(text: str, province: Place) -> FormerCommune:
    """``Xã A`` or ``Xã A (Former province)``; the former province must have merged into ours."""
    predecessors = {place.name: place for place in province.predecessors.all()}
    match = FORMER.match(text)
    if match is None:
        only = next(iter(predecessors.values())) if len(predecessors) == 1 else None
        return FormerCommune(text, only)
    former_province = predecessors.get(match["province"].strip())
    if former_province is None:
        raise RowError(
            _("“%(former)s” was not merged into %(province)s.")
            % {"former": match["province"].strip(), "province": province.name}
        )
    return FormerCommune(match["name"].strip(), former_province)


def import_communes(text: str, dry_run: bool = False) -> ImportReport:
    """Import communes from CSV text; nothing is written if any row is refused or in a dry run."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("province", "name") if column not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(
            (1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return report
    provinces = {place.name: place for place in Place.objects.current().provinces()}
    rows: list[CommuneRow] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        try:
            parsed = parse_row(row, provinces)
        except RowError as error:
            report.errors.append((line, str(error)))
            continue
        key = (parsed.province.name, parsed.name)
        if key in seen:
            report.errors.append(
                (line, _("“%(name)s” appears twice in this file.") % {"name": parsed.name})
            )
            continue
        seen.add(key)
        rows.append(parsed)
    if report.errors:
        return report
    with transaction.atomic():
        for commune in rows:
            write_commune(commune, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def write_commune(row: CommuneRow, report: ImportReport) -> None:
    """Create or update one commune and its historical names."""
    commune, created = Place.objects.update_or_create(
        name=row.name,
        parent=row.province,
        valid_until=None,
        defaults={
            "level": row.level,
            "gso_code": row.gso_code,
            "latitude": row.latitude,
            "longitude": row.longitude,
        },
    )
    if created:
        report.created += 1
    else:
        report.updated += 1
    for listed in row.formerly:
        former = Place.objects.filter(
            name=listed.name,
            level=PlaceLevel.COMMUNE,
            valid_until=LAST_DAY_BEFORE_REFORM,
            successors=commune,
        ).first() or Place.objects.create(
            name=listed.name,
            level=PlaceLevel.COMMUNE,
            valid_until=LAST_DAY_BEFORE_REFORM,
            parent=listed.province,
        )
        former.successors.add(commune)
