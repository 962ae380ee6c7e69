"""The reviewer screens and the base's 备案进度查询, through the views."""

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.filings.models import PreFilingStatus as S

from .review_helpers import advance


@pytest.fixture
def submitted(filing, base_user, department_user, hr_region_user):
    return advance(filing, S.DEPT_REVIEW, base_user=base_user, department_user=department_user, hr_user=hr_region_user)


def test_department_menu_counts_what_waits_and_lists_it(client_for, department_user, submitted):
    client = client_for(department_user)
    home = client.get(reverse("core:home")).content.decode()
    assert "培训前备案审核" in home and '<span class="badge">1</span>' in home
    page = client.get(reverse("review:waiting", args=["prefiling"])).content.decode()
    assert submitted.class_name in page and "新疆水利水电继续教育基地" in page


def test_department_opens_every_field_and_can_pass_or_return(client_for, department_user, submitted):
    page = client_for(department_user).get(reverse("filings:detail", args=[submitted.pk])).content.decode()
    for text in [
        "水利工程建设管理",
        "赵老师",
        "水利工程管理",
        "继续教育培训实施方案.pdf",
        "工程系列 &gt; 水利专业 &gt; 工程师",
    ]:
        assert text in page
    assert ">通过</button>" in page and ">退回</button>" in page


def test_return_without_opinion_shows_message_and_changes_nothing(client_for, department_user, submitted):
    client = client_for(department_user)
    url = reverse("review:act", args=["prefiling", submitted.pk, "dept_return"])
    response = client.post(url, {"opinion": ""}, follow=True)
    assert "请填写审核意见" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.DEPT_REVIEW


def test_base_sees_the_return_and_its_opinion_in_the_audit_log(client_for, base_user, department_user, submitted):
    client_for(department_user).post(
        reverse("review:act", args=["prefiling", submitted.pk, "dept_return"]), {"opinion": "请补充培训教材版本"}
    )
    client = client_for(base_user)
    listing = client.get(reverse("filings:list")).content.decode()
    assert "已退回" in listing and "修改" in listing
    page = client.get(reverse("filings:detail", args=[submitted.pk])).content.decode()
    assert "审核日志" in page and "回退，修改意见：" in page and "请补充培训教材版本" in page


def test_search_filters_the_done_list(client_for, department_user, base_user, hr_region_user, base):
    first = f.complete_filing(base, base_user, class_name="水利安全生产培训班")
    second = f.complete_filing(base, base_user, class_name="林业调查规划培训班")
    for filing in (first, second):
        advance(filing, S.HR_REVIEW, base_user=base_user, department_user=department_user, hr_user=hr_region_user)
    client = client_for(department_user)
    page = client.get(reverse("review:done", args=["prefiling"]), {"keyword": "林业"}).content.decode()
    assert "林业调查规划培训班" in page and "水利安全生产培训班" not in page
    page = client.get(reverse("review:done", args=["prefiling"]), {"status": S.HR_REVIEW}).content.decode()
    assert "林业调查规划培训班" in page and "水利安全生产培训班" in page


def test_forward_goes_to_hr_region_and_only_it_sees_it(
    client_for, department_user, base_user, hr_region_user, hr_prefecture_user, submitted
):
    advance(submitted, S.DEPT_APPROVED, base_user=base_user, department_user=department_user, hr_user=hr_region_user)
    client = client_for(department_user)
    response = client.post(
        reverse("filings:forward", args=[submitted.pk]), {"stamped_form": f.upload("盖章申报表.pdf")}, follow=True
    )
    assert "已提交至自治区人力资源和社会保障厅专业技术人员管理处审核" in response.content.decode()
    waiting = client_for(hr_region_user).get(reverse("review:waiting", args=["prefiling"])).content.decode()
    assert submitted.class_name in waiting
    other = client_for(hr_prefecture_user).get(reverse("review:waiting", args=["prefiling"])).content.decode()
    assert submitted.class_name not in other


def test_forward_refuses_a_scan_that_is_not_a_pdf_or_image(client_for, department_user, base_user, submitted):
    advance(submitted, S.DEPT_APPROVED, base_user=base_user, department_user=department_user, hr_user=None)
    response = client_for(department_user).post(
        reverse("filings:forward", args=[submitted.pk]),
        {"stamped_form": f.upload("盖章申报表.pdf", b"MZ\x90\x00" + b"\x00" * 100)},
        follow=True,
    )
    assert "类型不符合要求" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.DEPT_APPROVED and not submitted.attachments.filter(kind="stamped_form").exists()
