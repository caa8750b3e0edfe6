"""The heritage models: reference data, records and their parts, and the public pages."""

from heritage.models.files import FileAudience
from heritage.models.imports import ImportStatus, RecordImport
from heritage.models.pages import HeritageIndexPage
from heritage.models.records import (
    CommunityNarrative,
    HeritageKind,
    HeritageRecord,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.models.reference import (
    COMMUNE_LEVELS,
    LAST_DAY_BEFORE_REFORM,
    TWO_TIER_REFORM,
    CommunityGroup,
    EthnicGroup,
    LanguageGroup,
    Place,
    PlaceLevel,
)
from heritage.models.tombstones import RecordTombstone

__all__ = [
    "COMMUNE_LEVELS",
    "LAST_DAY_BEFORE_REFORM",
    "TWO_TIER_REFORM",
    "CommunityGroup",
    "CommunityNarrative",
    "EthnicGroup",
    "FileAudience",
    "HeritageIndexPage",
    "HeritageKind",
    "HeritageRecord",
    "ImportStatus",
    "LanguageGroup",
    "Place",
    "PlaceLevel",
    "RecordImport",
    "RecordLabel",
    "RecordMedia",
    "RecordSource",
    "RecordTombstone",
]
