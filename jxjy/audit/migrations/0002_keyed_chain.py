"""The chain becomes keyed (HMAC-SM3 under JXJY_AUDIT_KEY, else a key derived from SECRET_KEY): the rows of
before, hashed with the unkeyed SHA-256, are re-hashed, provided they still verify as they are. A chain that
does not is left alone, so that `manage.py verify_audit` goes on reporting its break; after looking into it,
`manage.py rechain_audit --force` re-hashes it (and says so in the trail)."""

from django.db import migrations

from jxjy.audit.rechain import RechainRefused, rehash


def rechain(apps, schema_editor):
    entry, head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditChainHead")
    try:
        count = rehash(entry, head)
    except RechainRefused as e:
        print(f"\n  审计日志未重建：{e} 请调查后运行 manage.py rechain_audit --force。")
        return
    if count:
        print(f"\n  审计日志哈希链已按审计密钥（HMAC-SM3）重建：{count}条。")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_from_core")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop, elidable=True)]
