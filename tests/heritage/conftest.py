"""The people and records of the permission matrix every protocol test runs over."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from tests.heritage.factories import (
    CommunityGroupFactory,
    HeritageIndexPageFactory,
    HeritageRecordFactory,
)


@pytest.fixture
def archive(home):
    """The archive's index page under the home page, at /vi/di-san/."""
    return HeritageIndexPageFactory(parent=home)


@pytest.fixture
def world(db):
    """Seven kinds of user and one record per protocol, titled so a leak is easy to spot."""
    users = get_user_model().objects
    people = {
        "anonymous": AnonymousUser(),
        "reader": users.create_user("reader", password="pw"),
        "member": users.create_user("member", password="pw"),
        "other_member": users.create_user("other", password="pw"),
        "officer": users.create_user("officer", password="pw"),
        "custodian": users.create_user("custodian", password="pw"),
        "superuser": users.create_superuser("root", password="pw"),
    }
    people["officer"].groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    village, other_village = CommunityGroupFactory(), CommunityGroupFactory()
    village.members.add(people["member"])
    other_village.members.add(people["other_member"], people["custodian"])
    records = {
        "public": HeritageRecordFactory(title="Lễ hội Lồng Tồng"),
        "community": HeritageRecordFactory(
            title="Bài cúng bản Nà Hẩu", protocol=CulturalProtocol.COMMUNITY
        ),
        "restricted": HeritageRecordFactory(
            title="Hồ sơ thầy Then chưa công bố", protocol=CulturalProtocol.RESTRICTED
        ),
        "secret": HeritageRecordFactory(
            title="Nghi lễ Cấp Sắc bí truyền", protocol=CulturalProtocol.SECRET_SACRED
        ),
    }
    records["community"].communities.add(village)
    records["secret"].custodians.add(people["custodian"])
    return people, records
