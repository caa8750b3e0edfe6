"""Places for the outreach tests."""

import pytest

from heritage.models import Place, PlaceLevel


@pytest.fixture
def dak_lak(db):
    """Đắk Lắk (one of the 34 provinces the migrations load) with two communes, and a third
    commune in Lâm Đồng."""
    province = Place.objects.current().get(name="Đắk Lắk")
    other = Place.objects.current().get(name="Lâm Đồng")
    Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=province)
    Place.objects.create(name="Buôn Đôn", level=PlaceLevel.COMMUNE, parent=province)
    Place.objects.create(name="Lạc Dương", level=PlaceLevel.COMMUNE, parent=other)
    return province


@pytest.fixture
def ea_sup(dak_lak):
    return Place.objects.get(name="Ea Súp")
