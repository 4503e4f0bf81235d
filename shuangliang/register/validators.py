"""Validators of the register's identifiers; one path for forms, imports, admin and API."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shuangliang.core.text import clean_text

# GB 32100-2015: 18 characters from this alphabet, the last a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
UNION_CREDIT_CODE_PREFIX = "81"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_OFFICE_PHONE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_DIVISION_CODE = re.compile(r"^\d{6}(\d{3})?$")


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: object) -> str:
    return clean_text(value).replace(" ", "").upper()


def validate_credit_code(value: str) -> None:
    """Reject anything that is not a well-formed unified social credit code."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("The credit code contains characters that are not allowed: %(chars)s."),
            code="credit_code_chars",
            params={"chars": " ".join(bad)},
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this credit code is wrong (the last character "
                "should be %(expected)s); please check the code for typing errors."
            ),
            code="credit_code_check",
            params={"expected": expected},
        )


def validate_union_credit_code(value: str) -> None:
    validate_credit_code(value)
    if not normalise_credit_code(value).startswith(UNION_CREDIT_CODE_PREFIX):
        raise ValidationError(
            _("A union's credit code begins with 81."), code="union_credit_code_prefix"
        )


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(clean_text(value).replace(" ", "").replace("-", "")):
        raise ValidationError(_("A mobile number has 11 digits and begins with 1."), code="mobile")


def validate_office_phone(value: str) -> None:
    phone = clean_text(value).replace(" ", "")
    if not (_OFFICE_PHONE.match(phone) or _MOBILE.match(phone)):
        raise ValidationError(
            _("Enter an office phone with its area code, such as 0771-1234567."),
            code="office_phone",
        )


def validate_division_code(value: str) -> None:
    if not _DIVISION_CODE.match(clean_text(value)):
        raise ValidationError(
            _("An administrative division code has 6 digits, or 9 for a township."),
            code="division_code",
        )


def has_unusable_character(text: str) -> bool:
    """True for emoji and other symbols, control and private-use characters in a name."""
    for char in text:
        category = unicodedata.category(char)
        if category in {"So", "Cs", "Co", "Cn", "Cc", "Cf"}:
            return True
        if category == "Mn" and "\ufe00" <= char <= "\ufe0f":  # emoji variation selectors
            return True
    return False


def validate_plain_text(value: str) -> None:
    """Names and addresses are printed on signboards and cards: no emoji or control codes."""
    if has_unusable_character(value or ""):
        raise ValidationError(
            _("The text contains an emoji, a symbol or a control character that cannot be used."),
            code="unusable_character",
        )
