"""Reference data: the 54 ethnic groups, provinces before and after 1 July 2025, communes."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from heritage.models import EthnicGroup, Place, PlaceLevel
from heritage.models.reference import provinces_of
from heritage.places_import import import_communes

HEADER = "province,name,level,gso_code,latitude,longitude,formerly\n"


def test_the_54_ethnic_groups_are_loaded_with_their_gso_codes(db):
    assert EthnicGroup.objects.count() == 54
    assert list(EthnicGroup.objects.values_list("code", flat=True)) == [
        f"{n:02d}" for n in range(1, 55)
    ]
    jrai = EthnicGroup.objects.get(code="10")
    assert (jrai.name_vi, jrai.name_en, jrai.languages) == ("Gia Rai", "Jrai", ["jra"])
    with translation.override("en"):
        assert EthnicGroup.objects.get(code="12").name == "Rade (Ede)"


def test_34_provinces_are_in_force_and_63_are_kept_as_history(db):
    assert Place.objects.current().provinces().count() == 34
    assert Place.objects.filter(valid_until__isnull=False, level=PlaceLevel.PROVINCE).count() == 63


@pytest.mark.parametrize(
    ("former", "today"),
    [
        ("Hà Giang", "Tuyên Quang"),
        ("Bình Thuận", "Lâm Đồng"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_a_former_province_resolves_to_todays(db, former, today):
    place = Place.objects.get(name=former, valid_until__isnull=False)
    assert place.current_province().name == today


def test_communes_import_from_csv_with_their_former_names(db):
    text = HEADER + (
        "Lào Cai,Xã Bản Hồ,commune,03010,22.270,103.910,Xã Bản Hồ | Xã Thanh Bình\n"
        "Tuyên Quang,Xã Lũng Cú,commune,,23.363,105.316,Xã Lũng Cú (Hà Giang)\n"
    )
    report = import_communes(text)
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    commune = Place.objects.get(name="Xã Lũng Cú", valid_until=None)
    assert commune.parent.name == "Tuyên Quang"
    former = Place.objects.get(name="Xã Lũng Cú", valid_until__isnull=False)
    assert former.parent.name == "Hà Giang"
    assert former.current_province().name == "Tuyên Quang"


def test_reimporting_the_same_file_updates_and_never_duplicates(db):
    text = HEADER + "Lào Cai,Xã Bản Hồ,commune,03010,22.27,103.91,Xã Bản Hồ | Xã Thanh Bình\n"
    import_communes(text)
    count = Place.objects.count()
    report = import_communes(text)
    assert (report.created, report.updated) == (0, 1)
    assert Place.objects.count() == count


def test_a_file_with_bad_rows_imports_nothing_and_says_which_rows(db):
    count = Place.objects.count()
    text = HEADER + (
        "Lào Cai,Xã Bản Hồ,commune,,22.27,103.91,\n"
        "Hà Giang,Xã Lũng Cú,commune,,,,\n"
        "Lào Cai,Xã Sai,district,,,,\n"
        "Lào Cai,Xã Xa,commune,12a,,,\n"
        "Lào Cai,Xã Cao,commune,,95,,\n"
        "Lào Cai,Xã Thấp,commune,,,,Xã Cũ (Hà Giang)\n"
    )
    with translation.override("vi"):
        report = import_communes(text)
    assert [line for line, _ in report.errors] == [3, 4, 5, 6, 7]
    assert "không phải là tỉnh" in report.errors[0][1]
    assert Place.objects.count() == count


def test_dry_run_counts_but_writes_nothing(db, tmp_path, capsys):
    path = tmp_path / "communes.csv"
    path.write_text(HEADER + "Lào Cai,Xã Bản Hồ,commune,,,,\n", encoding="utf-8")
    call_command("import_communes", str(path), "--dry-run")
    assert "would create 1" in capsys.readouterr().out
    assert not Place.objects.filter(name="Xã Bản Hồ").exists()
    path.write_text(HEADER + "Hà Giang,Xã Lũng Cú,commune,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_communes", str(path))


def test_places_resolved_together_get_what_each_gets_alone(db):
    import_communes(
        "province,name,level,gso_code,latitude,longitude,formerly\n"
        "Tuyên Quang,Xã Lũng Cú,commune,,23.363,105.316,Xã Lũng Cú (Hà Giang)\n"
        "Lào Cai,Xã Bản Hồ,commune,,22.27,103.91,Xã Bản Hồ | Xã Thanh Bình\n"
    )
    places = list(Place.objects.all())
    together = provinces_of([place.pk for place in places])
    assert together == {
        place.pk: found
        for place in places
        if (found := provinces_of([place.pk]).get(place.pk)) is not None
    }
    former_commune = Place.objects.get(name="Xã Lũng Cú", valid_until__isnull=False)
    assert Place.objects.get(pk=together[former_commune.pk]).name == "Tuyên Quang"
