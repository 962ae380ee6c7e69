"""Creating accounts."""

import secrets

from django.db import transaction

from jxjy.core import audit
from jxjy.core.identity import gender_from_id, normalize_id_number, normalize_mobile

from .models import Learner, Role, User


def new_learner_username() -> str:
    """A learner's user name: random, so that the user table holds no 身份证号 (they log in with it anyway)."""
    return f"xy{secrets.token_hex(8)}"


@transaction.atomic
def register_learner(*, name: str, id_number: str, mobile: str, work_unit: str, password: str) -> User:
    """注册 a learner (身份证号 and 手机号 stored encrypted); 性别 comes from the 身份证号."""
    id_number = normalize_id_number(id_number)
    mobile = normalize_mobile(mobile)
    user = User(username=new_learner_username(), role=Role.LEARNER, full_name=name)
    user.set_password(password)
    user.save()
    Learner.objects.create(
        user=user, name=name, id_number=id_number, mobile=mobile, gender=gender_from_id(id_number), work_unit=work_unit
    )
    audit.record(actor=user, action="学员注册", obj=user)
    return user
