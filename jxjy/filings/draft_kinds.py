"""Which autosave keys a user may keep a draft under (settings JXJY_DRAFT_KINDS): the base's own filings
that it may still change, and a new one of each kind for a base account."""

from jxjy.accounts.models import Role

from .models import Purpose
from .selectors import pre_filings_visible_to


def _may_edit(user, pk: int | None, purpose: str) -> bool:
    if user.role != Role.BASE:
        return False
    if pk is None:
        return True
    filing = pre_filings_visible_to(user).filter(pk=pk, purpose=purpose).first()
    return filing is not None and filing.is_editable


def prefiling(user, pk: int | None) -> bool:
    """The 培训前备案 form: "prefiling:<pk>", "prefiling:new"."""
    return _may_edit(user, pk, Purpose.FILING)


def recognition(user, pk: int | None) -> bool:
    """The 学时认定 form: "recognition:<pk>", "recognition:new"."""
    return _may_edit(user, pk, Purpose.RECOGNITION)
