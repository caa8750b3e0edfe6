"""Editors work in all ten languages in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.languages import LANGUAGE_CODES


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user


def test_article_edit_form_has_every_field_in_every_language(client, editor, article):
    body = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    for code in LANGUAGE_CODES:
        for field in ("title", "slug", "summary", "body", "source"):
            assert f'name="{field}_{code}"' in body or f'id="{field}_{code}"' in body, (field, code)


def body_block(block):
    if block.block_type == "paragraph":
        return ("paragraph", rich_text(block.value.source))
    return (block.block_type, block.value)


def article_form(article, **overrides):
    data = {
        "date": "2026-10-01",
        "source_url": "",
        "lead_image": "",
        "comments": inline_formset([]),
    }
    for code in LANGUAGE_CODES:
        data.update(
            {
                f"title_{code}": getattr(article, f"title_{code}") or "",
                f"slug_{code}": getattr(article, f"slug_{code}") or "",
                f"summary_{code}": getattr(article, f"summary_{code}") or "",
                f"source_{code}": getattr(article, f"source_{code}") or "",
                f"seo_title_{code}": "",
                f"search_description_{code}": "",
                f"body_{code}": streamfield(
                    [body_block(block) for block in getattr(article, f"body_{code}") or []]
                ),
            }
        )
    data.update(overrides)
    return nested_form_data(data)


def test_editor_adds_a_khmer_translation_and_readers_get_it(client, editor, article):
    form = article_form(
        article,
        title_km="ការការពារជំងឺគ្រុនចាញ់",
        slug_km="malaria-km",
        summary_km="គេងក្នុងមុងរាល់យប់",
        body_km=streamfield([("paragraph", rich_text("<p>មូសចម្លងជំងឺគ្រុនចាញ់</p>"))]),
        **{"action-publish": "action-publish"},
    )
    response = client.post(f"/admin/pages/{article.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.has_translation("km")
    page = client.get("/km/suc-khoe/malaria-km/").content.decode()
    assert "ការការពារជំងឺគ្រុនចាញ់" in page
    assert "មូសចម្លងជំងឺគ្រុនចាញ់" in page
    assert "Trang này chưa được dịch" not in page


def test_vietnamese_title_is_required(client, editor, article):
    form = article_form(article, title_vi="", **{"action-publish": "action-publish"})
    response = client.post(f"/admin/pages/{article.pk}/edit/", form)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title_vi == "Phòng chống sốt rét mùa mưa"
