from django.urls import reverse


def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "自治区人才培养工作信息管理系统登录" in response.content.decode()


def test_base_sees_the_pre_filing_menu_named_for_its_level(client_for, base_user, prefecture_base_user):
    page = client_for(base_user).get(reverse("core:home")).content.decode()
    assert "自治区级基地培训前备案" in page
    page = client_for(prefecture_base_user).get(reverse("core:home")).content.decode()
    assert "地州级基地培训前备案" in page
