"""After a new JXJY_PII_KEY (the old one moved to JXJY_PII_OLD_KEYS): rewrite every encrypted value and
its lookup hash under the new key. Rows are rewritten in batches; running it again is harmless."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jxjy.core.fields import EncryptedCharField, hash_fields

BATCH = 500


def encrypted_models():
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "用当前的 JXJY_PII_KEY 重新加密全部个人信息并重算查询哈希（更换密钥后运行）。"

    def handle(self, *args, **options):
        for model, fields in encrypted_models():
            hashes = [f for f in hash_fields(model) if f.source in fields]
            queryset = model._default_manager.order_by("pk")
            done, last = 0, 0
            while batch := list(queryset.filter(pk__gt=last)[:BATCH]):
                for obj in batch:  # read under whichever key; written below under the current one
                    for field in hashes:
                        field.pre_save(obj, add=False)
                with transaction.atomic():
                    queryset.bulk_update(batch, fields + [f.name for f in hashes])
                done, last = done + len(batch), batch[-1].pk
            self.stdout.write(f"{model._meta.verbose_name}：已重新加密 {done} 条。")
