"""The demo data (manage.py load_demo), built once per run and copied into each test that asks for it.

Building it runs every service and move of the demo (seconds); copying it is a plain copy of each table's
rows and of the media folder, so each test gets exactly the same database — hash chain and ciphertexts
included — whether it runs in a transaction (`db`) or against the live server (after a flush).
"""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TestCase, override_settings

from jxjy.core.storage import files_outlive_rollback

# PostgreSQL's json and jsonb. Django's connection reads them as text (its JSONField parses that text), so
# they are parsed before they are written back as Jsonb: written as the text, each would become a JSON string.
JSON_TYPES = {114, 3802}


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    json_columns: list[int]
    rows: list[tuple]


@dataclass(frozen=True)
class Snapshot:
    tables: list[Table]
    media: Path


def take(media: Path) -> Snapshot:
    """Load the demo in a transaction, read every table, and roll the transaction back."""
    from demo.factories import PDF
    from demo.loader import load_demo
    from jxjy.accounts.models import Organisation, Prefecture
    from jxjy.accounts.seed import seed_organisations
    from jxjy.catalog.models import Level, Series, Specialty
    from jxjy.catalog.seed import seed_catalogue

    ContentType.objects.clear_cache()
    # The transaction is rolled back on purpose, the files kept: restore() puts both back for each test.
    with override_settings(MEDIA_ROOT=media), files_outlive_rollback(), transaction.atomic():
        # The data migrations' rows, in case a live-server test has flushed them already.
        seed_organisations(Prefecture, Organisation)
        seed_catalogue(Series, Specialty, Level)
        # The demo generates a 申报表 PDF per reviewed filing (its font subsetting is tested elsewhere), and
        # sends its messages once a move commits.
        with (
            mock.patch("jxjy.filings.application_form.render_application_form", lambda filing: PDF),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            load_demo()
        tables = [_read(name) for name in _table_names()]
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return Snapshot(tables, media)


def restore(snapshot: Snapshot, media_root: Path) -> None:
    """Make the database hold exactly the snapshot's rows, and MEDIA_ROOT its files."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django creates them deferrable), when every row is back.
        for name in _table_names():
            cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 - table names from introspection
        for table in snapshot.tables:
            if not table.rows:
                continue
            columns = ", ".join(quote(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608 - as above
            cursor.executemany(sql, [_writable(row, table.json_columns) for row in table.rows])
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    ContentType.objects.clear_cache()
    shutil.copytree(snapshot.media, media_root, dirs_exist_ok=True)


def _table_names() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _read(name: str) -> Table:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608 - from introspection
        description = cursor.description
        rows = cursor.fetchall()
    json_columns = [i for i, d in enumerate(description) if getattr(d, "type_code", None) in JSON_TYPES]
    return Table(name, [d[0] for d in description], json_columns, rows)


def _writable(row: tuple, json_columns: list[int]) -> tuple:
    if not json_columns:
        return row
    from psycopg.types.json import Jsonb

    def value(v):
        return Jsonb(json.loads(v) if isinstance(v, str) else v)

    return tuple(value(v) if i in json_columns and v is not None else v for i, v in enumerate(row))
