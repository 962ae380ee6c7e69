"""Log in staff by user name, learners by 身份证号 or 手机号."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from jxjy.core.identity import normalize_id_number, normalize_mobile

from .models import Learner, User


def find_user(login: str) -> User | None:
    """A learner by 身份证号 or 手机号 (through their keyed hashes), else a staff account by user name."""
    login = (login or "").strip()
    learners = Learner.objects.select_related("user")
    for lookup, normalize in ((learners.by_id_number, normalize_id_number), (learners.by_mobile, normalize_mobile)):
        try:
            normalize(login)
        except ValidationError:
            continue
        learner = lookup(login).first()
        if learner is not None:
            return learner.user
    return User.objects.filter(username=login).exclude(role="learner").first()


def find_user_once(request, login: str) -> User | None:
    """find_user, asked once per request and login name: the lockout's key and the password check share it."""
    login = (login or "").strip()
    found = request.__dict__.setdefault("_jxjy_found_users", {}) if request is not None else {}
    if login not in found:
        found[login] = find_user(login)
    return found[login]


class StaffOrLearnerBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_once(request, username)
        if user is None:
            # Spend the same time as a real check so that unknown accounts can't be told apart.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of each request, with the organisation every page names and a learner's own record
        (every learner page reads it), in one query."""
        try:
            user = User._default_manager.select_related("organisation", "learner").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
