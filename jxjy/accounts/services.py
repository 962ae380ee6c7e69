"""Creating accounts."""

from django.db import transaction

from jxjy.core import audit
from jxjy.core.identity import gender_from_id, normalize_id_number, normalize_mobile

from .models import Learner, Role, User


@transaction.atomic
def register_learner(*, name: str, id_number: str, mobile: str, work_unit: str, password: str) -> User:
    """注册 a learner; the user name is the normalised 身份证号, 性别 comes from it."""
    id_number = normalize_id_number(id_number)
    mobile = normalize_mobile(mobile)
    user = User(username=id_number, role=Role.LEARNER, full_name=name)
    user.set_password(password)
    user.save()
    Learner.objects.create(
        user=user, name=name, id_number=id_number, mobile=mobile, gender=gender_from_id(id_number), work_unit=work_unit
    )
    audit.record(actor=user, action="学员注册", obj=user)
    return user
