"""Which autosave keys a user may keep a draft under (settings JXJY_DRAFT_KINDS): a base's 培训信息 it may still
change (or a new one), and a learner's 报名 form for an open class or a registration of theirs still to change."""

from jxjy.core.permissions import allows

from .models import TrainingClass
from .selectors import classes_visible_to, registrations_visible_to


def training(user, pk: int | None) -> bool:
    """新增 / 修改 培训信息: "training:new", "training:<pk>"."""
    if not allows(user, "trainings.manage"):
        return False
    if pk is None:
        return True
    found = classes_visible_to(user).filter(pk=pk, base_id=user.organisation_id).first()
    return found is not None and found.is_editable


def register(user, class_pk: int | None) -> bool:
    """我要报名 ③ 填写个人报名信息 for a class open now: "register:<class pk>"."""
    if class_pk is None or not allows(user, "trainings.register"):
        return False
    found = TrainingClass.objects.filter(pk=class_pk).first()  # open to every learner while it is open
    return found is not None and found.is_open()


def registration(user, pk: int | None) -> bool:
    """修改 a registration of the learner's own that may still change: "registration:<pk>"."""
    if pk is None or not allows(user, "trainings.register"):
        return False
    found = registrations_visible_to(user).filter(pk=pk).first()  # a learner sees only their own
    return found is not None and found.is_editable
