"""Each language's glossary: found in the Vietnamese, shown to translators beside the fields,
sent with translation files, and kept by the translators of that language.

Translations here are marked test text (``[jra test] …``), not invented Jrai or Khmer.
"""

import unicodedata

import pytest
from django.contrib.auth.models import Group
from translate.storage import xliff2 as tt_xliff2

from cms.glossary import terms_in
from cms.models import GlossaryTerm
from tests.cms.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

GLOSSARY = "/admin/snippets/cms/glossaryterm/"


@pytest.fixture
def terms():
    """A small Jrai glossary and one Khmer term."""
    made = {
        term: GlossaryTerm.objects.create(
            language="jra", term=term, translation=f"[jra test] {term}", category=category
        )
        for term, category in [
            ("Trạm Y tế xã", "agency"),
            ("Y tế", "health"),
            ("sốt rét", "health"),
            ("Chương trình 1719", "programme"),
            ("màn", "health"),
        ]
    }
    made["km"] = GlossaryTerm.objects.create(
        language="km", term="sốt rét", translation="[km test] sốt rét", category="health"
    )
    return made


def test_terms_are_found_as_whole_words_whatever_their_case_or_composition(terms):
    text = "TRẠM Y TẾ XÃ nhắc: ngủ màn để phòng Sốt Rét; người mang màng bọc không tính."
    found = terms_in([unicodedata.normalize("NFD", text)], "jra")
    assert [term.term for term in found] == ["Trạm Y tế xã", "màn", "sốt rét"]
    assert terms_in(["Theo Chương trình 1719, Y tế thôn bản"], "jra") == [
        terms["Chương trình 1719"],
        terms["Y tế"],
    ]
    assert terms_in([text], "km") == [terms["km"]]  # each language its own
    assert terms_in([text], "cmo") == []


@pytest.fixture
def article(health, admin_user):
    page = ArticlePageFactory(
        parent=health,
        title="Trạm Y tế xã phát màn miễn phí",
        summary="Phòng sốt rét mùa mưa.",
        body=[{"type": "paragraph", "value": "<p>Nhận màn tại Trạm Y tế xã.</p>"}],
    )
    page.save_revision(user=admin_user).publish()
    return page


def test_translation_files_carry_the_terms_of_each_unit(admin_client, terms, article):
    key = f"cms.articlepage.{article.pk}"
    xliff = admin_client.get(f"/admin/translations/export/?language=jra&item={key}").content
    store = tt_xliff2.Xliff2File.parsestring(xliff)  # still XLIFF to an independent reader
    assert {unit.getid() for unit in store.units} >= {"title", "summary"}
    summary = xliff.split(b'<unit id="summary">')[1].split(b"</unit>")[0].decode()
    assert summary.count("<gls:glossEntry>") == 1
    assert '<gls:term source="banlang">sốt rét</gls:term>' in summary
    assert "<gls:translation>[jra test] sốt rét</gls:translation>" in summary
    assert "[km test]" not in xliff.decode()
    title = xliff.split(b'<unit id="title">')[1].split(b"</unit>")[0].decode()
    assert title.count("<gls:glossEntry>") == 2  # Trạm Y tế xã and màn, not also Y tế
    po = admin_client.get(f"/admin/translations/export/?language=jra&item={key}&format=po")
    assert "#. Thuật ngữ: sốt rét → [jra test] sốt rét" in po.content.decode()


@pytest.fixture
def jrai_translator(django_user_model):
    person = django_user_model.objects.create_user("dich-gia-jrai", password="pw")
    person.groups.add(Group.objects.get(name="Translators (jra)"))
    return person


def test_a_translator_sees_the_terms_beside_the_field_they_translate(
    client, terms, article, jrai_translator
):
    client.force_login(jrai_translator)
    body = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert '<span lang="vi">sốt rét</span> → <span lang="jra">[jra test] sốt rét</span>' in body
    assert "[km test]" not in body


def test_a_translator_keeps_their_languages_glossary_and_no_other(
    client, admin_client, terms, jrai_translator
):
    client.force_login(jrai_translator)
    dashboard = client.get("/admin/translations/?language=jra").content.decode()
    assert f'<a href="{GLOSSARY}?language=jra">bảng thuật ngữ</a>' in dashboard
    listing = client.get(f"{GLOSSARY}?language=jra").content.decode()
    assert "[jra test] Trạm Y tế xã" in listing and "[km test]" not in listing
    khmer = client.get(f"{GLOSSARY}edit/{terms['km'].pk}/")
    missing = client.get(f"{GLOSSARY}edit/987654/")
    assert (khmer.status_code, missing.status_code) == (404, 404)
    assert khmer.content.replace(str(terms["km"].pk).encode(), b"987654") == missing.content
    form = {"language": "km", "term": "bệnh lao", "translation": "[km test] bệnh lao"}
    answer = client.post(f"{GLOSSARY}add/", {**form, "category": "health", "note": ""})
    assert answer.status_code == 200 and not GlossaryTerm.objects.filter(term="bệnh lao").exists()
    answer = client.post(f"{GLOSSARY}add/", {**form, "language": "jra", "category": "health"})
    assert answer.status_code == 302
    added = GlossaryTerm.objects.get(term="bệnh lao")
    assert (added.language, added.updated_by) == ("jra", jrai_translator)
    # The control: an editor keeps every language's.
    assert "[km test]" in admin_client.get(GLOSSARY).content.decode()
    assert admin_client.get(f"{GLOSSARY}edit/{terms['km'].pk}/").status_code == 200
