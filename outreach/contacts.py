"""Contact addresses: each channel's address in one canonical form, and its suppression hash.

A phone number is kept in E.164 (``+84912345678``). Numbers written before the 2018 change of
Vietnam's mobile prefixes (eleven digits, ``0168 912 3456``) are converted by the regulator's
map, so a resident who learnt her number before 2018 still reaches us. An e-mail address keeps
its local part as written and its domain in lower case.
"""

import hashlib
import hmac
import re
from typing import Final

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cms.text import nfc

REGION: Final = "VN"

OLD_MOBILE_PREFIXES: Final = {
    # Viettel
    "162": "32",
    "163": "33",
    "164": "34",
    "165": "35",
    "166": "36",
    "167": "37",
    "168": "38",
    "169": "39",
    # MobiFone
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    # VinaPhone
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    # Vietnamobile
    "186": "56",
    "188": "58",
    # Gmobile
    "199": "59",
}
"""Eleven-digit mobile prefixes (after the 0) and the ten-digit ones that replaced them in 2018
(Ministry of Information and Communications, Decision 798/QĐ-BTTTT, 15 September 2018 – 2019)."""

SEPARATORS: Final = re.compile(r"[\s.()-]")
"""What people put between digits: spaces, dots, dashes and brackets."""

MAX_LOCAL_PART: Final = 64
MAX_EMAIL: Final = 254
"""The longest local part and address SMTP carries (RFC 5321, 4.5.3.1)."""

MOBILE_TYPES: Final = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def normalize_phone(text: str) -> str:
    """``text`` as an E.164 Vietnamese mobile number; ``ValidationError`` if it is not one.

    Accepts spaces, dots and dashes, ``0…``, ``84…`` and ``+84…`` forms, and converts an
    eleven-digit number of before 2018.
    """
    written = SEPARATORS.sub("", nfc(text))
    if written.startswith("+84"):
        national = written[3:]
    elif written.startswith("84") and len(written) in (11, 12):
        national = written[2:]
    else:
        national = written.removeprefix("0")
    if len(national) == 10 and national[:3] in OLD_MOBILE_PREFIXES:
        national = OLD_MOBILE_PREFIXES[national[:3]] + national[3:]
    number = None
    if national.isascii() and national.isdigit():
        number = phonenumbers.parse(f"+84{national}")
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(
            _("Enter a Vietnamese mobile number, for example 0912 345 678."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(text: str) -> str:
    """``text`` as an e-mail address, its domain in lower case; ``ValidationError`` if not one."""
    address = nfc(text).strip()
    validate_email(address)
    local, _at, domain = address.rpartition("@")
    if len(local) > MAX_LOCAL_PART or len(address) > MAX_EMAIL:
        raise ValidationError(_("Enter a valid email address."), code="invalid")
    return f"{local}@{domain.lower()}"


def contact_hash(channel: str, address: str) -> str:
    """A keyed hash of a channel's address: what is kept of it after withdrawal or erasure.

    Keyed (``BANLANG_OUTREACH["HASH_KEY"]``), so the list of suppressed contacts cannot be
    reversed by hashing every phone number of Vietnam.
    """
    key = settings.BANLANG_OUTREACH["HASH_KEY"].encode()
    message = f"{channel}:{address.casefold()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
