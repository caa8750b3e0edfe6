"""A translation is missing, up to date or outdated, field by field and block by block: saving
it vouches for it against the Vietnamese as it is; a changed paragraph outdates only its own
translation. English stands for any language here: no minority-language text is invented."""

import pytest

from cms.models import Commodity, TranslationSource
from cms.translation_state import State, summary, unit_states
from tests.cms.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

MISSING, OUTDATED, UP_TO_DATE = State.MISSING, State.OUTDATED, State.UP_TO_DATE


@pytest.fixture
def article(health, admin_user):
    """An article with its title, summary, source and two blocks, published in Vietnamese
    with an English translation of all of it."""
    page = ArticlePageFactory(parent=health)
    page.title_en = "Preventing malaria in the rainy season"
    page.summary_en = "Sleep under a net every night, even in a field hut."
    page.source_en = "Commune health station (demo)"
    page.body_en = [
        {"type": "heading", "value": "Why sleep under a net"},
        {"type": "paragraph", "value": "<p>Malaria mosquitoes bite at night.</p>"},
    ]
    page.save_revision(user=admin_user).publish()
    return page


def latest(page):
    """The page as its latest revision has it (drafts included)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def edited(stream, index, html):
    """``stream``'s blocks as stored, with paragraph ``index`` now saying ``html``."""
    raw = list(stream.raw_data)
    raw[index] = {**raw[index], "value": html}
    return raw


def blocks(page):
    return [f"body/{block.id}" for block in latest(page).body]


def test_a_translation_saved_with_its_source_is_up_to_date_and_other_languages_missing(article):
    states = unit_states(latest(article))
    heading, paragraph = blocks(article)
    assert states["en"] == {
        heading: UP_TO_DATE,
        paragraph: UP_TO_DATE,
        "source": UP_TO_DATE,
        "summary": UP_TO_DATE,
        "title": UP_TO_DATE,
    }
    assert set(states["km"].values()) == {MISSING} and len(states["km"]) == 5
    assert summary(latest(article))["jra"] == {MISSING: 5, OUTDATED: 0, UP_TO_DATE: 0}


def test_one_changed_paragraph_outdates_exactly_its_own_translation(article, admin_user):
    _heading, paragraph = blocks(article)
    draft = latest(article)
    draft.body = edited(draft.body, 1, "<p>Muỗi Anopheles đốt từ chập tối.</p>")
    draft.save_revision(user=admin_user)  # a draft: what editors work on is what counts
    states = unit_states(latest(article))["en"]
    assert {unit for unit, state in states.items() if state != UP_TO_DATE} == {paragraph}
    assert states[paragraph] == OUTDATED
    # Saving again, the English untouched, vouches for nothing.
    draft = latest(article)
    draft.summary = "Ngủ màn mỗi đêm."
    draft.save_revision(user=admin_user)
    states = unit_states(latest(article))["en"]
    assert sorted(unit for unit, state in states.items() if state == OUTDATED) == sorted(
        [paragraph, "summary"]
    )
    # The translator updates the paragraph: the body is vouched for, the summary still not.
    draft = latest(article)
    draft.body_en = edited(draft.body_en, 1, "<p>They bite from dusk.</p>")
    draft.save_revision(user=admin_user)
    states = unit_states(latest(article))["en"]
    assert [unit for unit, state in states.items() if state != UP_TO_DATE] == ["summary"]
    row = TranslationSource.objects.get(unit=paragraph, language="en")
    assert row.recorded_by == admin_user


def test_a_translation_keeping_the_source_block_ids_is_vouched_for_block_by_block(
    article, admin_user
):
    """Blocks translated offline keep their Vietnamese block's id: updating one of them vouches
    for that one alone, and a block left out is missing."""
    heading, paragraph = blocks(article)
    draft = latest(article)
    source = draft.body.raw_data
    draft.body_en = [
        {**source[0], "value": "Why sleep under a net"},
        {**source[1], "value": "<p>Malaria mosquitoes bite at night.</p>"},
    ]
    draft.save_revision(user=admin_user)
    draft = latest(article)
    draft.body = [{**source[0], "value": "Vì sao"}, {**source[1], "value": "<p>Muỗi đốt.</p>"}]
    draft.save_revision(user=admin_user)
    assert {unit: state for unit, state in unit_states(latest(article))["en"].items()} == {
        heading: OUTDATED,
        paragraph: OUTDATED,
        "source": UP_TO_DATE,
        "summary": UP_TO_DATE,
        "title": UP_TO_DATE,
    }
    draft = latest(article)
    draft.body_en = edited(draft.body_en, 1, "<p>Mosquitoes bite.</p>")
    draft.save_revision(user=admin_user)
    states = unit_states(latest(article))["en"]
    assert (states[heading], states[paragraph]) == (OUTDATED, UP_TO_DATE)
    draft = latest(article)
    draft.body_en = [draft.body_en.raw_data[1]]
    draft.save_revision(user=admin_user)
    states = unit_states(latest(article))["en"]
    assert (states[heading], states[paragraph]) == (MISSING, UP_TO_DATE)


def test_a_paragraph_added_to_the_source_is_missing_in_the_translation(article, admin_user):
    draft = latest(article)
    draft.body = [*draft.body.raw_data, {"type": "paragraph", "value": "<p>Phát quang bụi.</p>"}]
    draft.save_revision(user=admin_user)
    added = blocks(article)[2]
    states = unit_states(latest(article))["en"]
    assert states[added] == MISSING
    assert sum(state == UP_TO_DATE for state in states.values()) == 5


def test_a_removed_translation_is_missing_and_forgotten(article, admin_user):
    draft = latest(article)
    draft.summary_en = ""
    draft.save_revision(user=admin_user)
    assert unit_states(latest(article))["en"]["summary"] == MISSING
    assert not TranslationSource.objects.filter(unit="summary", language="en").exists()
    assert TranslationSource.objects.filter(unit="title", language="en").exists()  # control


def test_a_translation_nobody_checked_against_its_source_is_outdated(article):
    TranslationSource.objects.all().delete()
    states = unit_states(latest(article))["en"]
    assert set(states.values()) == {OUTDATED} and len(states) == 5


def test_a_snippet_without_revisions_is_followed_on_each_save():
    rice = Commodity.objects.create(name="Gạo tẻ", unit="kg", name_en="Rice", unit_en="kg")
    assert unit_states(rice)["en"] == {"name": UP_TO_DATE, "unit": UP_TO_DATE}
    rice.name = "Gạo tẻ thường"
    rice.save()
    assert unit_states(rice)["en"] == {"name": OUTDATED, "unit": UP_TO_DATE}
    rice.save(update_fields=["unit"])  # no translated text in it: nothing vouched
    assert unit_states(rice)["en"]["name"] == OUTDATED
    rice.name_en = "Ordinary rice"
    rice.save()
    assert unit_states(rice)["en"] == {"name": UP_TO_DATE, "unit": UP_TO_DATE}


def test_each_language_keeps_a_status_for_the_dashboard_and_forgets_it_with_the_object(
    article, admin_user
):
    from django.contrib.contenttypes.models import ContentType

    from cms.models import TranslationStatus

    def statuses():
        rows = TranslationStatus.objects.filter(object_id=str(article.pk))
        return {
            row.language: (row.state, row.missing, row.outdated, row.up_to_date) for row in rows
        }

    found = statuses()
    assert found["en"] == ("up_to_date", 0, 0, 5)
    assert found["km"] == ("missing", 5, 0, 0) and len(found) == 9  # every language but vi
    row = TranslationStatus.objects.get(object_id=str(article.pk), language="en")
    assert (row.topic, row.title, row.content_type) == (
        "health",
        article.title,
        ContentType.objects.get_for_model(article),
    )
    draft = latest(article)
    draft.body = edited(draft.body, 1, "<p>Muỗi Anopheles đốt từ chập tối.</p>")
    draft.save_revision(user=admin_user)
    assert statuses()["en"] == ("outdated", 0, 1, 4)
    article.delete()
    assert statuses() == {}
