"""The statistics' running totals (jxjy/stats/totals.py) equal a direct count of the facts after anything the
services do: issuing (培训后备案, 学时认定, the platforms' import), 撤销 and 换发, review moves of filings, classes
and registrations — in any order (a property test), at once (PostgreSQL), and after an upgrade (the data
migration). `manage.py rebuild_stats --check` says in Chinese where they differ."""

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Sum
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from demo import factories as f
from jxjy.accounts.models import Organisation, Role
from jxjy.certificates import services as certificates
from jxjy.certificates.models import Certificate
from jxjy.certificates.services import Facts, issue_many
from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.filings.models import PreFiling
from jxjy.filings.workflow import hr_reviewer
from jxjy.hours.models import Credit
from jxjy.review import engine
from jxjy.stats import services, totals
from jxjy.stats.models import LearnerBase, LearnerCount, LearnerYear, Total
from jxjy.trainings import services as trainings
from jxjy.trainings.models import Registration, TrainingClass

from .api.conftest import new_token
from .review_helpers import advance

HOURS = [Decimal(h) for h in ("0.5", "8", "19.5", "20", "24.5", "40")]
KINDS = ["professional", "public"]


def assert_totals_equal_counts(users) -> None:
    """The check of `rebuild_stats --check`, and every figure of the page, in every year with facts, equal to
    the direct count the page used to make."""
    result = totals.check()
    assert result.ok, "\n".join(map(str, result.differences))
    years = {clock.this_year()}
    for model, path in ((PreFiling, "year"), (Registration, "year"), (Certificate, "year"), (Credit, "year")):
        years |= set(model.objects.exclude(year=None).values_list(path, flat=True))
    for user in users:
        for year in years:
            kept, counted = services.figures(user, year), services.counted_figures(user, year)
            assert nonzero(kept.grouped) == nonzero(counted.grouped), (user, year)
            assert (kept.met, kept.learners) == (counted.met, counted.learners), (user, year)


def kept(year: int, base, *fields: str) -> tuple:
    sums = Total.objects.filter(year=year, base=base).aggregate(*[Sum(name) for name in fields])
    return tuple(sums[f"{name}__sum"] for name in fields)


def nonzero(grouped: dict) -> dict:
    return {metric: {k: v for k, v in by_key.items() if v} for metric, by_key in grouped.items()}


@dataclass
class World:
    """Two bases (a regional one in 乌鲁木齐 and a prefecture-level one in 喀什), each with two approved classes
    open for registration (one of a filing of next month, one of a filing of over a year ago), learners, an
    online platform, and the HR reviewers."""

    bases: list
    base_users: dict  # base pk -> its user
    reviewers: dict  # HR organisation pk -> a user of it
    hr_users: list  # whose statistics are compared
    classes: list[int]
    learners: list
    platform: Organisation

    def user_of(self, organisation_id: int):
        return self.reviewers.get(organisation_id) or self.base_users[organisation_id]


@pytest.fixture
def world(db, department, hr_region_user, hr_prefecture_user, other_hr_prefecture_user, settings):
    settings.JXJY_YEARLY_HOURS, settings.JXJY_PROFESSIONAL_SHARE = 40, 0.5  # 40 hours, 20 of them 专业科目
    regional = f.BaseFactory(name="自治区级基地", level=Organisation.Level.REGIONAL, department=department)
    kashgar = f.BaseFactory(name="喀什地州级基地", level=Organisation.Level.PREFECTURE,
                            prefecture=f.prefecture("喀什地区"), department=department)  # fmt: skip
    base_users, classes = {}, []
    for base in (regional, kashgar):
        user = base_users[base.pk] = f.UserFactory(role=Role.BASE, organisation=base)
        for start in (clock.today() + dt.timedelta(days=30), clock.today() - dt.timedelta(days=400)):
            c = f.published_class(f.approved_filing(base, user, start_date=start), user)
            classes.append(c.pk)
    totals.rebuild()  # the factories set 审核通过 directly
    reviewers = {u.organisation_id: u for u in (hr_region_user, hr_prefecture_user, other_hr_prefecture_user)}
    platform = Organisation.objects.create(name="在线学习平台", kind=Organisation.Kind.PLATFORM)
    return World(
        bases=[regional, kashgar], base_users=base_users, reviewers=reviewers,
        hr_users=[hr_region_user, hr_prefecture_user, other_hr_prefecture_user], classes=classes,
        learners=[f.learner(8100 + i) for i in range(4)], platform=platform,
    )  # fmt: skip


class Run:
    """One example's changes, each made through the services as a user would; refusals are part of the game."""

    def __init__(self, world: World):
        self.w = world
        self.keys = count()

    def _pick(self, qs, i: int):
        rows = list(qs.order_by("pk"))
        return rows[i % len(rows)] if rows else None

    def do(self, step: tuple) -> None:
        try:
            with transaction.atomic():
                getattr(self, step[0])(*step[1:])
        except DomainError:
            event(f"{step[0]}: refused")  # --hypothesis-show-statistics shows how often
        else:
            event(f"{step[0]}: done")

    def start(self, learner: int, klass: int) -> None:
        learner = self.w.learners[learner % len(self.w.learners)]
        c = TrainingClass.objects.get(pk=self.w.classes[klass % len(self.w.classes)])
        specialty_id, level_id = f.scope_of(c)
        details = {"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}
        reg = trainings.start_registration(learner=learner, training_class=c, specialty_id=specialty_id,
                                           level_id=level_id, details=details, package_course_ids=[])  # fmt: skip
        trainings.submit_registration(reg, actor=learner.user)

    def move_registration(self, i: int, action: str) -> None:
        reg = self._pick(Registration.objects.select_related("learner__user", "training_class"), i)
        if reg is None:
            return
        by_learner = action in ("submit", "withdraw")
        actor = reg.learner.user if by_learner else self.w.base_users[reg.training_class.base_id]
        opinion = "请补充材料" if action == "return" else ""
        if action == "submit":
            trainings.submit_registration(reg, actor=actor)
        else:
            engine.perform(reg, action, actor=actor, opinion=opinion)

    def move_class(self, i: int, choice: int) -> None:
        c = TrainingClass.objects.select_related("pre_filing__base").get(pk=self.w.classes[i % len(self.w.classes)])
        base_user, hr = self.w.base_users[c.base_id], self.w.reviewers[hr_reviewer(c.pre_filing).pk]
        action, actor = {
            "approved": ("request_change", base_user),
            "change_requested": (("agree_change", "refuse_change")[choice % 2], hr),
            "changing": ("submit", base_user),
            "returned": ("submit", base_user),
            "hr_review": (("approve", "return")[choice % 2], hr),
        }[c.status]
        engine.perform(c, action, actor=actor, opinion="变更报名时间" if action != "approve" else "")
        if action == "approve":
            trainings.set_published(c, actor=base_user, published=True)

    def issue(self, picks: list[tuple[int, int, int, int]]) -> None:
        """Certificates for registrations (in any state), like a 培训后备案 of several learners at once."""
        regs = list(Registration.objects.select_related("learner", "training_class__base").order_by("pk"))
        if not regs:
            return
        facts = []
        for reg_i, kind, hours, year_shift in picks:
            r = regs[reg_i % len(regs)]
            base = r.training_class.base
            issuer = hr_reviewer(r.training_class.pre_filing)
            facts.append(Facts(source_key=f"t:{next(self.keys)}", learner=r.learner, kind=KINDS[kind % 2],
                               year=r.year - year_shift % 2, hours=HOURS[hours % len(HOURS)], class_name="班",
                               base=base, base_name=base.name, scope="", issuer=issuer, source_label="培训后备案",
                               registration=r))  # fmt: skip
        issue_many(facts)

    def recognise(self, learner: int, base: int, hours: int, year_shift: int) -> None:
        """Hours credited without a registration: a platform's 公需课 (the API's import) or a base's 学时认定."""
        learner = self.w.learners[learner % len(self.w.learners)]
        if base % 3 == 2:
            base, kind, label = self.w.platform, "public", "在线学习平台"
        else:
            base, kind, label = self.w.bases[base % 3], "professional", "学时认定"
        year = clock.this_year() - year_shift % 2
        issue_many([Facts(source_key=f"r:{next(self.keys)}", learner=learner, kind=kind, year=year,
                          hours=HOURS[hours % len(HOURS)], class_name="认定", base=base, base_name=base.name, scope="",
                          issuer=f.hr_region(), source_label=label)])  # fmt: skip

    def revoke(self, i: int, reissue: bool) -> None:
        cert = self._pick(Certificate.objects.all(), i)
        if cert is None:
            return
        actor = self.w.user_of(cert.issuer_id)
        (certificates.reissue if reissue else certificates.revoke)(cert, actor=actor, reason="信息有误")

    def recognition_filing(self, base: int, kind: int, how_far: int) -> None:
        base = self.w.bases[base % 2]
        user = self.w.base_users[base.pk]
        filing = f.complete_filing(base, user, purpose="recognition", planned_count=20, subject_kind=KINDS[kind % 2])
        filing.teachers.all().delete()
        engine.perform(filing, "submit", actor=user)
        hr = self.w.reviewers[hr_reviewer(filing).pk]
        if how_far % 3:
            engine.perform(filing, "hr_approve" if how_far % 3 == 1 else "hr_return", actor=hr, opinion="意见")


i = st.integers(0, 50)
STEPS = st.one_of(
    st.tuples(st.just("start"), i, i),
    st.tuples(st.just("move_registration"), i, st.sampled_from(["approve", "approve", "return", "withdraw", "submit"])),
    st.tuples(st.just("move_class"), i, i),
    st.tuples(st.just("issue"), st.lists(st.tuples(i, i, i, i), min_size=1, max_size=4)),
    st.tuples(st.just("recognise"), i, i, i, i),
    st.tuples(st.just("revoke"), i, st.booleans()),
    st.tuples(st.just("recognition_filing"), i, i, i),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(STEPS, min_size=1, max_size=20))
def test_any_sequence_of_changes_keeps_the_totals_equal_to_the_counts(world, steps):
    with transaction.atomic():
        run = Run(world)
        for step in steps:
            run.do(step)
        assert_totals_equal_counts(world.hr_users)
        transaction.set_rollback(True)  # the next example starts from the same world


@pytest.mark.date_sweep("ordinary", "new-year")
def test_the_whole_route_keeps_the_totals(request, client, base, base_user, department_user, hr_region_user,
                                          hr_prefecture_user, sysadmin_user):  # fmt: skip
    """备案 → 培训信息 → 报名 → 培训后备案 → certificates → 换发 and 撤销 → a platform's import → 报名时间变更,
    with real moves only: after each step the totals equal the counts."""
    users = [hr_region_user, hr_prefecture_user]
    filing = advance(f.complete_filing(base, base_user), "approved", base_user=base_user,
                     department_user=department_user, hr_user=hr_region_user)  # fmt: skip
    c = f.published_class(filing, base_user, status="draft", published=False)
    engine.perform(c, "submit", actor=base_user)
    engine.perform(c, "approve", actor=hr_region_user)
    c = trainings.set_published(c, actor=base_user, published=True)
    assert kept(filing.year, base, "filings", "classes") == (1, 1)
    assert_totals_equal_counts(users)

    people = [f.learner(8200 + n) for n in range(3)]
    specialty_id, level_id = f.scope_of(c)
    regs = []
    for person in people:
        details = {"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}
        reg = trainings.start_registration(learner=person, training_class=c, specialty_id=specialty_id,
                                           level_id=level_id, details=details, package_course_ids=[])  # fmt: skip
        regs.append(trainings.submit_registration(reg, actor=person.user))
    engine.perform(regs[0], "approve", actor=base_user)
    engine.perform(regs[1], "approve", actor=base_user)
    engine.perform(regs[2], "withdraw", actor=people[2].user)
    assert_totals_equal_counts(users)

    request.getfixturevalue("clock").shift(dt.timedelta(days=40))  # the class has ended
    completion = completions.start(actor=base_user, training_class=c, name="培训后备案", year=c.years[0])
    rows = [[p.name, p.id_number, 90, "合格", ""] for p in people[:2]]
    scores.import_scores(completion, f.score_file(rows), actor=base_user)
    completions.save_details(completion, actor=base_user, summary="完成")
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "approve", actor=hr_region_user)
    first, second = Certificate.objects.filter(base=base).order_by("pk")
    assert_totals_equal_counts(users)

    certificates.reissue(first, actor=hr_region_user, reason="姓名更正")
    certificates.revoke(second, actor=hr_region_user, reason="信息有误")
    assert_totals_equal_counts(users)

    platform = Organisation.objects.create(name="在线学习平台", kind=Organisation.Kind.PLATFORM)
    token = new_token(platform, ["completions:import"], sysadmin_user)
    record = {"record_id": "R-1", "id_number": people[0].id_number, "name": people[0].name, "course": "公需课",
              "hours": 6.5, "completed_on": clock.today().isoformat()}  # fmt: skip
    response = client.post(reverse("api:import"), {"records": [record]}, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 200, response.content
    assert_totals_equal_counts(users)

    engine.perform(c, "request_change", actor=base_user, opinion="延长报名时间")
    assert kept(filing.year, base, "classes") == (0,)
    assert_totals_equal_counts(users)


@pytest.fixture
def issued(db, base, base_user, hr_region_user):
    """Two learners with certificates of `base`, through the service."""
    c = f.finished_class(base, base_user, learners=2)
    totals.rebuild()
    issue_many([
        Facts(source_key=f"k:{r.pk}", learner=r.learner, kind="professional", year=r.year, hours=Decimal("40.5"),
              class_name="班", base=base, base_name=base.name, scope="", issuer=hr_region_user.organisation,
              source_label="培训后备案", registration=r)
        for r in Registration.objects.filter(training_class=c)
    ])  # fmt: skip
    return c


def test_check_passes_when_the_totals_equal_the_counts(issued, capsys):
    call_command("rebuild_stats", "--check")
    assert "统计汇总与直接统计一致" in capsys.readouterr().out


def test_check_names_each_difference_in_chinese_and_fails(issued, capsys):
    Total.objects.filter(certificates__gt=0).update(certificates=F("certificates") + 1)
    LearnerYear.objects.filter(pk=LearnerYear.objects.order_by("pk")[0].pk).update(public_tenths=65)
    LearnerBase.objects.order_by("pk")[0].delete()
    LearnerCount.objects.filter(scope=0).update(learners=F("learners") + 1)  # 全区
    with pytest.raises(CommandError) as failed:
        call_command("rebuild_stats", "--check")
    assert failed.value.returncode == 1  # manage.py exits with it
    assert str(failed.value) == (
        "统计汇总与直接统计不一致：统计汇总 1 行，学员年度学时 1 行，学员培训基地 1 行，学员学时分布 1 行。"
        "运行 manage.py rebuild_stats 可重新计算。"
    )
    out = capsys.readouterr().out
    year = issued.years[0]
    assert (
        f"{year}年 新疆水利水电继续教育基地 工程系列·水利专业 专业科目：有效电子证书，汇总表为 3，直接统计为 2" in out
    )
    assert "公需科目学时，汇总表为 6.5，直接统计为 0" in out
    assert "在该基地取得学时（计入达标率），汇总表为 无，直接统计为 有" in out
    assert f"{year}年 全区 公需科目 0 学时、专业科目 40.5 学时：学员数，汇总表为 3，直接统计为 2" in out

    call_command("rebuild_stats")
    assert (
        "统计汇总已重新计算：汇总 2 行，学员年度学时 2 行，学员培训基地 2 行，学员学时分布 2 行"
        in capsys.readouterr().out
    )
    call_command("rebuild_stats", "--check")


def test_rebuild_counts_what_was_loaded_around_the_services(issued, base, hr_region_user):
    """Rows written straight into the tables (a bulk load, a repair by hand) count after a rebuild."""
    Registration.objects.filter(training_class=issued).update(status="returned")
    assert not totals.check().ok
    totals.rebuild()
    assert totals.check().ok
    assert services.overview(hr_region_user, issued.years[0])["registrations"] == 0


def test_moving_a_base_to_another_prefecture_recounts_once_it_commits(issued, base, django_capture_on_commit_callbacks):
    other = f.prefecture("喀什地区")
    base.name = "改了名称"  # a change the totals do not depend on queues nothing
    with django_capture_on_commit_callbacks() as queued:
        base.save()
    assert queued == []
    base.prefecture = other
    with django_capture_on_commit_callbacks(execute=True) as queued:
        base.save()
    assert len(queued) == 1 and totals.check().ok  # the worker (immediate here) recounted


def test_the_page_shows_a_change_at_once(issued, base, client_for, hr_region_user):
    year = issued.years[0]
    assert services.overview(hr_region_user, year)["certificates"] == 2
    cert = Certificate.objects.filter(base=base).first()
    certificates.revoke(cert, actor=hr_region_user, reason="信息有误")
    assert services.overview(hr_region_user, year)["certificates"] == 1
    assert services.overview(hr_region_user, year)["hours"] == Decimal("40.5")


# ---- the data migration ----


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_totals_of_existing_data(base, base_user, hr_region_user):
    c = f.finished_class(base, base_user, learners=3)  # written directly, as before the upgrade
    for r in Registration.objects.filter(training_class=c):
        issue_many([Facts(source_key=f"m:{r.pk}", learner=r.learner, kind="professional", year=r.year,
                          hours=Decimal(24), class_name="班", base=base, base_name=base.name, scope="",
                          issuer=hr_region_user.organisation, source_label="培训后备案", registration=r)])  # fmt: skip
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([("stats", None)])  # as if the statistics tables had never been
    _migrate(latest)
    assert totals.check().ok
    overview = services.overview(hr_region_user, c.years[0])
    assert (overview["registrations"], overview["certificates"], overview["hours"]) == (3, 3, 72)


# ---- at the same moment (PostgreSQL) ----


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_revocations_and_approvals_add_up(base, base_user, hr_region_user):
    """Eight transactions at once issue, revoke, 换发 and approve at the same base for the same learners."""
    c = f.finished_class(base, base_user, learners=8)
    regs = list(Registration.objects.filter(training_class=c).select_related("learner"))
    specialty_id, level_id = f.scope_of(c)
    waiting = []
    for r in regs:
        waiting.append(Registration.objects.create(
            learner=r.learner, training_class=f.published_class(f.approved_filing(base, base_user), base_user),
            specialty_id=specialty_id, level_id=level_id, status="submitted", holder=base, submitted_at=clock.now(),
            name=r.name, work_unit="单位", current_title="工程师", year=r.year,
        ))  # fmt: skip
    totals.rebuild()
    barrier, errors = threading.Barrier(len(regs)), []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            # Every learner's year and the base's row are touched by every thread.
            facts = [Facts(source_key=f"c:{n}:{r.pk}", learner=r.learner, kind="professional", year=r.year,
                           hours=Decimal("1.5"), class_name="班", base=base, base_name=base.name, scope="",
                           issuer=hr_region_user.organisation, source_label="培训后备案", registration=r)
                     for r in regs[n:] + regs[:n]]  # fmt: skip
            mine = issue_many(facts)
            certificates.revoke(mine[0], actor=hr_region_user, reason="撤销")
            certificates.reissue(mine[1], actor=hr_region_user, reason="换发")
            engine.perform(waiting[n], "approve", actor=base_user)
        except Exception as e:  # reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(regs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    result = totals.check()
    assert result.ok, "\n".join(map(str, result.differences))
    overview = services.overview(hr_region_user, c.years[0])
    assert (overview["certificates"], overview["registrations"]) == (8 * 8 - 8, 16)
    assert overview["hours"] == Decimal("1.5") * (8 * 8 - 8)
