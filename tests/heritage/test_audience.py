"""Audience tokens, the protocol rule without the database, agree with ``visible_to``."""

import pytest

from heritage.audience import media_audience, narrative_audience, record_audience, user_audience
from heritage.models import CommunityNarrative
from heritage.protocols import CulturalProtocol, can_view
from tests.heritage.factories import RecordImageFactory
from tests.heritage.matrix import MATRIX, PROTOCOLS


def tell(record, text, protocol=CulturalProtocol.PUBLIC, community=None):
    return CommunityNarrative.objects.create(
        record=record,
        text=text,
        contributor="Bà Lò Thị Xuân",
        protocol=protocol,
        community=community,
    )


@pytest.mark.parametrize("person", MATRIX)
def test_audience_tokens_agree_with_the_protocol_rule(world, person):
    people, records = world
    user = people[person]
    tokens = user_audience(user)
    for protocol in PROTOCOLS:
        record = records[protocol]
        by_tokens = tokens is None or bool(set(tokens) & set(record_audience(record)))
        assert by_tokens == can_view(user, record) == (protocol in MATRIX[person])


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_media_audience_agrees_with_the_media_rule(world, person, protocol):
    people, records = world
    item = RecordImageFactory(record=records["community"], protocol=protocol)
    user = people[person]
    tokens = user_audience(user)
    by_tokens = tokens is None or bool(
        set(tokens) & set(record_audience(item.record)) and set(tokens) & set(media_audience(item))
    )
    assert by_tokens == can_view(user, item)


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_narrative_audience_agrees_with_the_narrative_rule(world, person, protocol):
    people, records = world
    record = records["community"]
    narrative = tell(record, "Lời kể", protocol, record.communities.get())
    user = people[person]
    tokens = user_audience(user)
    by_tokens = tokens is None or bool(
        set(tokens) & set(record_audience(record))
        and set(tokens) & set(narrative_audience(narrative))
    )
    assert by_tokens == CommunityNarrative.objects.visible_to(user).filter(pk=narrative.pk).exists()
