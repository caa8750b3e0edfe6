"""Importing records from CSV, XLSX and ZIP: checked in full, written all or nothing, idempotent."""

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Revision

from heritage.importing import COLUMNS, RowError, import_records
from heritage.models import HeritageRecord, ImportStatus, Place, RecordImport, RecordMedia
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from media.models import MediaAsset, ProcessingStatus
from tests.heritage.factories import (
    CommunityGroupFactory,
    HeritageRecordFactory,
    RecordImageFactory,
)
from tests.heritage.imports import assert_import_changes_nothing, imported, importing_officer
from tests.media.conftest import jpeg_with_gps


def festival(number: int = 1, **cells: str) -> dict[str, str]:
    """A complete, valid row; keyword arguments change cells."""
    row = {
        "external_id": f"LC-{number:03d}",
        "kind": "festival",
        "title_vi": f"Lễ hội Lồng Tồng {number}",
        "title_en": f"Long Tong festival {number}",
        "summary_vi": "Lễ xuống đồng cầu mùa.",
        "ethnic_groups": "02; 03",
        "places": "Lào Cai; Hà Giang",
        "practitioners": "Ông Lò Văn Pọm | Bà Hoàng Thị Then",
        "date_rule": "lunar",
        "date_month": "1",
        "date_day": "15",
        "duration_days": "2",
        "recorded_on": "2024-03-15",
        "consent_obtained": "yes",
        "rights_statement": "https://creativecommons.org/licenses/by-nc/4.0/",
        "content_warnings": "sacred",
        "protocol": "public",
        "labels": "tk-seasonal; tk-attribution",
        "sources": "Kiểm kê di sản; phiếu 12 <https://example.org/12> || Phỏng vấn thực địa",
    }
    row.update(cells)
    return row


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """Rows as a CSV file, in the columns they use, in the layout's order."""
    used = [column for column in COLUMNS if any(column in row for row in rows)]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=used)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def write_csv(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "records.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def write_zip(folder: Path, rows: list[dict[str, str]], files: dict[str, bytes]) -> Path:
    path = folder / "records.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("records.csv", csv_bytes(rows))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(db):
    """A cultural officer, who imports."""
    return importing_officer()


def test_a_csv_creates_published_records_with_every_field(db, tmp_path):
    village = CommunityGroupFactory(name="Bản Nà Hẩu")
    rows = [
        festival(1),
        festival(
            2,
            kind="craft",
            protocol="community",
            communities="Bản Nà Hẩu",
            date_rule="season",
            date_month="",
            date_day="",
            season_vi="Sau mùa gặt",
            season_start_month="10",
            season_end_month="12",
            places="Hà Nội",
        ),
    ]
    report = imported(write_csv(tmp_path, rows), "records.csv")

    assert (report.errors, report.created, report.updated) == ([], 2, 0)
    record = HeritageRecord.objects.get(external_id="LC-001")
    assert (record.title_vi, record.title_en, record.kind) == (
        "Lễ hội Lồng Tồng 1",
        "Long Tong festival 1",
        "festival",
    )
    assert record.slug == "lễ-hội-lồng-tồng-1"
    assert set(record.ethnic_groups.values_list("code", flat=True)) == {"02", "03"}
    assert {(place.name, place.is_current) for place in record.places.all()} == {
        ("Lào Cai", True),
        ("Hà Giang", False),
    }
    assert record.practitioner_names() == ["Ông Lò Văn Pọm", "Bà Hoàng Thị Then"]
    assert (record.date_rule, record.date_month, record.date_day, record.duration_days) == (
        "lunar",
        1,
        15,
        2,
    )
    assert record.recorded_on.isoformat() == "2024-03-15"
    assert record.consent_obtained is True
    assert record.content_warnings == ["sacred"]
    assert [label.label for label in record.labels.all()] == ["tk-seasonal", "tk-attribution"]
    assert list(record.sources.values_list("citation", "url")) == [
        ("Kiểm kê di sản; phiếu 12", "https://example.org/12"),
        ("Phỏng vấn thực địa", ""),
    ]
    assert record.live and record.live_revision is not None
    assert record.live_revision == record.latest_revision
    assert record.live_revision.content["title_vi"] == "Lễ hội Lồng Tồng 1"
    assert [label["label"] for label in record.live_revision.content["labels"]] == [
        "tk-seasonal",
        "tk-attribution",
    ]
    craft = HeritageRecord.objects.get(external_id="LC-002")
    assert list(craft.communities.all()) == [village]
    assert craft.places.get().name == "Hà Nội" and craft.places.get().is_current


def test_an_xlsx_workbook_imports_like_a_csv(db, tmp_path):
    rows = [festival(1), festival(2, title_vi="Hát then", ethnic_groups="2")]
    workbook = Workbook()
    sheet = workbook.active
    used = [column for column in COLUMNS if column in rows[0]]
    sheet.append(used)
    for row in rows:
        sheet.append(
            [int(row[column]) if row[column].isdigit() else row[column] for column in used]
        )
    path = tmp_path / "records.xlsx"
    workbook.save(path)

    report = imported(path, "records.xlsx")

    assert (report.errors, report.created) == ([], 2)
    record = HeritageRecord.objects.get(external_id="LC-002")
    assert record.title_vi == "Hát then"
    assert list(record.ethnic_groups.values_list("code", flat=True)) == ["02"]
    assert (record.date_month, record.date_day) == (1, 15)


def test_a_dry_run_reports_and_writes_nothing(db, tmp_path):
    HeritageRecordFactory(external_id="LC-001", title="Tên cũ")
    counts = (HeritageRecord.objects.count(), Revision.objects.count())

    report = imported(write_csv(tmp_path, [festival(1), festival(2)]), "r.csv", dry_run=True)

    assert (report.errors, report.created, report.updated, report.unchanged) == ([], 1, 1, 0)
    assert [outcome.action for outcome in report.outcomes] == ["update", "create"]
    assert (HeritageRecord.objects.count(), Revision.objects.count()) == counts
    assert HeritageRecord.objects.get(external_id="LC-001").title_vi == "Tên cũ"


def test_row_errors_name_the_row_and_column_in_the_officers_language(db, tmp_path):
    rows = [
        festival(1),
        festival(2, places="Lào Cai/Xã Foo"),
        festival(3, kind="dance", ethnic_groups="99"),
        festival(4, date_rule="gregorian", date_month="2", date_day="30"),
        festival(5, recorded_on="15/03/2024", protocol=""),
        festival(1, title_vi="Trùng mã"),
    ]
    with translation.override("vi"):
        report = imported(write_csv(tmp_path, rows), "records.csv")
        messages = [str(error) for error in report.errors]

    assert messages == [
        "Dòng 3, cột places: Không có địa danh “Xã Foo” trong Lào Cai.",
        "Dòng 4, cột kind: “dance” không nằm trong: festival, ritual, craft, performing-art, "
        "oral-tradition, belief, other.",
        "Dòng 4, cột ethnic_groups: Không có dân tộc nào có mã Tổng cục Thống kê “99”.",
        "Dòng 5, cột date_day: Tháng này không có ngày đó.",
        "Dòng 6, cột recorded_on: “15/03/2024” không phải là ngày viết theo dạng YYYY-MM-DD.",
        "Dòng 6, cột protocol: Hãy ghi quy ước văn hóa: public, community, restricted hoặc "
        "secret-sacred.",
        "Dòng 7, cột external_id: “LC-001” đã có ở dòng 2.",
    ]
    assert HeritageRecord.objects.count() == 0


def test_messages_the_catalogue_translates_come_in_vietnamese(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("external_id\nLC-1\n", encoding="utf-8")

    with translation.override("vi"):
        report = imported(path, "records.csv")

    assert report.errors[0].message == "Thiếu cột: title_vi."


def test_a_single_bad_row_imports_nothing(db, tmp_path):
    rows = [festival(number) for number in range(1, 6)] + [festival(6, duration_days="many")]

    report = imported(write_csv(tmp_path, rows), "records.csv")

    assert [(error.row, error.column) for error in report.errors] == [(7, "duration_days")]
    assert not report.written
    assert HeritageRecord.objects.count() == 0
    assert Revision.objects.count() == 0


def test_importing_the_same_file_twice_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path, [festival(1), festival(2)])
    imported(path, "records.csv")
    assert HeritageRecord.objects.count() == 2
    assert_import_changes_nothing(path, "records.csv")


def test_a_changed_row_updates_its_record_with_a_new_revision(db, tmp_path):
    imported(write_csv(tmp_path, [festival(1), festival(2)]), "records.csv")
    record = HeritageRecord.objects.get(external_id="LC-001")
    first_revision, updated_at = record.live_revision, record.updated_at

    rows = [festival(1, title_en="Long Tong", places="Tuyên Quang", labels=""), festival(2)]
    report = imported(write_csv(tmp_path, rows), "records.csv")

    assert (report.errors, report.created, report.updated, report.unchanged) == ([], 0, 1, 1)
    record.refresh_from_db()
    assert record.title_en == "Long Tong"
    assert [place.name for place in record.places.all()] == ["Tuyên Quang"]
    assert record.labels.count() == 0
    assert record.updated_at != updated_at
    assert record.live_revision != first_revision
    assert record.live_revision.content["title_en"] == "Long Tong"


def test_a_column_left_out_keeps_what_the_record_has(db, tmp_path):
    imported(write_csv(tmp_path, [festival(1)]), "records.csv")
    rows = [{"external_id": "LC-001", "title_vi": "Lễ hội Lồng Tồng 1", "title_en": "Long Tong"}]

    report = imported(write_csv(tmp_path, rows), "records.csv")

    assert (report.errors, report.updated) == ([], 1)
    record = HeritageRecord.objects.get()
    assert record.title_en == "Long Tong"
    assert record.labels.count() == 2
    assert record.places.count() == 2


def test_unknown_and_missing_columns_refuse_the_file(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("external_id,titel_vi\nLC-1,Lễ hội\n", encoding="utf-8")

    with translation.override("en"):
        report = imported(path, "records.csv")
        messages = [str(error) for error in report.errors]

    assert messages == [
        "Row 1: Unknown columns: titel_vi.",
        "Row 1: Missing columns: title_vi.",
    ]


def test_a_csv_that_is_not_utf8_is_refused_with_advice(db, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes("external_id,title_vi\nLC-1,Lê hôi\n".encode("cp1258"))

    report = imported(path, "records.csv")

    assert "CSV UTF-8" in str(report.errors[0])


def test_the_command_checks_and_imports(db, tmp_path):
    path = write_csv(tmp_path, [festival(1)])
    out = io.StringIO()

    call_command("import_records", str(path), "--dry-run", stdout=out)
    assert out.getvalue().strip() == "would create 1, updated 0, unchanged 0."
    assert HeritageRecord.objects.count() == 0

    call_command("import_records", str(path), stdout=out)
    assert HeritageRecord.objects.count() == 1

    bad = write_csv(tmp_path, [festival(2, kind="")])
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import_records", str(bad), stdout=out, stderr=io.StringIO())


@pytest.fixture
def importing(client, officer, settings, tmp_path, django_capture_on_commit_callbacks):
    """Post a file to the admin as the officer; queued tasks run as the request commits."""
    settings.VAR_DIR = tmp_path
    client.force_login(officer)

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def test_the_admin_checks_in_the_background_then_imports_on_confirmation(
    client, importing, tmp_path
):
    upload = SimpleUploadedFile("records.csv", csv_bytes([festival(1), festival(2)]))

    sent = importing("/admin/heritage/import/", {"file": upload})

    record_import = RecordImport.objects.get()
    assert sent.url == f"/admin/heritage/import/{record_import.pk}/"
    assert record_import.status == ImportStatus.CHECKED
    assert HeritageRecord.objects.count() == 0
    preview = client.get(sent.url)
    assert "Refresh" not in preview
    body = preview.content.decode()
    assert "Lễ hội Lồng Tồng 2" in body
    assert "Đã kiểm tra: 2 hồ sơ sẽ tạo, 0 sẽ cập nhật, 0 không đổi." in body
    assert 'type="submit"' in body

    done = importing(sent.url, {})

    assert done.url == sent.url
    record_import.refresh_from_db()
    assert record_import.status == ImportStatus.IMPORTED
    assert record_import.counts() == {"created": 2, "updated": 0, "unchanged": 0}
    assert HeritageRecord.objects.count() == 2
    assert not record_import.path.exists()
    again = importing(sent.url, {})
    assert again.url == "/admin/heritage/import/"
    assert HeritageRecord.objects.count() == 2
    assert record_import.name in client.get("/admin/heritage/import/").content.decode()


def test_an_import_being_checked_refreshes_its_page(client, officer, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(officer)
    upload = SimpleUploadedFile("records.csv", csv_bytes([festival(1)]))
    sent = client.post("/admin/heritage/import/", {"file": upload})
    waiting = client.get(sent.url)
    assert waiting["Refresh"] == "2"
    assert "Tệp đang được kiểm tra" in waiting.content.decode()
    assert RecordImport.objects.get().path.is_file()


def test_the_admin_check_lists_errors_and_offers_no_import(client, importing):
    upload = SimpleUploadedFile("records.csv", csv_bytes([festival(1, places="Xã Foo")]))

    sent = importing("/admin/heritage/import/", {"file": upload})

    body = client.get(sent.url).content.decode()
    assert "Không có địa danh “Xã Foo”." in body
    assert 'type="submit"' not in body
    record_import = RecordImport.objects.get()
    assert record_import.status == ImportStatus.REFUSED
    assert not record_import.path.exists()
    assert importing(sent.url, {}).url == "/admin/heritage/import/"
    assert HeritageRecord.objects.count() == 0


def test_an_officer_sees_only_their_own_imports(client, importing, db):
    upload = SimpleUploadedFile("records.csv", csv_bytes([festival(1)]))
    sent = importing("/admin/heritage/import/", {"file": upload})
    other = get_user_model().objects.create_user("other-officer", password="pw")
    other.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    client.force_login(other)
    assert client.get(sent.url).status_code == 404
    assert client.post(sent.url).status_code == 404
    assert "records.csv" not in client.get("/admin/heritage/import/").content.decode()


def test_only_those_who_may_add_records_may_import(client, db):
    user = get_user_model().objects.create_user("reader", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    upload = SimpleUploadedFile("records.csv", csv_bytes([festival(1)]))

    refused = client.post("/admin/heritage/import/", {"file": upload})

    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert client.get("/admin/heritage/import/export/csv/").status_code == 302
    assert HeritageRecord.objects.count() == 0


def jpeg_bytes() -> bytes:
    return jpeg_with_gps()


@pytest.fixture
def speech(tmp_path) -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    path = tmp_path / "speech.m4a"
    tone = ["-f", "lavfi", "-i", "sine=f=300:d=2", "-c:a", "aac"]
    subprocess.run(["ffmpeg", "-v", "error", "-y", *tone, str(path)], check=True, timeout=60)
    return path.read_bytes()


def test_a_zip_brings_hardened_images_and_queued_recordings(
    db, tmp_path, speech, django_capture_on_commit_callbacks
):
    media = (
        '[{"file": "anh/xoe.jpg", "caption_vi": "Múa xòe", "caption_en": "Xoe dance", '
        '"credit": "Ảnh: Quàng Thị Hoa"}, {"file": "am-thanh/bai-hat.m4a"}]'
    )
    path = write_zip(
        tmp_path,
        [festival(1, media=media)],
        {"anh/xoe.jpg": jpeg_bytes(), "am-thanh/bai-hat.m4a": speech},
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_records(path, "records.zip")

    assert report.errors == []
    photo, recording = RecordMedia.objects.order_by("sort_order")
    assert (photo.caption_vi, photo.caption_en, photo.credit) == (
        "Múa xòe",
        "Xoe dance",
        "Ảnh: Quàng Thị Hoa",
    )
    with photo.image.open_file() as stored, PILImage.open(stored) as picture:
        exif = picture.getexif()
    assert 0x8825 not in exif and 0x010F not in exif
    asset = recording.media
    assert (asset.type, asset.status) == ("audio", ProcessingStatus.PENDING)
    assert asset.probe["audio_codec"] == "aac"
    assert len(callbacks) >= 2, "processing and publishing are queued for after the commit"
    for callback in callbacks:
        callback()

    again = imported(path, "records.zip")

    assert (again.errors, again.unchanged) == ([], 1)
    assert get_image_model().objects.count() == 1
    assert MediaAsset.objects.count() == 1


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("../secret.jpg", "trỏ ra ngoài tệp ZIP"),
        ("/etc/passwd.jpg", "trỏ ra ngoài tệp ZIP"),
        ("anh/missing.jpg", "Tệp ZIP không có tệp “anh/missing.jpg”."),
        ("anh/notes.jpg", "anh/notes.jpg"),
    ],
)
def test_zip_paths_outside_it_missing_or_bad_files_are_row_errors(
    db, tmp_path, media_root, reference, message
):
    files = {
        "anh/xoe.jpg": jpeg_bytes(),
        "../secret.jpg": jpeg_bytes(),
        "anh/notes.jpg": b"not a picture",
    }
    rows = [festival(1, media="anh/xoe.jpg"), festival(2, media=reference)]

    report = imported(write_zip(tmp_path, rows, files), "records.zip")

    assert [(error.row, error.column) for error in report.errors] == [(3, "media")]
    assert message in report.errors[0].message
    assert HeritageRecord.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert stored_files(media_root) == []


def test_a_zip_bomb_is_refused_before_it_is_unpacked(db, tmp_path, settings):
    settings.BANLANG_MEDIA = {**settings.BANLANG_MEDIA, "MAX_UPLOAD_BYTES": 1024**2}
    path = tmp_path / "records.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.csv", csv_bytes([festival(1, media="anh/bom.jpg")]))
        archive.writestr("anh/bom.jpg", b"\0" * (8 * 1024**2))
    assert path.stat().st_size < 100 * 1024

    report = imported(path, "records.zip")

    assert [str(error) for error in report.errors] == ["Tệp ZIP khi giải nén lớn hơn 1 MB."]
    assert HeritageRecord.objects.count() == 0


def test_a_place_can_be_named_by_gso_code_or_by_its_path(db, tmp_path):
    province = Place.objects.get(name="Lào Cai", valid_until=None)
    commune = Place.objects.create(name="Xã Bản Hồ", level="commune", parent=province)
    Place.objects.create(name="Xã Tả Van", level="commune", parent=province, gso_code="03013")
    rows = [
        festival(1, places="03013; Lào Cai/Xã Bản Hồ", recording_place="Lào Cai/Xã Bản Hồ"),
        festival(2, places="Hà Giang@2025-06-30; Hà Nội"),
    ]

    report = imported(write_csv(tmp_path, rows), "records.csv")

    assert report.errors == []
    first = HeritageRecord.objects.get(external_id="LC-001")
    assert sorted(first.places.values_list("name", flat=True)) == ["Xã Bản Hồ", "Xã Tả Van"]
    assert first.recording_place == commune
    second = HeritageRecord.objects.get(external_id="LC-002")
    assert sorted((p.name, p.is_current) for p in second.places.all()) == [
        ("Hà Giang", False),
        ("Hà Nội", True),
    ]


SECRET_TITLE = "Lễ cúng rừng"
SECRET_SLUG = "lễ-cúng-rừng"


@pytest.fixture
def custodian(db):
    """A cultural officer who is also the custodian of the secret record."""
    user = get_user_model().objects.create_user("custodian", password="pw")
    user.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    return user


def secret_record(custodian, external_id: str | None = "SEC-1") -> HeritageRecord:
    record = HeritageRecordFactory(
        external_id=external_id,
        title=SECRET_TITLE,
        slug=SECRET_SLUG,
        protocol=CulturalProtocol.SECRET_SACRED,
    )
    record.custodians.add(custodian)
    return record


def check_in_admin(client, importing, rows):
    """Upload rows to the admin's check as the signed-in user.

    Gives the status and report the check kept, and the report as the upload's page shows it.
    """
    upload = SimpleUploadedFile("records.csv", csv_bytes(rows))
    sent = importing("/admin/heritage/import/", {"file": upload})
    record_import = RecordImport.objects.get(pk=sent.url.split("/")[-2])
    page = client.get(sent.url).content.decode()
    shown = re.search(r'<section[^>]*"import-heading".*?</section>', page, re.S)[0]
    shown = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", shown)
    return record_import.status, record_import.report, shown


def secret_state(record: HeritageRecord) -> tuple:
    """Everything stored of the record, and how many revisions it has."""
    values = HeritageRecord.objects.filter(pk=record.pk).values().get()
    revisions = Revision.objects.filter(object_id=str(record.pk)).count()
    return values, revisions


SECRET_CASES = {
    "its external id": ("SEC-1", [festival(1, external_id="SEC-1")]),
    "its slug": ("SEC-1", [festival(1, slug=SECRET_SLUG)]),
    "a title making its slug": ("SEC-1", [festival(1, title_vi=SECRET_TITLE)]),
    "its slug, beside a row naming the slug's first variant": (
        "SEC-1",
        [festival(1, slug=SECRET_SLUG), festival(2, slug=f"{SECRET_SLUG}-2")],
    ),
    "its slug, without an external id": (None, [festival(1, external_id="", slug=SECRET_SLUG)]),
}
"""Rows naming a secret record, and the external id the record has."""

OFFICER_SEES = {
    "its external id": ("checked", ["create"], []),
    "its slug": ("checked", ["create"], []),
    "a title making its slug": ("checked", ["create"], []),
    "its slug, beside a row naming the slug's first variant": (
        "checked",
        ["create", "create"],
        [],
    ),
    "its slug, without an external id": (
        "refused",
        ["create"],
        [[2, "external_id", "Dòng nào cũng phải có mã bên ngoài."]],
    ),
}
CUSTODIAN_SEES = {
    "its external id": ("checked", ["update"], []),
    "its slug": (
        "refused",
        ["create"],
        [[2, "slug", f"Đã có hồ sơ khác dùng đường dẫn “{SECRET_SLUG}”."]],
    ),
    "a title making its slug": ("checked", ["create"], []),
    "its slug, beside a row naming the slug's first variant": (
        "refused",
        ["create", "create"],
        [[2, "slug", f"Đã có hồ sơ khác dùng đường dẫn “{SECRET_SLUG}”."]],
    ),
    "its slug, without an external id": ("checked", ["update"], []),
}


def seen(checked) -> tuple:
    status, report, _shown = checked
    return status, [outcome[3] for outcome in report["outcomes"]], report["errors"]


@pytest.mark.parametrize("case", SECRET_CASES)
def test_an_officers_check_reads_rows_naming_a_secret_record_as_if_it_did_not_exist(
    client, importing, officer, custodian, case
):
    external_id, rows = SECRET_CASES[case]
    secret = secret_record(custodian, external_id)
    client.force_login(custodian)
    for_custodian = check_in_admin(client, importing, rows)
    client.force_login(officer)

    with_secret = check_in_admin(client, importing, rows)
    secret.delete()
    without_secret = check_in_admin(client, importing, rows)

    assert with_secret == without_secret
    assert seen(with_secret) == OFFICER_SEES[case]
    assert seen(for_custodian) == CUSTODIAN_SEES[case]


@pytest.mark.parametrize(
    ("case", "slugs"),
    [
        ("its slug", [f"{SECRET_SLUG}-2"]),
        ("a title making its slug", [f"{SECRET_SLUG}-2"]),
        (
            "its slug, beside a row naming the slug's first variant",
            [f"{SECRET_SLUG}-3", f"{SECRET_SLUG}-2"],
        ),
    ],
)
def test_an_officers_new_record_gets_a_free_variant_of_a_secret_records_slug(
    officer, custodian, tmp_path, case, slugs
):
    external_id, rows = SECRET_CASES[case]
    secret = secret_record(custodian, external_id)
    before = secret_state(secret)
    path = write_csv(tmp_path, rows)

    report = imported(path, "records.csv", user=officer)

    assert (report.errors, report.created) == ([], len(rows))
    created = HeritageRecord.objects.exclude(pk=secret.pk).order_by("pk")
    assert list(created.values_list("slug", flat=True)) == slugs
    assert secret_state(secret) == before
    again = imported(path, "records.csv", user=officer)
    assert (again.errors, again.created, again.updated, again.unchanged) == ([], 0, 0, len(rows))


def test_an_officers_import_refuses_a_secret_records_external_id_without_saying_why(
    officer, custodian, tmp_path
):
    secret = secret_record(custodian)
    before = secret_state(secret)
    path = write_csv(tmp_path, [festival(1, external_id="SEC-1"), festival(2)])

    with translation.override("en"):
        checked = imported(path, "records.csv", user=officer, dry_run=True)
        report = imported(path, "records.csv", user=officer)

    assert (checked.errors, checked.created) == ([], 2), "the check reads it as a free id"

    message = (
        "The external id “SEC-1” cannot be given to a new record. "
        "Give this row another external id."
    )
    assert report.errors == [RowError(2, "external_id", message)]
    assert not report.written
    assert HeritageRecord.objects.count() == 1
    assert secret_state(secret) == before


@pytest.mark.parametrize("case", ["its external id", "its slug, without an external id"])
def test_the_custodian_importing_the_same_rows_updates_the_secret_record(custodian, tmp_path, case):
    external_id, rows = SECRET_CASES[case]
    secret = secret_record(custodian, external_id)

    report = imported(write_csv(tmp_path, rows), "records.csv", user=custodian)

    assert (report.errors, report.created, report.updated) == ([], 0, 1)
    secret.refresh_from_db()
    assert (secret.title_vi, secret.slug) == ("Lễ hội Lồng Tồng 1", SECRET_SLUG)
    assert HeritageRecord.objects.count() == 1


def test_an_image_only_hidden_media_items_use_is_refused_exactly_like_a_missing_one(
    client, importing, officer, custodian
):
    secret = secret_record(custodian)
    item = RecordImageFactory(record=secret)
    image, image_id = item.image, item.image_id
    # Under the secret protocol, as the custodian may use it: showing it to more would need the
    # admin's confirmation (see test_a_row_may_not_show_a_reused_file_to_more_people_…).
    rows = [festival(1, media=f"image:{image_id}", protocol="secret-sacred")]
    client.force_login(custodian)
    for_custodian = check_in_admin(client, importing, rows)
    client.force_login(officer)

    with_secret = check_in_admin(client, importing, rows)
    secret.delete()
    image.delete()
    without_secret = check_in_admin(client, importing, rows)

    assert with_secret == without_secret
    assert seen(with_secret) == (
        "refused",
        ["create"],
        [[2, "media", f"Không có image:{image_id} mà bạn được phép dùng."]],
    )
    assert seen(for_custodian) == ("checked", ["create"], [])


@pytest.mark.parametrize(("held_by", "refused"), [("restricted", True), ("public", False)])
def test_a_row_may_not_show_a_reused_file_to_more_people_than_may_see_it(
    db, tmp_path, officer, held_by, refused
):
    holder = HeritageRecordFactory(protocol=held_by)
    image = RecordImageFactory(record=holder).image
    path = write_csv(tmp_path, [festival(1, media=f"image:{image.pk}")])
    with translation.override("en"):
        report = imported(path, path.name, user=officer)
    widened = [error for error in report.errors if "fewer people" in error.message]
    assert len(widened) == (1 if refused else 0)
    assert HeritageRecord.objects.filter(external_id="LC-001").exists() is not refused
    if refused:
        assert widened[0].row == 2 and widened[0].column == "media"
