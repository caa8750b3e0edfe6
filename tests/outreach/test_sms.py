"""SMS sizes: GSM-7 or UCS-2, parts counted as phones count them, folding that keeps scripts."""

import pytest

from outreach import sms


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("Gia ca phe hom nay 45.000d/kg", "gsm7", 29, 1),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("€" * 80, "gsm7", 160, 1),  # extension characters count twice
        ("€" * 81, "gsm7", 162, 2),
        ("Giá cà phê hôm nay", "ucs2", 18, 1),
        ("ạ" * 70, "ucs2", 70, 1),
        ("ạ" * 71, "ucs2", 71, 2),
        ("ạ" * 134, "ucs2", 134, 2),
        ("ạ" * 135, "ucs2", 135, 3),
        ("តម្លៃកាហ្វេ", "ucs2", 11, 1),
        ("😀" * 35, "ucs2", 70, 1),  # outside the BMP: two UTF-16 units each
        ("a\u0301" * 10, "ucs2", 10, 1),  # NFC first: á is one unit
    ],
)
def test_size_counts_units_and_parts_as_phones_do(text, encoding, units, parts):
    assert sms.size(text) == sms.SmsSize(encoding, units, parts)


def test_folding_drops_vietnamese_marks_only():
    assert sms.fold("Giá cà phê Đắk Lắk hôm nay") == "Gia ca phe Dak Lak hom nay"
    assert sms.fold("Hmôngz, Ê Đê") == "Hmongz, E De"
    assert sms.fold("តម្លៃកាហ្វេ") == "តម្លៃកាហ្វេ"  # the coeng stays
    assert sms.fold("ꪼꪕ ꪒꪾ") == "ꪼꪕ ꪒꪾ"


def test_folding_a_vietnamese_text_can_halve_its_parts():
    text = "Giá cà phê nhân xô tại Đắk Lắk hôm nay tăng 500 đồng, lên 45.500 đồng/kg. " * 2
    assert sms.size(text).parts == 3
    assert sms.size(sms.fold(text)) == sms.SmsSize("gsm7", 148, 1)


def test_a_text_over_six_parts_is_refused_with_its_size():
    sms.checked("ạ" * 402)
    with pytest.raises(sms.TooLong) as refused:
        sms.checked("ạ" * 403)
    assert refused.value.size == sms.SmsSize("ucs2", 403, 7)
    assert "403 ucs2 units need 7 parts" in str(refused.value)
