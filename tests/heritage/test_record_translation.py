"""A record is translated with its parts: its narratives, photo captions and labels' explanations
are followed unit by unit, counted on the dashboard, and travel in the record's translation files.
A part kept for fewer people than the record is left out of all of it, so no count or file tells
of it. English and ``T:``-marked Vietnamese stand for any language: nothing is invented."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from cms.models import TranslationSource, TranslationStatus
from cms.translation_state import State, unit_states
from heritage.models import HeritageRecord
from heritage.protocols import CulturalProtocol
from tests.cms.translating import EXPORT, translated_xliff, upload
from tests.heritage.factories import (
    CommunityNarrativeFactory,
    HeritageRecordFactory,
    RecordImageFactory,
    RecordLabelFactory,
)

pytestmark = pytest.mark.django_db

MISSING, OUTDATED, UP_TO_DATE = State.MISSING, State.OUTDATED, State.UP_TO_DATE
HIDDEN_TEXT = "Bài khấn chỉ thầy cúng được nghe."


@pytest.fixture
def record(admin_user):
    """A public record, published, with a public narrative, a captioned photo, a label with the
    community's explanation, and a narrative kept for cultural officers."""
    record = HeritageRecordFactory(title="Lễ mừng lúa mới", summary="Lễ cúng hồn lúa sau mùa gặt.")
    CommunityNarrativeFactory(record=record, title="Lời già làng")
    CommunityNarrativeFactory(
        record=record,
        title="Lời khấn",
        text=HIDDEN_TEXT,
        protocol=CulturalProtocol.RESTRICTED,
    )
    RecordImageFactory(record=record)
    RecordLabelFactory(record=record, explanation="Xin ghi tên bản khi dùng lại.")
    record.save_revision(user=admin_user).publish()
    return record


def parts(record):
    """The record's public narrative, hidden narrative, photo and label."""
    public, hidden = record.narratives.order_by("pk")
    return public, hidden, record.media_items.get(), record.labels.get()


def latest(record):
    return HeritageRecord.objects.get(pk=record.pk).get_latest_revision_as_object()


def in_draft(record, relation, pk):
    """The record's latest revision, its parts held in memory as the admin's form holds them,
    and in it the part ``pk`` of ``relation``."""
    draft = latest(record)
    setattr(draft, relation, list(getattr(draft, relation).all()))
    (part,) = [part for part in getattr(draft, relation).all() if part.pk == pk]
    return draft, part


def test_the_parts_anyone_who_sees_the_record_sees_are_its_units(record):
    public, hidden, photo, label = parts(record)
    states = unit_states(latest(record))
    assert states["en"] == {
        "title": MISSING,
        "summary": MISSING,
        f"narratives/{public.pk}/title": MISSING,
        f"narratives/{public.pk}/text": MISSING,
        f"media_items/{photo.pk}/caption": MISSING,
        f"labels/{label.pk}/explanation": MISSING,
    }
    assert not any(f"/{hidden.pk}/" in unit for unit in states["jra"])
    status = TranslationStatus.objects.get(object_id=str(record.pk), language="jra")
    assert (status.missing, status.outdated, status.up_to_date) == (6, 0, 0)


def test_a_narrative_translated_in_a_draft_is_up_to_date_until_its_vietnamese_changes(
    record, admin_user
):
    public = parts(record)[0]
    unit = f"narratives/{public.pk}/text"
    draft, narrative = in_draft(record, "narratives", public.pk)
    narrative.text_en = "The elders tell that the festival is as old as the village."
    draft.save_revision(user=admin_user)
    states = unit_states(latest(record))["en"]
    assert states[unit] == UP_TO_DATE
    assert states[f"narratives/{public.pk}/title"] == MISSING
    row = TranslationSource.objects.get(object_id=str(record.pk), language="en", unit=unit)
    assert row.recorded_by == admin_user

    draft, narrative = in_draft(record, "narratives", public.pk)
    narrative.text = "Các già làng kể rằng lễ hội có từ khi lập bản."
    draft.save_revision(user=admin_user)
    states = unit_states(latest(record))["en"]
    assert states[unit] == OUTDATED
    assert [name for name, state in states.items() if state != MISSING] == [unit]


def test_a_part_removed_or_narrowed_is_forgotten(record, admin_user):
    public, _, photo, _ = parts(record)
    draft, narrative = in_draft(record, "narratives", public.pk)
    narrative.text_en = "The elders tell that the festival is as old as the village."
    draft.save_revision(user=admin_user).publish()
    assert TranslationSource.objects.filter(unit__startswith=f"narratives/{public.pk}/").exists()

    draft, narrative = in_draft(record, "narratives", public.pk)
    narrative.protocol = CulturalProtocol.RESTRICTED
    draft.media_items = [item for item in draft.media_items.all() if item.pk != photo.pk]
    draft.save_revision(user=admin_user)
    assert not TranslationSource.objects.filter(unit__startswith=f"narratives/{public.pk}/")
    assert set(unit_states(latest(record))["en"]) == {"title", "summary", *label_units(record)}


def label_units(record):
    return [f"labels/{label.pk}/explanation" for label in record.labels.all()]


def test_a_part_added_in_a_draft_is_followed_once_published(record, admin_user):
    draft = latest(record)
    added = CommunityNarrativeFactory.build(record=draft, text="Bản kể thứ hai.")
    draft.narratives.add(added)
    draft.save_revision(user=admin_user).publish()
    (new,) = HeritageRecord.objects.get(pk=record.pk).narratives.filter(text="Bản kể thứ hai.")
    assert unit_states(latest(record))["km"][f"narratives/{new.pk}/text"] == MISSING
    status = TranslationStatus.objects.get(object_id=str(record.pk), language="km")
    assert (status.missing, status.outdated, status.up_to_date) == (7, 0, 0)


def exported(client, record, language="jra"):
    answer = client.get(f"{EXPORT}?language={language}&item=heritage.heritagerecord.{record.pk}")
    assert answer.status_code == 200
    return answer.content


def test_a_record_goes_out_with_its_parts_and_comes_back_as_a_draft_up_to_date(
    admin_client, record
):
    public, hidden, photo, label = parts(record)
    data = exported(admin_client, record)
    ids = re.findall(rb'<unit id="([^"]+)"', data)
    assert ids == [
        b"title",
        b"summary",
        f"narratives.{public.pk}.title".encode(),
        f"narratives.{public.pk}.text".encode(),
        f"media_items.{photo.pk}.caption".encode(),
        f"labels.{label.pk}.explanation".encode(),
    ]
    assert public.text.encode() in data  # the control for what follows
    assert HIDDEN_TEXT.encode() not in data and b"L\xe1\xbb\x9di kh\xe1\xba\xa5n" not in data

    report = upload(admin_client, translated_xliff(data)).context["report"]
    assert not report.refused, [(line.key, line.reason) for line in report.lines if line.reason]
    assert (report.saved, len(report.lines)) == (1, 6)
    draft = latest(record)
    narratives = {narrative.pk: narrative for narrative in draft.narratives.all()}
    assert narratives[public.pk].text_jra == f"T:{public.text}"
    assert not narratives[hidden.pk].text_jra
    assert draft.media_items.get().caption_jra == f"T:{photo.caption}"
    assert draft.labels.get().explanation_jra == f"T:{label.explanation}"
    assert not HeritageRecord.objects.get(pk=record.pk).narratives.get(pk=public.pk).text_jra
    status = TranslationStatus.objects.get(
        content_type=ContentType.objects.get_for_model(HeritageRecord),
        object_id=str(record.pk),
        language="jra",
    )
    assert (status.state, status.up_to_date) == (UP_TO_DATE, 6)


def test_a_unit_of_a_hidden_part_is_refused_like_a_missing_one(admin_client, record):
    public, hidden, *_ = parts(record)
    data = translated_xliff(exported(admin_client, record))
    reasons = []
    for pk in (hidden.pk, 999_999):
        forged = data.replace(
            f'id="narratives.{public.pk}.text"'.encode(), f'id="narratives.{pk}.text"'.encode()
        )
        report = upload(admin_client, forged).context["report"]
        reasons.append({line.key: line.reason for line in report.lines if line.reason})
    hidden_reasons, missing_reasons = reasons
    assert list(hidden_reasons) == [f"narratives.{hidden.pk}.text"]
    assert list(hidden_reasons.values()) == list(missing_reasons.values())
    assert not latest(record).narratives.get(pk=hidden.pk).text_jra
