"""Chinese resident ID numbers (GB 11643-1999), mainland mobiles, and masking (DESIGN §6)."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import clock

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# ASCII only: `\d` would also take other scripts' digits, which would then be stored as typed.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE_RE = re.compile(r"^\d{6}$", re.ASCII)
ID_RE = re.compile(r"\d{17}[\dX]", re.ASCII)
# A person's name as the 身份证 prints it: Chinese characters, the Uyghur, Kazakh or Mongolian script, Latin or
# Cyrillic letters, joined by the 间隔号 (买买提·艾力) or a space or hyphen; no digits, no markup, no signs.
_LETTER = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters
    "\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u1800-\u18af"  # Arabic script (Uyghur, Kazakh), Mongolian
    "A-Za-z\u00c0-\u024f\u0400-\u04ff"  # Latin and Cyrillic letters
)
_JOIN = "·•・\\- "
PERSON_NAME_RE = re.compile(f"^[{_LETTER}](?:[{_LETTER}]|[{_JOIN}](?=[{_LETTER}]))*$")
PERSON_NAME_MESSAGE = gettext_lazy(
    "姓名只能由汉字、少数民族文字或字母组成，多段之间可用间隔号“·”，不能含数字或其他符号。"
)


def validate_person_name(value: str) -> None:
    """A person's name (learners, teachers, certificate holders), or ValidationError in Chinese.

    The middle dots that input methods type (· • ・) are all accepted; nothing is changed."""
    if value and not PERSON_NAME_RE.fullmatch(value):
        raise ValidationError(PERSON_NAME_MESSAGE, code="person_name")


def _halfwidth(value: str) -> str:
    """Full-width digits, letters and signs (as a Chinese input method types them) to ASCII."""
    return unicodedata.normalize("NFKC", value or "")


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str, *, today: dt.date | None = None) -> str:
    """Return the ID number with `x` as `X`, or raise ValidationError with a Chinese message."""
    value = _halfwidth(value).strip().upper()
    if not ID_RE.fullmatch(value):
        raise ValidationError(_("身份证号应为18位，前17位为数字，最后一位为数字或X。"), code="format")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期不存在。"), code="birth_date") from None
    if birth > (today or clock.today()) or birth.year < 1900:
        raise ValidationError(_("身份证号中的出生日期不合理。"), code="birth_date")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="checksum")
    return value


def gender_from_id(id_number: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return "男" if int(id_number[16]) % 2 else "女"


def normalize_mobile(value: str) -> str:
    """Strip spaces, hyphens and +86/0086; return 11 digits or raise ValidationError."""
    cleaned = re.sub(r"[\s\-]", "", _halfwidth(value))
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
    if not MOBILE_RE.fullmatch(cleaned):
        raise ValidationError(_("请输入正确的11位手机号码。"), code="mobile")
    return cleaned


def mask_id_number(value: str) -> str:
    if not value or len(value) < 8:
        return value or ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    if not value or len(value) != 11:
        return value or ""
    return value[:3] + "****" + value[-4:]


def hours_text(value) -> str:
    """学时 as people write them: 40, 40.5 (never 40.0 or 4E+1)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
