"""Password rules: 8 characters, 3 of 4 classes, not common, not like the user's details."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize("password", ["Qx7mWpaz", "qx7mwpaz!", "ABCDEFG1!", "Demo@2026", "水利Abc12345"])
def test_accepted(password, db):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abcdefgh", "3类"),  # one class
        ("abcdefg1", "3类"),  # two classes
        ("Ab1!", "8"),  # too short
        ("Password1", "常见"),  # on the common list
        ("12345678", "数字"),
    ],
)
def test_refused_with_a_chinese_message(password, message, db):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_signup_shows_the_rule_next_to_the_password(client, db):
    response = client.post(
        "/accounts/signup/",
        {"name": "王小明", "id_number": "650102199001011239", "mobile": "13899110009", "work_unit": "单位",
         "password1": "abcdefgh", "password2": "abcdefgh"},
    )  # fmt: skip
    assert "密码须至少包含小写字母、大写字母、数字、符号中的3类。" in response.content.decode()
