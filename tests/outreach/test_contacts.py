"""Contact addresses in one canonical form, old mobile numbers converted, hashes keyed."""

import pytest
from django.core.exceptions import ValidationError

from outreach.contacts import OLD_MOBILE_PREFIXES, contact_hash, normalize_email, normalize_phone


@pytest.mark.parametrize(
    "written",
    ["0912345678", "0912 345 678", "091.234.5678", "+84 912 345 678", "84912345678", "912345678"],
)
def test_a_mobile_number_written_any_usual_way_is_one_e164_number(written):
    assert normalize_phone(written) == "+84912345678"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("01689123456", "+84389123456"),  # Viettel 0168 → 038
        ("0162 912 3456", "+84329123456"),  # Viettel 0162 → 032
        ("0120 912 3456", "+84709123456"),  # MobiFone 0120 → 070
        ("0121 912 3456", "+84799123456"),  # MobiFone 0121 → 079
        ("0127 912 3456", "+84819123456"),  # VinaPhone 0127 → 081
        ("0188 912 3456", "+84589123456"),  # Vietnamobile 0188 → 058
        ("0199 912 3456", "+84599123456"),  # Gmobile 0199 → 059
        ("+84 168 912 3456", "+84389123456"),
        ("841689123456", "+84389123456"),
    ],
)
def test_an_eleven_digit_number_of_before_2018_is_converted(old, new):
    assert normalize_phone(old) == new


def test_every_old_prefix_gives_a_valid_mobile_number():
    converted = {normalize_phone(f"0{old}9123456") for old in OLD_MOBILE_PREFIXES}
    assert len(converted) == len(OLD_MOBILE_PREFIXES) == 21


@pytest.mark.parametrize(
    "written",
    [
        "",
        "0236 3822 123",  # a landline in Đà Nẵng: no SMS
        "+1 202 555 0143",  # not Vietnamese
        "09123",
        "0912345678901",
        "không có số",
        "09I2345678",
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_what_is_not_a_vietnamese_mobile_number_is_refused_with_an_example(written):
    with pytest.raises(ValidationError) as error:
        normalize_phone(written)
    assert "0912 345 678" in str(error.value.messages[0])


def test_an_email_address_keeps_its_local_part_and_lowers_its_domain():
    assert normalize_email("  Nguyen.Van.A@Example.VN ") == "Nguyen.Van.A@example.vn"


@pytest.mark.parametrize("written", ["a@", "@b.vn", "a b@c.vn", "a@b", "x" * 300 + "@b.vn"])
def test_what_is_not_an_email_address_is_refused(written):
    with pytest.raises(ValidationError):
        normalize_email(written)


def test_the_hash_of_a_contact_depends_on_the_key_channel_and_address(settings):
    first = contact_hash("sms", "+84912345678")
    assert first == contact_hash("sms", "+84912345678")
    assert first != contact_hash("email", "+84912345678")
    assert first != contact_hash("sms", "+84912345679")
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "HASH_KEY": "another key"}
    assert first != contact_hash("sms", "+84912345678")
    assert len(first) == 64 and "912345678" not in first
