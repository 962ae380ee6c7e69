"""Demo history: finished classes with 培训后备案 in every state, certificates for 张三 and 李四, and
学时档案 in which 李四 has one year 达标 and one not (张三 both). Built with the real services and moves,
on the past days on which they would have happened (demo/timeline.py)."""

import datetime as dt

from jxjy.accounts.models import Learner, User
from jxjy.completions import scores, services
from jxjy.completions.models import CompletionFiling
from jxjy.completions.models import CompletionStatus as S
from jxjy.core import clock
from jxjy.filings.models import PreFiling, Purpose
from jxjy.review import engine
from jxjy.review.workflows import Action
from jxjy.trainings.models import TrainingClass

from . import factories as f
from .filings import approved_filing, attach_pdf, recognition
from .timeline import days_ago
from .trainings import approve_and_open, new_class, register


def history_class(filing: PreFiling, base_user: User, hr_user: User, *, year: int) -> TrainingClass:
    """A published class of `filing` whose hours count in `year`, open for registration for five days from now."""
    now = clock.now()
    c = new_class(
        filing, base_user, years=[year], years_start=year, reg_start=now, reg_end=now + dt.timedelta(days=5),
        resubmit_deadline=now + dt.timedelta(days=6), seat_limit=0, contact_phone=filing.office_phone,
    )  # fmt: skip
    return approve_and_open(c, base_user=base_user, hr_user=hr_user)


def enrol(c: TrainingClass, learners: list[Learner], base_user: User) -> None:
    for learner in learners:
        engine.perform(register(learner, c), "approve", actor=base_user)


def complete(c, base_user, hr_user, results: dict[str, tuple[int, str]], state: str) -> CompletionFiling:
    """The class's 培训后备案, taken to `state`; everyone 85 合格 unless `results` says otherwise."""
    suffix = "学员成绩" if c.pre_filing.purpose == Purpose.RECOGNITION else "结业备案"
    completion = services.start(actor=base_user, training_class=c, name=f"{c.pre_filing.class_name[:40]}{suffix}",
                                year=c.years[0])  # fmt: skip
    services.save_details(completion, actor=base_user, summary="培训按计划完成，学员出勤良好，考核已结束。")
    regs = list(scores.approved_registrations(completion))
    if state == S.DRAFT:
        return completion  # stopped at step ③, before importing the scores
    rows = [[r.name, r.learner.id_number, *results.get(r.name, (85, "合格")), ""] for r in regs]
    scores.import_scores(completion, f.score_file(rows, headers=scores.HEADERS), actor=base_user)
    for kind in services.REQUIRED_ATTACHMENTS:
        attach_pdf(completion, kind, base_user)
    engine.perform(completion, Action.SUBMIT, actor=base_user)
    if state == S.RETURNED:
        engine.perform(
            completion, "return", actor=hr_user, opinion="签到表缺少第二天下午的签到记录，请补充后重新提交。"
        )
    elif state == S.APPROVED:
        engine.perform(completion, Action.APPROVE, actor=hr_user, opinion="同意备案。")
    return completion


def load_history(*, sl: User, wlmq: User, slt: User, rst: User, wlmq_rsj: User) -> None:
    """Once: three finished, approved classes with certificates, and recent ones in the other states."""
    if CompletionFiling.objects.exists():
        return
    zhang, li = Learner.objects.get(name="张三"), Learner.objects.get(name="李四")
    wang = Learner.objects.get(name="王五")
    this_year = clock.this_year()
    plans = [
        # (days ago filed, base, HR, name, subject, hours, certificate year, learners, results, state)
        (130, sl, rst, "水利工程建设管理专题培训班", "professional", 64, this_year - 1, [zhang, li, wang],
         {"王五": (52, "不合格")}, S.APPROVED),
        (120, wlmq, wlmq_rsj, "城镇供水水质检测技术培训班", "professional", 24, this_year - 1, [zhang, wang], {},
         S.APPROVED),
        (110, wlmq, wlmq_rsj, "专业技术人员职业道德与法治素养公需课", "public", 30, this_year - 1, [zhang, li], {},
         S.APPROVED),
        (90, sl, rst, "专业技术人员数字素养与技能提升公需课", "public", 30, this_year, [zhang, li, wang], {},
         S.APPROVED),
        (70, sl, rst, "智慧水利与数字孪生技术培训班", "professional", 40, this_year, [zhang], {}, S.APPROVED),
        (24, sl, rst, "水旱灾害防御能力提升培训班", "professional", 24, this_year, [li, wang], {}, S.RETURNED),
        (23, wlmq, wlmq_rsj, "城市供排水工程运行管理培训班", "professional", 32, this_year, [zhang, wang], {},
         S.HR_REVIEW),
        (23, sl, rst, "水资源节约集约利用培训班", "professional", 24, this_year, [wang], {}, S.HR_REVIEW),
        (22, sl, rst, "水土保持监测技术培训班", "professional", 16, this_year, [li], {}, S.DRAFT),
    ]  # fmt: skip
    for days, base_user, hr_user, name, subject, hours, year, learners, results, state in plans:
        with days_ago(days):
            filing = approved_filing(base_user, slt, hr_user, name=name, subject=subject, hours=hours,
                                     start=clock.today() + dt.timedelta(days=16))  # fmt: skip
            c = history_class(filing, base_user, hr_user, year=year)
            enrol(c, learners, base_user)
        with days_ago(days - 20):  # the class ended the day before (16 + 4 days after filing)
            complete(c, base_user, hr_user, results, state)


def approved_recognition(sl: User, rst: User, *, name: str, start: dt.date, hours: int = 24) -> PreFiling:
    filing = recognition(sl, name=name, start=start, hours=hours)
    engine.perform(filing, Action.SUBMIT, actor=sl)
    engine.perform(filing, Action.HR_APPROVE, actor=rst, opinion="同意开展学时认定培训。")
    return filing


def load_recognised(*, sl: User, rst: User) -> None:
    """Once: jd_sl's 学时认定 past 审核通过: one with hours recognised for 张三, 李四 and 王五, one whose results
    are 报送 and wait for 专技处, and one open for registration with 王五's registration waiting."""
    if CompletionFiling.objects.filter(training_class__pre_filing__purpose=Purpose.RECOGNITION).exists():
        return
    zhang, li, wang = (Learner.objects.get(name=n) for n in ("张三", "李四", "王五"))
    year = clock.this_year()
    plans = [
        # (days ago filed, name, hours, learners, state of the results' 备案)
        (95, f"{year}年水利工程运行管理学时认定培训班", 24, [zhang, li, wang], S.APPROVED),
        (25, f"{year}年河湖长制业务学时认定培训班", 16, [zhang, li], S.HR_REVIEW),
    ]
    for days, name, hours, learners, state in plans:
        with days_ago(days):
            filing = approved_recognition(sl, rst, name=name, start=clock.today() + dt.timedelta(days=16), hours=hours)
            c = history_class(filing, sl, rst, year=year)
            enrol(c, learners, sl)
        with days_ago(days - 20):  # the class ended two days before (16 + 2 days after filing)
            complete(c, sl, rst, {}, state)
    filing = approved_recognition(sl, rst, name=f"{year}年水利工程质量检测学时认定培训班",
                                  start=clock.today() + dt.timedelta(days=20))  # fmt: skip
    register(wang, history_class(filing, sl, rst, year=year))
