"""Exporting records: import(export) reproduces the data, and export → import changes nothing."""

import csv
import io
import unicodedata
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from openpyxl import load_workbook

from heritage.dublin_core import DC_NS, OAI_DC_NS, XML_LANG
from heritage.exporting import export_csv, export_xlsx
from heritage.importing import COLUMNS
from heritage.models import EthnicGroup, HeritageRecord, Place
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from tests.heritage.factories import (
    CommunityGroupFactory,
    HeritageIndexPageFactory,
    HeritageRecordFactory,
    RecordImageFactory,
    RecordLabelFactory,
    RecordSourceFactory,
)
from tests.heritage.imports import assert_import_changes_nothing, imported

KHMER = "ពិធីបុណ្យអុំទូក"
TAI_VIET = "ꪼꪕ ꪒꪾ"
CHAM = "ꨌꩌ ꨆꨓꨬ"
IGNORED = {
    "id",
    "updated_at",
    "latest_revision_id",
    "live_revision_id",
    "first_published_at",
    "last_published_at",
}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def archive(db):
    """Records using every column, in several scripts, with text that CSV has to quote."""
    lao_cai = Place.objects.get(name="Lào Cai", valid_until=None)
    commune = Place.objects.create(name="Xã Bản Hồ", level="commune", parent=lao_cai)
    coded = Place.objects.create(
        name="Xã Tả Van", level="commune", parent=lao_cai, gso_code="03013"
    )
    former = Place.objects.get(name="Hà Giang", valid_until__isnull=False)
    village = CommunityGroupFactory(name="Bản Nà Hẩu")
    full = HeritageRecordFactory(
        external_id="LC-001",
        kind="ritual",
        title="Lễ cấp sắc",
        title_en="Coming-of-age ordination",
        title_km=KHMER,
        title_blt=TAI_VIET,
        title_cjm=CHAM,
        summary='Nghi lễ trưởng thành, có "thầy cúng", kéo dài; ba ngày.',
        summary_en="=1+2 is text, not a formula",
        description="Dòng một, có dấu phẩy.\nDòng hai; có chấm phẩy.\n\n- gạch đầu dòng",
        description_km=f"{KHMER}\n{KHMER}",
        practitioners="Thầy cúng Triệu Văn A\nBà Lý Thị B",
        date_rule="lunar",
        date_month=10,
        date_day=15,
        date_leap_month=True,
        duration_days=3,
        season="Sau mùa gặt",
        season_en="After the harvest",
        season_start_month=10,
        season_end_month=12,
        recorded_by="Sở Văn hóa Lào Cai",
        recorded_on="2023-11-02",
        recording_place=commune,
        consent_obtained=True,
        consent_given_by="Trưởng bản",
        rights_statement="http://rightsstatements.org/vocab/InC-EDU/1.0/",
        rights_holder="Cộng đồng người Dao đỏ",
        content_warnings=["sacred", "deceased"],
        content_warning_note="Có hình ảnh người đã khuất",
        content_warning_note_en="Shows people who have died",
        protocol=CulturalProtocol.COMMUNITY,
    )
    full.ethnic_groups.set(EthnicGroup.objects.filter(code__in=["02", "06"]))
    full.places.set([commune, coded, former, lao_cai])
    full.communities.set([village])
    RecordLabelFactory(
        record=full,
        label="tk-seasonal",
        explanation="Chỉ kể vào mùa đông",
        explanation_en="Told only in winter",
        sort_order=0,
    )
    RecordLabelFactory(record=full, label="tk-attribution", sort_order=1)
    RecordSourceFactory(record=full, url="https://example.org/a?b=1;c=2", sort_order=0)
    RecordSourceFactory(record=full, citation="Phỏng vấn || ghi âm, 2019", sort_order=1)
    RecordImageFactory(
        record=full,
        caption="Thầy cúng đội mũ",
        caption_en="The priest's hat",
        protocol=CulturalProtocol.COMMUNITY,
        sort_order=0,
    )
    RecordImageFactory(record=full, caption="", credit="", sort_order=1)
    plain = HeritageRecordFactory(external_id="LC-002", protocol=CulturalProtocol.RESTRICTED)
    return full, plain


def snapshot() -> dict[str, dict]:
    """Everything the layout carries, read straight from the database."""
    data = {}
    for record in HeritageRecord.objects.order_by("external_id"):
        fields = {
            field.attname: getattr(record, field.attname)
            for field in HeritageRecord._meta.concrete_fields
            if field.attname not in IGNORED
        }
        fields["ethnic_groups"] = sorted(record.ethnic_groups.values_list("code", flat=True))
        fields["places"] = sorted(record.places.values_list("pk", flat=True))
        fields["communities"] = sorted(record.communities.values_list("name", flat=True))
        fields["labels"] = list(
            record.labels.values("label", "explanation_vi", "explanation_en", "explanation_km")
        )
        fields["sources"] = list(record.sources.values("citation", "url"))
        fields["media"] = list(
            record.media_items.values(
                "image_id", "media_id", "caption_vi", "caption_en", "credit", "protocol"
            )
        )
        data[record.external_id] = fields
    return data


def exported_csv(records=None, user=None) -> bytes:
    stream = io.BytesIO()
    export_csv(records or HeritageRecord.objects.all(), stream, user)
    return stream.getvalue()


def test_export_then_import_changes_nothing(archive, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(exported_csv())
    assert HeritageRecord.objects.count() == 2
    assert_import_changes_nothing(path, "export.csv")


def test_importing_an_export_reproduces_the_same_records(archive, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(exported_csv())
    expected = snapshot()
    HeritageRecord.objects.all().delete()

    report = imported(path, "export.csv")

    assert (report.errors, report.created) == ([], 2)
    assert snapshot() == expected


def test_an_xlsx_export_round_trips_too(archive, tmp_path):
    path = tmp_path / "export.xlsx"
    with path.open("wb") as stream:
        export_xlsx(HeritageRecord.objects.all(), stream)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    assert list(header) == COLUMNS
    assert first[COLUMNS.index("ethnic_groups")] == "02; 06"
    expected = snapshot()

    assert imported(path, "export.xlsx").unchanged == 2
    HeritageRecord.objects.all().delete()
    assert imported(path, "export.xlsx").created == 2
    assert snapshot() == expected


def test_the_csv_opens_in_excel_and_runs_no_formula(archive):
    data = exported_csv()

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    full = rows[0]
    assert full["summary_en"] == "'=1+2 is text, not a formula"
    assert full["title_km"] == KHMER
    assert full["places"] == "03013; Hà Giang@2025-06-30; Lào Cai; Lào Cai/Xã Bản Hồ"
    assert full["practitioners"] == "Thầy cúng Triệu Văn A | Bà Lý Thị B"
    assert full["content_warnings"] == "sacred; deceased"
    assert full["labels"].startswith('[{"label": "tk-seasonal", "explanation_vi": "Chỉ kể')
    assert full["sources"].startswith("[")
    assert rows[1]["labels"] == rows[1]["media"] == ""


def test_decomposed_text_is_imported_composed(db, tmp_path):
    path = tmp_path / "records.csv"
    rows = [
        ["external_id", "kind", "title_vi", "summary_vi", "protocol"],
        ["LC-9", "festival", nfd("Lễ hội Gầu Tào"), nfd("Người Mông, Hà Giang"), "public"],
    ]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)

    report = imported(path, "records.csv")

    assert (report.errors, report.created) == ([], 1)
    record = HeritageRecord.objects.get()
    assert record.title_vi == "Lễ hội Gầu Tào"
    assert unicodedata.is_normalized("NFC", record.summary_vi)
    again = tmp_path / "again.csv"
    again.write_bytes(exported_csv())
    assert imported(again, "again.csv").unchanged == 1
    assert imported(path, "records.csv").unchanged == 1


def test_an_officer_exports_only_what_they_may_see(client, archive):
    HeritageRecordFactory(
        external_id="SS-1", title="Nghi lễ bí truyền", protocol=CulturalProtocol.SECRET_SACRED
    )
    officer = get_user_model().objects.create_user("officer", password="pw")
    officer.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    client.force_login(officer)

    response = client.get("/admin/heritage/import/export/csv/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="heritage-records-')
    text = response.content.decode("utf-8-sig")
    assert "LC-001" in text and "LC-002" in text
    assert "SS-1" not in text and "Nghi lễ bí truyền" not in text


def test_media_items_hidden_from_the_reader_are_not_exported(archive):
    full, _plain = archive
    RecordImageFactory(record=full, caption="Ảnh hạn chế", protocol=CulturalProtocol.RESTRICTED)
    member = get_user_model().objects.create_user("member", password="pw")
    full.communities.get().members.add(member)

    visible = HeritageRecord.objects.visible_to(member)
    rows = list(csv.DictReader(io.StringIO(exported_csv(visible, member).decode("utf-8-sig"))))
    everything = exported_csv().decode("utf-8-sig")

    assert [row["external_id"] for row in rows] == ["LC-001"]
    assert "Thầy cúng đội mũ" in rows[0]["media"]
    assert "Ảnh hạn chế" not in rows[0]["media"]
    assert "Ảnh hạn chế" in everything


def test_the_command_exports_everything_or_only_what_is_public(archive, tmp_path):
    HeritageRecordFactory(external_id="DR-1", live=False)
    everything, public = tmp_path / "all.csv", tmp_path / "public.csv"

    call_command("export_records", str(everything), stdout=io.StringIO())
    call_command("export_records", str(public), "--public-only", stdout=io.StringIO())

    def ids(path):
        return [row["external_id"] for row in csv.DictReader(path.open(encoding="utf-8-sig"))]

    assert ids(everything) == ["LC-001", "LC-002", "DR-1"]
    assert ids(public) == []
    HeritageRecordFactory(external_id="PB-1")
    call_command("export_records", str(public), "--public-only", stdout=io.StringIO())
    assert ids(public) == ["PB-1"]


def test_dublin_core_is_namespaced_xml_with_a_title_per_language(archive, home, tmp_path):
    index = HeritageIndexPageFactory(parent=home)
    path = tmp_path / "records.xml"

    call_command("export_records", str(path), "--format", "dc", stdout=io.StringIO())

    root = ElementTree.parse(path).getroot()
    records = root.findall(f"{{{OAI_DC_NS}}}dc")
    assert len(records) == 2
    full = records[0]
    titles = {title.get(XML_LANG): title.text for title in full.findall(f"{{{DC_NS}}}title")}
    assert titles == {
        "vi": "Lễ cấp sắc",
        "en": "Coming-of-age ordination",
        "km": KHMER,
        "blt": TAI_VIET,
        "cjm": CHAM,
    }
    values = {element.tag.split("}")[1]: element.text for element in full}
    assert values["type"] == "Event"
    assert values["date"] == "2023-11-02"
    slug = HeritageRecord.objects.get(external_id="LC-001").slug
    assert values["identifier"] == f"{index.full_url_in('vi')}{slug}/"
    coverage = [element.text for element in full.findall(f"{{{DC_NS}}}coverage")]
    assert "Hà Giang" in coverage and "Tuyên Quang" in coverage
    subjects = [element.text for element in full.findall(f"{{{DC_NS}}}subject")]
    assert {"Tày", "Tay", "Mường", "Muong"} <= set(subjects)
    assert [element.text for element in full.findall(f"{{{DC_NS}}}rights")] == [
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
        "Cộng đồng người Dao đỏ",
    ]
