"""Walk a 培训前备案 along its route with real moves, for tests that need it in a given state."""

from demo import factories as f
from jxjy.filings.application_form import upload_stamped_form
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine

ROUTE = [S.DEPT_REVIEW, S.DEPT_APPROVED, S.HR_REVIEW, S.APPROVED]


def advance(filing, to: str, *, base_user, department_user, hr_user):
    """Move `filing` (a complete draft, or one on its way) forward until it is in state `to`.

    `returned` means returned by the department.
    """
    if to == S.DRAFT:
        return filing
    if filing.status == S.DRAFT:
        engine.perform(filing, "submit", actor=base_user)
    if to == S.RETURNED:
        return engine.perform(filing, "dept_return", actor=department_user, opinion="请补充师资情况")
    steps = {
        S.DEPT_APPROVED: lambda: engine.perform(filing, "dept_approve", actor=department_user),
        S.HR_REVIEW: lambda: (
            upload_stamped_form(filing, actor=department_user, upload=f.upload("盖章申报表.pdf")),
            engine.perform(filing, "forward", actor=department_user),
        ),
        S.APPROVED: lambda: engine.perform(filing, "hr_approve", actor=hr_user),
    }
    for state in ROUTE[1:]:
        if filing.status == to:
            break
        if ROUTE.index(state) <= ROUTE.index(filing.status):
            continue  # already past this step
        steps[state]()
        filing.refresh_from_db()
    return filing
