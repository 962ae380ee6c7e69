"""消息设置: a learner chooses SMS and e-mail; bad input is refused next to its field and changes nothing."""

import pytest
from django.urls import reverse

from jxjy.audit.models import AuditEntry
from jxjy.notify.models import Preference

URL = reverse("notify:settings")


def test_the_learner_sees_the_defaults_and_their_masked_mobile(client_for, learner_user):
    page = client_for(learner_user).get(URL).content.decode()
    assert "<h1>消息设置</h1>" in page
    assert "138****0001" in page and "13899110001" not in page
    assert 'name="sms" id="id_sms" checked' in page
    assert 'name="email" id="id_email">' in page or 'name="email" id="id_email" >' in page
    assert "报名审核通过" in page and "电子证书已签发" in page


def test_the_learner_turns_on_email_and_off_sms(client_for, learner_user):
    client = client_for(learner_user)
    response = client.post(URL, {"email": "on", "email_address": " zhangsan@example.com "})
    assert response.status_code == 302
    pref = Preference.objects.get(user=learner_user)
    assert (pref.sms, pref.email, pref.email_address) == (False, True, "zhangsan@example.com")
    page = client.get(URL).content.decode()
    assert "消息设置已保存。" in page and 'value="zhangsan@example.com"' in page
    assert AuditEntry.objects.filter(action="change_notification_settings", actor=learner_user).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sms": "on", "email": "on", "email_address": ""}, "开启邮件通知须填写电子邮箱。"),
        ({"sms": "on", "email": "on", "email_address": "zhangsan@"}, "请输入有效的电子邮箱地址，如 name@example.com。"),
        ({"email_address": "a" * 60 + "@" + "b" * 40 + ".cn"}, "电子邮箱不能超过100个字符。"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(client_for, learner_user, data, message):
    response = client_for(learner_user).post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    field = page[page.index('for="id_email_address"') :]
    assert message in field[: field.index("</div>\n    <button")]
    if data["email_address"]:
        assert f'value="{data["email_address"]}"' in page  # what was typed stays in the form
    assert not Preference.objects.exists()


def test_staff_have_no_message_settings(client_for, base_user):
    assert client_for(base_user).get(URL).status_code == 403


def test_the_menu_and_the_inbox_lead_learners_to_the_settings(client_for, learner_user, base_user):
    client = client_for(learner_user)
    assert f'href="{URL}"' in client.get(reverse("core:home")).content.decode()
    assert f'href="{URL}"' in client.get(reverse("review:inbox")).content.decode()
    client = client_for(base_user)
    assert f'href="{URL}"' not in client.get(reverse("review:inbox")).content.decode()
