"""Password rules beyond Django's own (等保三级 §8.1.4.1): character classes, history, expiry."""

import datetime as dt
import re
import secrets
import string

from django.contrib.auth import password_validation as django_rules
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from jxjy.core import clock

CLASSES = (
    (gettext_lazy("小写字母"), r"[a-z]"),
    (gettext_lazy("大写字母"), r"[A-Z]"),
    (gettext_lazy("数字"), r"\d"),
    (gettext_lazy("符号"), r"[^A-Za-z0-9]"),
)


# Django's own rules, in Chinese: its zh_Hans catalogue lacks the wording Django 5 uses for some of them, so
# a user met "This password is too short. It must contain at least 8 characters." (settings.AUTH_PASSWORD_VALIDATORS).
class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return gettext("密码太短，至少需要%(min_length)s个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return gettext("密码至少需要%(min_length)s个字符。") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return gettext("密码与%(verbose_name)s太相似。")

    def get_help_text(self) -> str:
        return gettext("密码不能与您的其他个人信息太相似。")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return gettext("这个密码太常见了。")

    def get_help_text(self) -> str:
        return gettext("密码不能是常用密码。")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return gettext("密码不能全是数字。")

    def get_help_text(self) -> str:
        return gettext("密码不能全是数字。")


class CharacterClassesValidator:
    """At least 3 of 4 classes: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for _, pattern in CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(
                (
                    gettext("密码须至少包含小写字母、大写字母、数字、符号中的%(min_classes)s类。")
                    % {"min_classes": self.min_classes}
                ),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return gettext("密码须至少包含小写字母、大写字母、数字、符号中的%(min_classes)s类。") % {
            "min_classes": self.min_classes
        }


class PasswordHistoryValidator:
    """The new password may not be any of the last `keep` ones (the current one included)."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        for old in user.password_history.values_list("password", flat=True)[: self.keep]:
            if check_password(password, old):
                raise ValidationError(
                    (gettext("新密码不能与最近%(keep)s次使用过的密码相同。") % {"keep": self.keep}),
                    code="password_reused",
                )

    def password_changed(self, password: str, user=None) -> None:
        """Django calls this after saving a new password: keep its hash and restart the expiry clock."""
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        now = clock.now()
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self) -> str:
        return gettext("新密码不能与最近%(keep)s次使用过的密码相同。") % {"keep": self.keep}


MAX_AGE_READ = "_jxjy_password_max_age_days"


def password_max_age_days(user) -> int:
    """The 安全管理员's JXJY_PASSWORD_MAX_AGE_DAYS, read once per user object, that is once per request: the
    gate, the page's menu and the change page all ask."""
    from jxjy.core.rules import rule

    days = getattr(user, MAX_AGE_READ, None)
    if days is None:
        days = rule("JXJY_PASSWORD_MAX_AGE_DAYS")
        setattr(user, MAX_AGE_READ, days)
    return days


def password_expired(user) -> bool:
    """Staff passwords last JXJY_PASSWORD_MAX_AGE_DAYS days (a 安全管理员 setting); learners' do not expire."""
    if user.is_learner:
        return False
    changed = user.password_changed_at or user.date_joined
    return clock.now() - changed > dt.timedelta(days=password_max_age_days(user))


def must_change_password(user) -> bool:
    return user.must_change_password or password_expired(user)


def temporary_password() -> str:
    """A random password that passes every rule: 12 characters from all four classes."""
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "@#%+=?"]
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice("".join(pools)) for _ in range(8)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
