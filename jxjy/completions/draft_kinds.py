"""Which autosave keys a user may keep a draft under (settings JXJY_DRAFT_KINDS): a base's 培训后备案 — step ①
of a new one, step ② of one it may still change."""

from jxjy.core.permissions import allows

from .selectors import completions_visible_to


def completion(user, pk: int | None) -> bool:
    """新增培训后备案 ① ("completion:new") and ② 填写备案 ("completion:<pk>")."""
    if not allows(user, "completions.use"):
        return False
    if pk is None:
        return True
    found = completions_visible_to(user).filter(pk=pk, base_id=user.organisation_id).first()
    return found is not None and found.is_editable
