"""Rewrite the personal data as it is written now: Fernet tokens of before 国密, and values under an old
JXJY_PII_KEY, become SM4-GCM under the current key; HMAC-SHA256 lookup hashes, and hashes under an old key,
become HMAC-SM3 under the current key. Also the step that completes a key rotation.

Every encrypted column of every model is walked by primary key, in batches; each batch is read with its rows
locked and rewritten in one transaction. It can be stopped at any moment and run again: what is left is told
by the data itself (a row is rewritten only when a token is not SM4 under the current key, or a hash is not
the HMAC-SM3 of its value), and `--dry-run` counts it. At the end the key canary is sealed again.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import pii
from jxjy.core.checks import verify_canary
from jxjy.core.fields import EncryptedCharField, LookupHashField, encrypted_fields, hash_fields, personal_data_models

BATCH = 500
PROGRESS_EVERY = 20  # batches between progress lines


@dataclass(frozen=True)
class Table:
    """One model's encrypted columns and the lookup hashes computed from them."""

    model: type[models.Model]
    encrypted: tuple[EncryptedCharField, ...]
    hashes: tuple[LookupHashField, ...]

    @classmethod
    def of(cls, model) -> "Table":
        encrypted = tuple(encrypted_fields(model))
        names = {f.name for f in encrypted}
        return cls(model, encrypted, tuple(h for h in hash_fields(model) if h.source in names))

    @property
    def columns(self) -> list[str]:
        return [f.column for f in (*self.encrypted, *self.hashes)]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


@dataclass
class Tally:
    """What one table's walk found: rows read, rows rewritten (or, on a dry run, to be), and per column."""

    checked: int = 0
    rows: int = 0
    columns: Counter = field(default_factory=Counter)

    def add(self, checked: int, changes: list[dict]) -> None:
        self.checked += checked
        self.rows += len(changes)
        for change in changes:
            self.columns.update(change.keys())


def tables() -> list[Table]:
    return [Table.of(model) for model in personal_data_models()]


def _quoted(name: str) -> str:
    """A table or column name from the models' schema, quoted (the statements below hold no other text)."""
    return connection.ops.quote_name(name)


def read_batch(table: Table, after, size: int, *, lock: bool) -> list[tuple]:
    """The next rows after primary key `after`, as stored (the tokens, not their plain values); locked
    against the site's own writes until this batch's transaction ends."""
    pk = _quoted(table.model._meta.pk.column)
    columns = ", ".join(_quoted(c) for c in table.columns)
    locking = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {pk}, {columns} FROM {_quoted(table.model._meta.db_table)} "  # noqa: S608  # nosec B608
        f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s{locking}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, size])
        return cursor.fetchall()


def row_changes(table: Table, stored: dict) -> dict:
    """The columns of one row that are not as they would be written now, with what they should hold."""
    plain, changes = {}, {}
    for f in table.encrypted:
        token = stored[f.column]
        if not token:
            plain[f.name] = token
            continue
        plain[f.name], current = pii.open_token(token)
        if not current:
            changes[f.column] = pii.encrypt(plain[f.name])
    for h in table.hashes:
        expected = h.hash_of(plain[h.source])
        if stored[h.column] != expected:
            changes[h.column] = expected
    return changes


def write_row(table: Table, pk, changes: dict) -> None:
    assignments = ", ".join(f"{_quoted(column)} = %s" for column in changes)
    sql = (
        f"UPDATE {_quoted(table.model._meta.db_table)} SET {assignments} "  # noqa: S608  # nosec B608
        f"WHERE {_quoted(table.model._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*changes.values(), pk])


def legacy_tokens(table: Table) -> int:
    """Rows of this table still holding a Fernet token in any encrypted column."""
    where = " OR ".join(f"{_quoted(f.column)} LIKE %s" for f in table.encrypted)
    sql = f"SELECT COUNT(*) FROM {_quoted(table.model._meta.db_table)} WHERE {where}"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pii.LEGACY_PREFIX + "%"] * len(table.encrypted))
        return cursor.fetchone()[0]


def convert_batch(table: Table, after, size: int, *, dry_run: bool) -> tuple[object, int, list[dict]]:
    """One batch in one transaction: (its last primary key or None at the end, rows read, changes)."""
    found = []
    with transaction.atomic():
        rows = read_batch(table, after, size, lock=not dry_run)
        for pk, *values in rows:
            changes = row_changes(table, dict(zip(table.columns, values, strict=True)))
            if changes and not dry_run:
                write_row(table, pk, changes)
            if changes:
                found.append(changes)
    return (rows[-1][0] if rows else None), len(rows), found


class Command(BaseCommand):
    help = gettext_lazy(
        "把个人信息改写为当前的写法：国密改造前的 Fernet 密文和旧密钥下的密文改为当前密钥下的 SM4-GCM，"
        "HMAC-SHA256 查询哈希和旧密钥下的哈希改为当前密钥下的 HMAC-SM3。分批进行，每批一个事务，"
        "可随时中断后重新运行；--dry-run 只统计尚待转换的数量。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只统计尚待转换的行数，不写入。"))
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            help=(_("每批（一个事务）的行数，默认 %(batch)s。") % {"batch": BATCH}),
        )

    def handle(self, *args, dry_run=False, batch_size=BATCH, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数。")
        try:
            verify_canary(write=False)  # a wrong key stops here, before any row is read
        except pii.WrongKeyError as e:
            raise CommandError(str(e)) from None
        started, remaining = time.monotonic(), 0
        for table in tables():
            remaining += self.walk(table, batch_size, dry_run=dry_run).rows
        self.finish(remaining, time.monotonic() - started, dry_run=dry_run)

    def walk(self, table: Table, size: int, *, dry_run: bool) -> Tally:
        tally, last, batches = Tally(), 0, 0
        while True:
            try:
                last_pk, checked, changes = convert_batch(table, last, size, dry_run=dry_run)
            except pii.UndecryptableError:
                raise CommandError(f"{table.label}：主键 {last} 之后的一批中有无法解密的数据，本批未改动。") from None
            if last_pk is None:
                break
            tally.add(checked, changes)
            last, batches = last_pk, batches + 1
            if batches % PROGRESS_EVERY == 0:
                self.stdout.write(
                    _("  %(label)s：已检查 %(checked)s 条，%(verb)s %(rows)s 条")
                    % {"label": table.label, "checked": tally.checked, "verb": self.verb(dry_run), "rows": tally.rows}
                )
        self.report(table, tally, dry_run=dry_run)
        return tally

    @staticmethod
    def verb(dry_run: bool) -> str:
        return _("待转换") if dry_run else _("已转换")

    def report(self, table: Table, tally: Tally, *, dry_run: bool) -> None:
        names = {f.column: str(f.verbose_name) for f in table.encrypted}
        names |= {
            h.column: (_("%(get_field)s哈希") % {"get_field": table.model._meta.get_field(h.source).verbose_name})
            for h in table.hashes
        }
        detail = "、".join(f"{names[c]} {n}" for c, n in sorted(tally.columns.items()))
        line = _("%(label)s：共 %(checked)s 条，%(verb)s %(rows)s 条") % {
            "label": table.label,
            "checked": tally.checked,
            "verb": self.verb(dry_run),
            "rows": tally.rows,
        }
        self.stdout.write(line + (f"（{detail}）" if detail else ""))

    def finish(self, rows: int, seconds: float, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write((_("尚待转换 %(rows)s 条。") % {"rows": rows}) if rows else _("没有待转换的数据。"))
            return
        canary = verify_canary()
        self.stdout.write(
            _("密钥校验值：已用当前密钥重新加密。") if canary == "resealed" else _("密钥校验值：无需改动。")
        )
        self.stdout.write(
            _("完成：转换 %(rows)s 条，用时 %(seconds)s 秒。") % {"rows": rows, "seconds": format(seconds, ".1f")}
        )
        left = sum(legacy_tokens(table) for table in tables())
        if left:  # written meanwhile by a process of the old version
            raise CommandError(f"仍有 {left} 条含 Fernet 密文（运行期间由旧版本写入），请再次运行。")
        self.stdout.write(
            _("数据库中已没有 Fernet 密文和旧的查询哈希；不再需要按旧哈希查询时可设置 JXJY_PII_LEGACY_LOOKUP=0。")
        )
