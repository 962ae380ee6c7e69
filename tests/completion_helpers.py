"""A 培训后备案 reported with real moves, for tests that need one waiting for its HR reviewer."""

import datetime as dt

from demo import factories as f
from jxjy.completions import scores
from jxjy.completions import services as completions
from jxjy.completions.models import CompletionFiling
from jxjy.core import clock
from jxjy.review import engine


def reported(base, user, *, purpose: str, name: str, n: int) -> CompletionFiling:
    """A class of a `purpose` 申报 that ended two days ago, its one learner scored and the results submitted."""
    end = clock.today() - dt.timedelta(days=2)
    filing = f.approved_filing(base, user, purpose=purpose, planned_count=40, class_name=name,
                               start_date=end - dt.timedelta(days=4), end_date=end)  # fmt: skip
    c = f.published_class(filing, user)
    li = f.learner(n)
    specialty_id, level_id = f.scope_of(c)
    c.registrations.create(
        learner=li, specialty_id=specialty_id, level_id=level_id, status="approved", submitted_at=clock.now(),
        name=li.name, work_unit="单位", current_title="工程师", year=c.years[0],
    )  # fmt: skip
    completion = completions.start(actor=user, training_class=c, name=f"{name}成绩", year=c.years[0])
    scores.import_scores(completion, f.score_file([[li.name, li.id_number, 90, "合格", ""]]), actor=user)
    completions.save_details(completion, actor=user, summary="完成", trained_count=1)
    for kind in completions.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, user, kind)
    engine.perform(completion, "submit", actor=user)
    return completion
