"""After a new JXJY_PII_KEY (the old one moved to JXJY_PII_OLD_KEYS): rewrite every encrypted value and its lookup
hash under the new key. The same walk as `reencrypt_personal_data` (resumable, in batches), under its older name."""

from django.utils.translation import gettext_lazy

from .reencrypt_personal_data import Command as Reencrypt


class Command(Reencrypt):
    help = gettext_lazy(
        "用当前的 JXJY_PII_KEY 重新加密全部个人信息并重算查询哈希（更换密钥后运行；同 reencrypt_personal_data）。"
    )
