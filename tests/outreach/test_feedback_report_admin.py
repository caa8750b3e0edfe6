"""The offices' figures in the admin: each sees its own, a coordinator all, with a chart that
needs no JavaScript; nobody else sees any."""

import pytest

from outreach import handling
from tests.outreach.test_handling import VIETNAMESE, ask, make_offices, make_staff

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")
URL = "/admin/questions/report/"


@pytest.fixture
def asked(dak_lak, ea_sup):
    offices = make_offices(dak_lak, ea_sup)
    staff = make_staff(offices)
    answered = ask(dak_lak)
    handling.answer(answered, staff["health"], text=VIETNAMESE, language="vi", vietnamese="")
    ask(dak_lak)
    ask(dak_lak, commune=ea_sup)
    ask(dak_lak, topic="education")  # triage
    return staff


def figures(page):
    """The table's rows: office, received, answered, overdue."""
    import re

    rows = re.findall(
        r"<tr><td>[^<]*</td><td>([^<]*)</td>.*?</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>",
        page,
    )
    return sorted(rows)


def test_each_office_sees_its_own_figures_and_a_coordinator_all(client, asked):
    client.force_login(asked["health"])
    own = client.get(URL)
    assert own.status_code == 200
    page = own.content.decode()
    assert figures(page) == [("Sở Y tế Đắk Lắk", "2", "1", "0")]
    assert '<svg class="chart"' in page and "<script" not in page.split("<main", 1)[-1]
    client.force_login(asked["coordinator"])
    assert figures(client.get(URL).content.decode()) == [
        ("Chưa có cơ quan", "1", "0", "0"),
        ("Sở Y tế Đắk Lắk", "2", "1", "0"),
        ("UBND xã Ea Súp", "1", "0", "0"),
    ]


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_nobody_else_sees_the_figures(client, asked, django_user_model, who):
    if who != "anonymous":
        from django.contrib.auth.models import Permission

        user = django_user_model.objects.create_user(who, password="x")
        if who == "editor":
            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    answer = client.get(URL)
    assert answer.status_code == 302
    expected = "/admin/login/" if who != "editor" else "/admin/"
    assert answer["Location"].startswith(expected)
    assert "Sở Y tế" not in answer.content.decode()
