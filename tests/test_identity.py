"""身份证号 (GB 11643-1999) and mobile checks, and the masks personal data is shown with (DESIGN §6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jxjy.core.identity import (
    gender_from_id,
    id_check_char,
    mask_id_number,
    mask_mobile,
    normalize_id_number,
    normalize_mobile,
)

VALID_MAN = "650102199001011239"
VALID_WOMAN = "650102198803150025"


def make_id(birth: dt.date, *, area: str = "650102", seq: str = "123") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


def id_ending_in_x() -> str:
    for n in range(1000):
        first17 = f"65010219900101{n:03d}"
        if id_check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("no sequence number gives the check character X")


def fullwidth(text: str) -> str:
    """What a Chinese input method in full-width mode types for ASCII text."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def refused(value: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as e:
        normalize_id_number(value, **kwargs)
    return e.value


# ---- 身份证号 ----


@pytest.mark.parametrize("value", [VALID_MAN, VALID_WOMAN])
def test_valid_id_numbers_are_accepted_unchanged(value):
    assert normalize_id_number(value) == value


def test_id_with_check_character_x_is_accepted():
    value = id_ending_in_x()
    assert normalize_id_number(value) == value


def test_lowercase_x_is_normalised_to_uppercase():
    value = id_ending_in_x()
    assert normalize_id_number(value[:17] + "x") == value


def test_surrounding_spaces_are_ignored():
    assert normalize_id_number(f"  {VALID_MAN} ") == VALID_MAN


def test_fullwidth_id_number_is_stored_in_ascii():
    # Otherwise the same person could register twice, once per way of typing the number.
    assert normalize_id_number(fullwidth(VALID_MAN)) == VALID_MAN
    x_id = id_ending_in_x()
    assert normalize_id_number(fullwidth(x_id[:17]) + "ｘ") == x_id


def test_digits_of_other_scripts_are_refused():
    arabic_indic = VALID_MAN[:10] + "١٩٩٠" + VALID_MAN[14:]
    assert refused(arabic_indic).code == "format"


@pytest.mark.parametrize("position", range(18))
def test_every_single_character_substitution_is_refused(position):
    # Weights are non-zero mod 11, so GB 11643's check character catches every single substitution.
    original = VALID_MAN[position]
    replacements = "0123456789" + ("X" if position == 17 else "")
    for c in replacements:
        if c == original:
            continue
        changed = VALID_MAN[:position] + c + VALID_MAN[position + 1 :]
        with pytest.raises(ValidationError):
            normalize_id_number(changed)


def test_wrong_check_character_gets_the_checksum_message():
    e = refused(VALID_MAN[:17] + "0")
    assert e.code == "checksum"
    assert e.messages == ["身份证号校验位不正确，请核对。"]


@pytest.mark.parametrize("date_digits", ["19900230", "19901301", "19900001", "19900431", "19000229"])
def test_impossible_birth_dates_are_refused(date_digits):
    first17 = f"650102{date_digits}123"
    e = refused(first17 + id_check_char(first17))
    assert e.code == "birth_date"
    assert e.messages == ["身份证号中的出生日期不存在。"]


def test_leap_day_birth_date_is_accepted():
    value = make_id(dt.date(2000, 2, 29))
    assert normalize_id_number(value) == value


def test_birth_date_in_the_future_is_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    e = refused(make_id(tomorrow))
    assert e.code == "birth_date"
    assert e.messages == ["身份证号中的出生日期不合理。"]


def test_birth_date_is_judged_against_the_given_day():
    value = make_id(dt.date(2020, 6, 2))
    assert refused(value, today=dt.date(2020, 6, 1)).code == "birth_date"
    assert normalize_id_number(value, today=dt.date(2020, 6, 2)) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        VALID_MAN[:17],
        VALID_MAN + "1",
        "65010219900101123",
        "65010219900101123A",
        "6501021990010112X9",
        "X50102199001011239",
        "6501021990-0101123",
        "650102 19900101123",
    ],
)
def test_wrong_length_or_letters_are_refused_with_the_format_message(value):
    e = refused(value)
    assert e.code == "format"
    assert e.messages == ["身份证号应为18位，前17位为数字，最后一位为数字或X。"]


def test_none_is_refused():
    assert refused(None).code == "format"


@pytest.mark.parametrize("area", ["659999", "999999", "652101", "000000"])
def test_unknown_or_abolished_area_codes_are_accepted(area):
    value = make_id(dt.date(1985, 7, 1), area=area)
    assert normalize_id_number(value) == value


def test_gender_comes_from_the_seventeenth_digit():
    assert gender_from_id(VALID_MAN) == "男"
    assert gender_from_id(VALID_WOMAN) == "女"
    assert gender_from_id(make_id(dt.date(1990, 1, 1), seq="120")) == "女"
    assert gender_from_id(make_id(dt.date(1990, 1, 1), seq="129")) == "男"


# ---- 手机号 ----


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "+86 138-0013-8000",
        "0086 13800138000",
        "138 0013 8000",
        "+8613800138000",
        " 138-0013-8000 ",
        fullwidth("+86 138-0013-8000"),
    ],
)
def test_accepted_mobile_formats_are_normalised_to_eleven_digits(value):
    assert normalize_mobile(value) == "13800138000"


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mainland_mobile_prefix_is_accepted(first_two):
    assert normalize_mobile(first_two + "812345678") == first_two + "812345678"


@pytest.mark.parametrize(
    "value",
    [
        "12800138000",
        "10800138000",
        "23800138000",
        "1380013800",
        "138001380001",
        "1380013800a",
        "abcdefghijk",
        "138.0013.8000",
        "+85213800138000",
        "13٨00138000",
        "",
        None,
    ],
)
def test_bad_mobiles_are_refused_with_a_chinese_message(value):
    with pytest.raises(ValidationError) as e:
        normalize_mobile(value)
    assert e.value.messages == ["请输入正确的11位手机号码。"]


# ---- 脱敏 ----


def test_id_number_is_masked_keeping_four_characters_each_side():
    assert mask_id_number(VALID_MAN) == "6501**********1239"


def test_mobile_is_masked_keeping_three_and_four_digits():
    assert mask_mobile("13812345678") == "138****5678"


@pytest.mark.parametrize("value", ["", None])
def test_masking_nothing_gives_an_empty_string(value):
    assert mask_id_number(value) == ""
    assert mask_mobile(value) == ""
