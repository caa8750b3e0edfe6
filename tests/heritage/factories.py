"""Factories for heritage records and community groups."""

import factory

from heritage.models import CommunityGroup, HeritageKind, HeritageRecord
from heritage.protocols import CulturalProtocol


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Cộng đồng thôn {n}")

    class Meta:
        model = CommunityGroup


class HeritageRecordFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Lễ hội số {n}")
    slug = factory.Sequence(lambda n: f"le-hoi-{n}")
    kind = HeritageKind.FESTIVAL
    protocol = CulturalProtocol.PUBLIC
    summary = "Lễ hội đầu xuân của bản."

    class Meta:
        model = HeritageRecord
