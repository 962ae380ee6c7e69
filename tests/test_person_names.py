"""Names validated as names: what a certificate prints is a person's name, never markup or a sentence."""

import pytest
from django.core.exceptions import ValidationError

from jxjy.accounts.models import Learner
from jxjy.core.identity import PERSON_NAME_MESSAGE, validate_person_name
from jxjy.filings.models import PreFiling

from .html_helpers import errors_next_to
from .prefiling_helpers import NEW_URL, complete_new_form
from .recovery_helpers import sign_up

GOOD = ["张三", "欧阳修", "买买提·艾力", "阿依古丽•吐尔逊", "ئەخمەت ئابدۇللا", "John Smith", "Мария", "李-四"]
BAD = ["<b>张三</b>", "张三1", "张三<script>", "·张三", "张三·", "张··三", "张三;", "a&b", "张 ", "\u200b张三"]


@pytest.mark.parametrize("name", GOOD)
def test_names_of_every_script_of_the_region_are_accepted(name):
    validate_person_name(name)


@pytest.mark.parametrize("name", BAD)
def test_markup_digits_and_stray_signs_are_refused(name):
    with pytest.raises(ValidationError, match="姓名只能由汉字"):
        validate_person_name(name)


def test_signup_refuses_markup_in_the_name_next_to_the_field(client, db):
    response = sign_up(client, name="<b>李娜</b>")
    assert PERSON_NAME_MESSAGE in errors_next_to(response, "name")
    assert not Learner.objects.exists()


def test_a_teachers_name_with_markup_is_refused_and_no_filing_is_made(client_for, base_user):
    client = client_for(base_user)
    data = complete_new_form(client)
    data["teachers-0-name"] = ["赵<i>老师</i>"]
    response = client.post(NEW_URL, data)
    assert str(PERSON_NAME_MESSAGE) in response.content.decode()
    assert not PreFiling.objects.exists()
