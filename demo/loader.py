"""Demo data for `make run`: organisations, the demo accounts and learners, and every document the screens
list, in each of its states. Safe to run again: each part is made only if it is missing."""

from django.db import transaction

from jxjy.accounts.demo_credentials import DEMO_PASSWORD
from jxjy.accounts.models import Organisation, Role
from jxjy.accounts.seed import HR_REGION_NAME, prefecture_bureau_name

from . import accounts
from .filings import load_pre_filings, load_recognitions
from .history import load_history, load_recognised
from .jobs import load_jobs
from .trainings import load_trainings


@transaction.atomic
def load_demo() -> None:
    ops = accounts.ops()
    sysadmin = accounts.staff("admin", "系统管理员", Role.SYSADMIN, ops)
    auditor = accounts.staff("auditor", "审计管理员", Role.AUDITOR, ops)
    secadmin = accounts.staff("secadmin", "安全管理员", Role.SECADMIN, ops)
    rst = accounts.staff("rst_zjc", "专技处审核员", Role.HR_REGION, Organisation.objects.get(name=HR_REGION_NAME))
    wlmq_bureau = Organisation.objects.get(name=prefecture_bureau_name("乌鲁木齐市"))
    wlmq = accounts.staff("wlmq_rsj", "乌鲁木齐市人社局审核员", Role.HR_PREFECTURE, wlmq_bureau)
    departments = accounts.departments()
    slt = accounts.staff("slt", "水利厅审核员", Role.DEPARTMENT, departments["自治区水利厅"])
    bases = accounts.base_users(departments)
    accounts.learners()
    load_pre_filings(base_user=bases["jd_sl"], department_user=slt, hr_user=rst, topic="水利（水电）")
    load_pre_filings(base_user=bases["jd_wlmq"], department_user=slt, hr_user=wlmq, topic="乌鲁木齐市水利")
    load_trainings(bases=bases, hr_users={"jd_sl": rst, "jd_wlmq": wlmq}, password=DEMO_PASSWORD)
    load_history(sl=bases["jd_sl"], wlmq=bases["jd_wlmq"], slt=slt, rst=rst, wlmq_rsj=wlmq)
    load_recognitions(base_user=bases["jd_sl"], hr_user=rst, topic="水利")
    load_recognitions(base_user=bases["jd_wlmq"], hr_user=rst, topic="乌鲁木齐市水利")
    load_recognised(sl=bases["jd_sl"], rst=rst)
    load_jobs(hr_users=[rst, wlmq], auditor=auditor, base_users=list(bases.values()))
    accounts.load_appeal()
    accounts.load_admin_requests(ops, sysadmin=sysadmin, secadmin=secadmin, auditor=auditor)
