"""Model fields for personal data: an encrypted value and the keyed hash that finds it.

The hash is computed by the field itself when a row is written, so `save()`, `create()` and
`bulk_create()` need nothing extra; `PersonalDataQuerySet` covers `update()` and `bulk_update()`,
and `PersonalDataModel` covers `save(update_fields=…)`.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.utils.translation import gettext as _

from . import pii


class EncryptedCharField(models.CharField):
    """Stored encrypted (SM4-GCM, a new ciphertext each write), read back as the plain value; a Fernet value
    of before 国密 is read too. Its column can't be searched: filter on the matching LookupHashField instead
    (e.g. `Learner.objects.by_id_number`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return pii.encrypt(value) if value else value

    def from_db_value(self, value, expression, connection):
        return pii.decrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            _("%(__name__)s.%(name)s 加密存储，不能按值查询：请按其带密钥的哈希查询。")
            % {"__name__": self.model.__name__, "name": self.name}
        )


class LookupHashField(models.CharField):
    """HMAC-SM3 of another field's value (64 hex digits), for unique constraints and exact lookups."""

    def __init__(self, *args, source: str, purpose: str, **kwargs):
        self.source, self.purpose = source, purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)  # filled in on save: full_clean() of a new row must not refuse it
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def hash_of(self, value: str | None) -> str | None:
        if not value:
            return None if self.null else ""
        return pii.lookup_hash(self.purpose, value)

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def hash_fields(model) -> list[LookupHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, LookupHashField)]


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def personal_data_models() -> list:
    """Every installed model with an encrypted column, in a fixed order."""
    return sorted((m for m in apps.get_models() if encrypted_fields(m)), key=lambda m: m._meta.label)


class PersonalDataQuerySet(models.QuerySet):
    """`update()` and `bulk_update()` keep the hash columns in step with the values they hash."""

    def update(self, **kwargs: Any) -> int:
        for field in hash_fields(self.model):
            if field.source in kwargs and field.name not in kwargs:
                value = kwargs[field.source]
                if value is not None and not isinstance(value, str):
                    raise FieldError(
                        _("%(source)s 只能以具体的值更新（其哈希须同时计算）。") % {"source": field.source}
                    )
                kwargs[field.name] = field.hash_of(value)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs, fields = list(objs), list(fields)
        for field in hash_fields(self.model):
            if field.source in fields and field.name not in fields:
                for obj in objs:
                    field.pre_save(obj, add=False)
                fields.append(field.name)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True


class PersonalDataModel(models.Model):
    """`save(update_fields=[…])` naming an encrypted value also writes its hash."""

    class Meta:
        abstract = True

    def save(self, *args: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        if update_fields is not None:
            update_fields = list(update_fields)
            update_fields += [f.name for f in hash_fields(type(self)) if f.source in update_fields]
        super().save(*args, update_fields=update_fields, **kwargs)
