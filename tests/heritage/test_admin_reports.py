"""Reports, dashboards and counts in the admin name and count only what the editor may see."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.log_actions import log
from wagtail.models import (
    Page,
    WorkflowContentType,
)

from heritage.models import HeritageRecord
from heritage.signal_handlers import CULTURAL_OFFICERS
from media.models import MediaCaption
from tests.heritage.test_protocols import kept_and_shown


@pytest.fixture
def reviewed(world):
    """Every record in the review the migrations made, whose one task the cultural officers
    take."""
    people, records = world
    workflow = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(HeritageRecord)
    ).workflow
    officers = Group.objects.get(name=CULTURAL_OFFICERS)
    for record in records.values():
        record.save_revision(user=people["superuser"])
        workflow.start(record, people["superuser"])
    # Reports are for editors of pages.
    officers.page_permissions.create(
        page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
    )
    return people, records


@pytest.mark.parametrize(
    "url", ["/admin/reports/workflow/", "/admin/reports/workflow_tasks/", "/admin/"]
)
def test_workflow_reports_and_the_reviewers_dashboard_hide_records(client, reviewed, url):
    people, records = reviewed
    client.force_login(people["officer"])
    body = client.get(url).content.decode()
    assert records["restricted"].title in body
    assert records["public"].title in body
    assert records["secret"].title not in body
    client.force_login(people["superuser"])
    assert records["secret"].title in client.get(url).content.decode()


def test_site_history_holds_no_entry_of_a_hidden_record(client, world):
    people, records = world
    for record in records.values():
        log(instance=record, action="wagtail.edit", user=people["superuser"])
    client.force_login(people["officer"])
    body = client.get("/admin/reports/site-history/").content.decode()
    assert records["restricted"].title in body
    assert records["secret"].title not in body
    client.force_login(people["superuser"])
    assert records["secret"].title in client.get("/admin/reports/site-history/").content.decode()


def test_site_history_holds_no_entry_of_a_hidden_recording_or_caption(client, world):
    people, _records = world
    kept, shown = kept_and_shown(world, "media")
    for recording in (kept, shown):
        log(instance=recording, action="wagtail.edit", user=people["superuser"])
        log(instance=recording.captions.get(), action="wagtail.edit", user=people["superuser"])
    client.force_login(people["officer"])
    body = client.get("/admin/reports/site-history/").content.decode()
    assert shown.title in body
    assert kept.title not in body


def test_the_snippets_index_counts_what_the_editor_may_list(client, world):
    people, _records = world
    kept_and_shown(world, "media")
    assert MediaCaption.objects.count() == 2
    client.force_login(people["officer"])
    body = client.get("/admin/snippets/").content.decode()

    row = re.search(
        r'href="/admin/snippets/media/mediacaption/">.*?<td >\s*(\d+)\s*</td>', body, re.S
    )
    assert int(row.group(1)) == 1


def test_the_translation_dashboard_names_and_counts_only_the_records_one_may_see(client, world):
    people, records = world
    for record in records.values():
        record.save_revision(user=people["superuser"])  # each is then followed, untranslated
    kind = ContentType.objects.get_for_model(HeritageRecord).pk
    url = f"/admin/translations/?language=jra&kind={kind}&state=missing"
    people["officer"].groups.first().permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    client.force_login(people["officer"])
    body = client.get(url).content.decode()
    for seen in ("public", "community", "restricted"):
        assert records[seen].title in body, seen
    assert records["secret"].title not in body
    jrai = re.search(r'lang="jra">[^<]*</a></th><td>(\d+)</td>', body).group(1)
    assert jrai == "3"  # what the officer sees, not the four there are
    client.force_login(people["superuser"])
    body = client.get(url).content.decode()
    assert records["secret"].title in body  # the positive control
    assert re.search(r'lang="jra">[^<]*</a></th><td>(\d+)</td>', body).group(1) == "4"


def test_a_records_parts_are_not_items_of_their_own_on_the_translation_dashboard(client, world):
    from cms.models import TranslationStatus
    from tests.heritage.factories import CommunityNarrativeFactory

    people, records = world
    CommunityNarrativeFactory(record=records["secret"], title="Lời kể bí truyền của thầy cúng")
    assert not TranslationStatus.objects.filter(
        content_type=ContentType.objects.get_for_model(records["secret"].narratives.model)
    ).exists()
    records["secret"].save()  # never revised: followed from its saves, as an import is
    assert TranslationStatus.objects.filter(object_id=str(records["secret"].pk)).count() == 9
    client.force_login(people["superuser"])
    body = client.get("/admin/translations/?language=jra").content.decode()
    assert records["secret"].title in body  # the control: the record itself is listed
    assert "Lời kể bí truyền" not in body


def test_translation_files_hold_only_the_records_one_may_see_and_edit(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    people, records = world
    for record in records.values():
        record.save_revision(user=people["superuser"])
    kind = ContentType.objects.get_for_model(HeritageRecord).pk
    export = f"/admin/translations/export/?language=jra&kind={kind}&state=missing"
    people["officer"].groups.first().permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    client.force_login(people["officer"])
    body = client.get(export).content.decode()
    for seen in ("public", "community", "restricted"):
        assert records[seen].title in body, seen
    assert records["secret"].title not in body
    # Asked for by its key, the secret record is answered as a key naming nothing.
    secret = client.get(f"{export}&item=heritage.heritagerecord.{records['secret'].pk}")
    missing = client.get(f"{export}&item=heritage.heritagerecord.987654")
    assert (secret.status_code, secret.content) == (404, missing.content)
    seen = client.get(f"{export}&item=heritage.heritagerecord.{records['public'].pk}")
    assert seen.status_code == 200 and records["public"].title in seen.content.decode()
    # A file naming the secret record is refused as one naming nothing; nothing is saved.
    public_key = f"heritage.heritagerecord.{records['public'].pk}"
    for key in (records["secret"].pk, 987654):
        data = seen.content.replace(public_key.encode(), f"heritage.heritagerecord.{key}".encode())
        answer = client.post(
            "/admin/translations/import/", {"file": SimpleUploadedFile("jra.xlf", data)}
        )
        report = answer.context["report"]
        assert report.refused and records["secret"].title not in answer.content.decode()
        assert {line.reason for line in report.lines} == {
            "Không có mục này, hoặc bạn không được giao dịch mục này."
        }
    client.force_login(people["superuser"])
    body = client.get(export).content.decode()
    assert records["secret"].title in body  # the positive control
