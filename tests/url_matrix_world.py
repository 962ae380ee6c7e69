"""The objects the role × URL matrix points its URLs at, and how a route is filled in (the walk over the
routes is demo/routes.py).

One of each thing a URL can name, all belonging to the regional base `jd_sl` (so its department and
人社厅 review them, and 乌鲁木齐市人社局 stands outside), with the learner 张三 registered, scored,
certified and notified.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from demo import factories as f
from jxjy.accounts.models import Learner, Organisation, Prefecture
from jxjy.api.tokens import create_token
from jxjy.attachments.models import Attachment
from jxjy.catalog.models import Level, Series, Specialty
from jxjy.certificates.models import Certificate
from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.core.models import RuleSetting
from jxjy.filings.models import PreFiling, Purpose
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job
from jxjy.notify.models import Notification
from jxjy.review import engine
from jxjy.trainings.models import Registration


def path_of(route: str, args: dict) -> str:
    """`route` with its <converter:name> parts filled in; a regex route is given its path outright."""
    if "_path" in args:
        return args["_path"]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), route)


@dataclass
class World:
    filing: PreFiling
    recognition: PreFiling
    attachment: Attachment
    training_class: object
    registration: Registration
    completion: object
    score: object
    completion_attachment: Attachment
    certificate: Certificate
    notification: Notification
    year: int
    job: object
    admin_objects: dict
    appeal: object


def build_world(*, base, base_user, department_user, hr_region_user, learner_user, sysadmin_user) -> World:
    filing = f.complete_filing(base, base_user)
    recognition = f.complete_filing(base, base_user, purpose=Purpose.RECOGNITION, planned_count=40)
    c = f.finished_class(base, base_user, learners=1)
    specialty_id, level_id = f.scope_of(c)
    Registration.objects.create(
        learner=learner_user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        status="approved", submitted_at=timezone.now(), name="张三", work_unit="测试单位", current_title="工程师",
        year=c.years[0],
    )  # fmt: skip
    completion = completions.start(actor=base_user, training_class=c, name="水利培训班结业备案", year=c.years[0])
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    scores.import_scores(completion, f.score_file(rows), actor=base_user)
    completions.save_details(completion, actor=base_user, summary="按计划完成。")
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "approve", actor=hr_region_user)
    registration = Registration.objects.get(learner=learner_user.learner)
    rule = RuleSetting.objects.create(key="JXJY_FILING_LEAD_DAYS", value="15")
    job = start_job(kind=JobKind.STATS_EXPORT, actor=hr_region_user, params={"year": c.years[0]})
    token, _ = create_token(
        organisation=base, name="基地业务系统", scopes=["documents:read"],
        expires_at=timezone.now() + dt.timedelta(days=30), actor=sysadmin_user,
    )  # fmt: skip
    admin_objects = {
        "api/apitoken": token.pk,
        "auth/group": Group.objects.create(name="示例组").pk,
        "accounts/prefecture": Prefecture.objects.first().pk,
        "accounts/organisation": base.pk,
        "accounts/user": base_user.pk,
        "accounts/learner": Learner.objects.get(user=learner_user).pk,
        "core/rulesetting": rule.pk,
        "catalog/series": Series.objects.first().pk,
        "catalog/specialty": Specialty.objects.first().pk,
        "catalog/level": Level.objects.first().pk,
        "content_type": ContentType.objects.get_for_model(Organisation).pk,
    }
    return World(
        filing=filing,
        recognition=recognition,
        attachment=filing.attachments.first(),
        training_class=c,
        registration=registration,
        completion=completion,
        score=completion.scores.get(registration=registration),
        completion_attachment=completion.attachments.first(),
        certificate=Certificate.objects.get(learner=learner_user.learner),
        notification=Notification.objects.create(recipient=base_user, title="培训后备案已通过", url="/completions/"),
        year=c.years[0],
        job=job,
        admin_objects=admin_objects,
        appeal=f.identity_appeal(learner_user),
    )
