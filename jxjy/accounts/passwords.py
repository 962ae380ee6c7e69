"""Password rules beyond Django's own (等保三级 §8.1.4.1): length and character classes."""

import re

from django.core.exceptions import ValidationError

CLASSES = (("小写字母", r"[a-z]"), ("大写字母", r"[A-Z]"), ("数字", r"\d"), ("符号", r"[^A-Za-z0-9]"))


class CharacterClassesValidator:
    """At least 3 of 4 classes: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for _, pattern in CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(
                f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。", code="password_classes"
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。"
