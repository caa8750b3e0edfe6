"""A translator per language changes only that language's text, sees the Vietnamese above it, saves
drafts for review and publishes nothing; an editor still changes every language."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.languages import LANGUAGE_CODES
from cms.models import ArticlePage
from cms.translators import TRANSLATOR_GROUPS, translatable_languages
from heritage.models import HeritageRecord
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from tests.heritage.admin_forms import add_inline, errors, form_data
from tests.heritage.factories import CommunityNarrativeFactory, HeritageRecordFactory

pytestmark = pytest.mark.django_db

EDIT_PAGE = "/admin/pages/{}/edit/"
EDIT_RECORD = "/admin/snippets/heritage/heritagerecord/edit/{}/"
# Markers, not text in any language: the tests never make up Jrai, Khmer or other text.
JRA_BEFORE, JRA_AFTER = "[jra: before]", "[jra: the translator's change]"
KM_BEFORE, KM_AFTER = "[km: before]", "[km: changed]"
VI_AFTER = "Bản tóm tắt tiếng Việt đã bị sửa"


def person(django_user_model, name, *groups):
    user = django_user_model.objects.create_user(name, password="pw")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def jrai_translator(django_user_model):
    return person(django_user_model, "jrai", TRANSLATOR_GROUPS["jra"])


@pytest.fixture
def editor(django_user_model):
    """An editor who also translates into Jrai: an editor, in every language."""
    return person(django_user_model, "editor", "Editors", TRANSLATOR_GROUPS["jra"])


@pytest.fixture
def published(article):
    """The article, with Jrai and Khmer translations, published."""
    article.summary_jra, article.summary_km = JRA_BEFORE, KM_BEFORE
    article.body_km = [{"type": "paragraph", "value": f"<p>{KM_BEFORE}</p>"}]
    article.body_jra = [{"type": "paragraph", "value": f"<p>{JRA_BEFORE}</p>"}]
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def body_block(block):
    if block.block_type == "paragraph":
        return ("paragraph", rich_text(block.value.source))
    return (block.block_type, block.value)


def article_post(page, **changes):
    """Every field of the article's edit form in every language, as stored, with ``changes``."""
    data = {"date": page.date.isoformat(), "source_url": "", "lead_image": ""}
    for code in LANGUAGE_CODES:
        for name in ("title", "slug", "summary", "source", "seo_title", "search_description"):
            data[f"{name}_{code}"] = getattr(page, f"{name}_{code}") or ""
        data[f"body_{code}"] = streamfield(
            [body_block(block) for block in getattr(page, f"body_{code}") or []]
        )
    data.update(changes)
    return nested_form_data(data)


def everything_changed(page, *action):
    return article_post(
        page,
        summary_jra=JRA_AFTER,
        summary_km=KM_AFTER,
        summary_vi=VI_AFTER,
        body_km=streamfield([("paragraph", rich_text(f"<p>{KM_AFTER}</p>"))]),
        date="2031-01-31",
        slug_vi="da-doi-dia-chi",
        **{name: name for name in action},
    )


def latest(page):
    return ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def body_data(page, code):
    return [
        (block.block_type, getattr(block.value, "source", block.value))
        for block in getattr(page, f"body_{code}")
    ]


def test_a_jrai_translator_changes_the_jrai_text_only(client, published, jrai_translator):
    before = latest(published)
    revisions = published.revisions.count()
    client.force_login(jrai_translator)
    response = client.post(EDIT_PAGE.format(published.pk), everything_changed(published))
    assert response.status_code == 302, errors(response)
    draft = latest(published)
    assert published.revisions.count() == revisions + 1
    assert draft.summary_jra == JRA_AFTER
    assert (draft.summary_km, draft.summary_vi) == (KM_BEFORE, before.summary_vi)
    assert list(draft.body_km.raw_data) == list(before.body_km.raw_data)
    assert body_data(draft, "km") == [("paragraph", f"<p>{KM_BEFORE}</p>")]
    assert (draft.date, draft.slug_vi) == (before.date, before.slug_vi)
    for code in set(LANGUAGE_CODES) - {"jra"}:
        assert getattr(draft, f"title_{code}") == getattr(before, f"title_{code}")
        assert body_data(draft, code) == body_data(before, code)


def test_an_editor_who_also_translates_changes_every_language(client, published, editor):
    client.force_login(editor)
    response = client.post(EDIT_PAGE.format(published.pk), everything_changed(published))
    assert response.status_code == 302, errors(response)
    draft = latest(published)
    assert (draft.summary_jra, draft.summary_km, draft.summary_vi) == (
        JRA_AFTER,
        KM_AFTER,
        VI_AFTER,
    )
    assert KM_AFTER in body_data(draft, "km")[0][1]
    assert (draft.date, draft.slug_vi) == (datetime.date(2031, 1, 31), "da-doi-dia-chi")


def test_a_translator_cannot_publish_and_submits_for_moderation(client, published, jrai_translator):
    live = published.live_revision_id
    client.force_login(jrai_translator)
    assert not published.permissions_for_user(jrai_translator).can_publish()
    response = client.post(
        EDIT_PAGE.format(published.pk), everything_changed(published, "action-publish")
    )
    assert response.status_code == 302, errors(response)
    stored = ArticlePage.objects.get(pk=published.pk)
    assert (stored.live_revision_id, stored.summary_jra) == (live, JRA_BEFORE)
    assert stored.has_unpublished_changes and latest(stored).summary_jra == JRA_AFTER
    response = client.post(
        EDIT_PAGE.format(published.pk), everything_changed(stored, "action-submit")
    )
    assert response.status_code == 302, errors(response)
    stored = ArticlePage.objects.get(pk=published.pk)
    assert stored.current_workflow_state is not None
    assert (stored.live_revision_id, stored.summary_jra) == (live, JRA_BEFORE)


def test_the_translator_sees_the_vietnamese_above_their_fields(client, published, jrai_translator):
    client.force_login(jrai_translator)
    soup = BeautifulSoup(client.get(EDIT_PAGE.format(published.pk)).content, "html.parser")
    summary_help = soup.find(id="panel-child-content-summary_jra-helptext") or soup.find(
        attrs={"id": lambda value: value and value.endswith("summary_jra-helptext")}
    )
    source = summary_help.find(attrs={"lang": "vi"})
    assert source.get_text(strip=True) == published.summary_vi
    body_help = soup.find(attrs={"id": lambda value: value and value.endswith("body_jra-helptext")})
    assert "Muỗi truyền bệnh sốt rét đốt vào ban đêm." in body_help.find(lang="vi").get_text()
    assert soup.find("textarea", attrs={"name": "summary_jra"}).get("disabled") is None
    for name in ("summary_km", "summary_vi", "title_vi", "date"):
        assert soup.find(attrs={"name": name}).has_attr("disabled"), name
    shown = soup.find(id="id_body_vi")
    assert shown["lang"] == "vi" and "Vì sao phải ngủ màn" in shown.get_text()
    assert soup.find(id="id_body_km").get_text(strip=True) == KM_BEFORE


def test_an_editor_sees_no_field_disabled(client, published, editor):
    client.force_login(editor)
    soup = BeautifulSoup(client.get(EDIT_PAGE.format(published.pk)).content, "html.parser")
    assert not soup.select("textarea[disabled], input[disabled][name^=title]")
    assert soup.find(attrs={"name": "summary_km"}) is not None


def test_who_translates_what(django_user_model, jrai_translator, editor):
    both = person(django_user_model, "both", TRANSLATOR_GROUPS["jra"], TRANSLATOR_GROUPS["km"])
    officer = person(django_user_model, "officer", CULTURAL_OFFICERS, TRANSLATOR_GROUPS["km"])
    reader = person(django_user_model, "reader")
    root = django_user_model.objects.create_superuser("root", password="pw")
    assert translatable_languages(jrai_translator) == {"jra"}
    assert translatable_languages(both) == {"jra", "km"}
    for someone in (editor, officer, reader, root):
        assert translatable_languages(someone) == set(LANGUAGE_CODES)
    assert "vi" not in TRANSLATOR_GROUPS


def test_someone_in_no_group_gets_nothing_new(client, published, django_user_model):
    client.force_login(person(django_user_model, "reader"))
    assert client.get(EDIT_PAGE.format(published.pk)).status_code == 302
    response = client.post(EDIT_PAGE.format(published.pk), everything_changed(published))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert latest(published).summary_jra == JRA_BEFORE
    assert published.revisions.count() == ArticlePage.objects.get(pk=published.pk).revisions.count()


@pytest.fixture
def record(db):
    """A public record translated into Jrai and Khmer, with a narrative, published."""
    record = HeritageRecordFactory(
        title="Lễ cúng bến nước", title_jra=JRA_BEFORE, summary_km=KM_BEFORE
    )
    CommunityNarrativeFactory(record=record, title="Lời kể của già làng", title_jra=JRA_BEFORE)
    record.save_revision().publish()
    return HeritageRecord.objects.get(pk=record.pk)


def record_post(client, record, **changes):
    data = form_data(client.get(EDIT_RECORD.format(record.pk)))
    data.update({name: [value] for name, value in changes.items()})
    return data


def record_changes(**more):
    return {
        "title_jra": JRA_AFTER,
        "summary_km": KM_AFTER,
        "summary_vi": VI_AFTER,
        "slug": "dia-chi-moi",
        "protocol": CulturalProtocol.SECRET_SACRED,
        "narratives-0-title_jra": JRA_AFTER,
        "narratives-0-title_vi": VI_AFTER,
        **more,
    }


def latest_record(record):
    return HeritageRecord.objects.get(pk=record.pk).get_latest_revision_as_object()


def test_a_jrai_translator_changes_a_records_jrai_text_only(client, record, jrai_translator):
    before = latest_record(record)
    client.force_login(jrai_translator)
    data = record_post(client, record, **record_changes(**{"action-publish": "action-publish"}))
    response = client.post(EDIT_RECORD.format(record.pk), data)
    assert response.status_code == 302, errors(response)
    draft = latest_record(record)
    assert draft.title_jra == JRA_AFTER
    assert (draft.summary_km, draft.summary_vi) == (KM_BEFORE, before.summary_vi)
    assert (draft.slug, draft.protocol) == (before.slug, CulturalProtocol.PUBLIC)
    narrative = draft.narratives.get()
    assert (narrative.title_jra, narrative.title_vi) == (JRA_AFTER, "Lời kể của già làng")
    stored = HeritageRecord.objects.get(pk=record.pk)
    assert (stored.live_revision_id, stored.title_jra) == (record.live_revision_id, JRA_BEFORE)
    assert stored.has_unpublished_changes


def test_an_editor_changes_every_language_of_a_record(client, record, django_user_model):
    client.force_login(person(django_user_model, "officer", CULTURAL_OFFICERS))
    response = client.post(
        EDIT_RECORD.format(record.pk), record_post(client, record, **record_changes())
    )
    assert response.status_code == 302, errors(response)
    draft = latest_record(record)
    assert (draft.title_jra, draft.summary_km, draft.summary_vi) == (JRA_AFTER, KM_AFTER, VI_AFTER)
    assert (draft.slug, draft.protocol) == ("dia-chi-moi", CulturalProtocol.SECRET_SACRED)


def test_a_translator_neither_adds_nor_removes_a_records_items(client, record, jrai_translator):
    client.force_login(jrai_translator)
    data = record_post(client, record, **{"narratives-0-DELETE": "1"})
    add_inline(data, "narratives", title_vi="Lời kể mới", text_vi="Chuyện mới", language="vi")
    response = client.post(EDIT_RECORD.format(record.pk), data)
    assert response.status_code == 200
    refusal = "Người dịch chỉ dịch các mục đã có; biên tập viên mới thêm được mục mới."
    assert refusal in errors(response)
    data = record_post(client, record, **{"narratives-0-DELETE": "1"})
    assert client.post(EDIT_RECORD.format(record.pk), data).status_code == 302
    assert latest_record(record).narratives.count() == 1


def test_a_translator_sees_only_what_readers_see_in_the_archive(client, world, jrai_translator):
    _, records = world
    client.force_login(jrai_translator)
    assert client.get(EDIT_RECORD.format(records["public"].pk)).status_code == 200
    listing = client.get("/admin/snippets/heritage/heritagerecord/").content.decode()
    assert records["public"].title in listing
    for protocol in ("community", "restricted", "secret"):
        answer = client.get(EDIT_RECORD.format(records[protocol].pk))
        assert answer.status_code in (302, 403, 404), protocol
        assert records[protocol].title not in answer.content.decode() + listing


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_read_only_apis_have_no_way_to_write(client, record, published, editor, method):
    client.force_login(editor)
    send = getattr(client, method)
    body = {"title": "Đã ghi đè", "summary_jra": JRA_AFTER}
    for url in (
        "/api/heritage/records/",
        f"/api/heritage/records/{record.slug}/",
        "/admin/api/main/pages/",
        f"/admin/api/main/pages/{published.pk}/",
    ):
        assert send(url, body, content_type="application/json").status_code == 405, url
    assert HeritageRecord.objects.get(pk=record.pk).title == "Lễ cúng bến nước"
    assert latest(published).summary_jra == JRA_BEFORE
    assert Page.objects.get(pk=published.pk).title == published.title


def test_reverting_to_an_older_version_is_an_editors_decision(
    client, published, record, jrai_translator, editor
):
    """A revision brings back every language and inline item: a translator may not revert."""
    older = published.live_revision
    page = latest(published)
    page.summary_vi, page.summary_km = VI_AFTER, KM_AFTER
    page.save_revision()
    revert = f"/admin/pages/{published.pk}/revisions/{older.pk}/revert/"
    client.force_login(jrai_translator)
    assert client.get(revert).status_code == 403
    assert client.post(revert, article_post(older.as_object())).status_code == 403
    draft = latest(published)
    assert (draft.summary_vi, draft.summary_km) == (VI_AFTER, KM_AFTER)
    record_revert = (
        f"/admin/snippets/heritage/heritagerecord/history/{record.pk}"
        f"/revisions/{record.latest_revision_id}/revert/"
    )
    assert client.get(record_revert).status_code == 403
    client.force_login(editor)  # the control
    assert client.get(revert).status_code == 200
    assert client.get(record_revert).status_code == 200


def test_a_translators_record_goes_to_the_cultural_officers_for_review(
    client, record, jrai_translator, django_user_model
):
    client.force_login(jrai_translator)
    data = record_post(client, record, title_jra=JRA_AFTER, **{"action-submit": "action-submit"})
    response = client.post(EDIT_RECORD.format(record.pk), data)
    assert response.status_code == 302, errors(response)
    stored = HeritageRecord.objects.get(pk=record.pk)
    state = stored.current_workflow_state
    assert state is not None and state.workflow.name == "Heritage record review"
    assert (stored.live_revision_id, stored.title_jra) == (record.live_revision_id, JRA_BEFORE)
    task_state = state.current_task_state
    # The translator cannot approve their own work; a cultural officer can (positive control).
    assert task_state.task.specific.get_actions(stored, jrai_translator) == []
    officer = person(django_user_model, "officer", CULTURAL_OFFICERS)
    client.force_login(officer)
    approve = (
        f"/admin/snippets/heritage/heritagerecord/workflow/action/{stored.pk}/approve/"
        f"{task_state.pk}/"
    )
    assert client.post(approve, {"comment": ""}).status_code == 302
    stored = HeritageRecord.objects.get(pk=record.pk)
    assert stored.current_workflow_state is None
    assert (stored.title_jra, stored.has_unpublished_changes) == (JRA_AFTER, False)
