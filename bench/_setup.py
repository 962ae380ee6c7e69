"""Start Django for a benchmark: a fresh SQLite file by default, or DATABASE_URL (PostgreSQL)."""

import os
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, fresh: bool = False) -> None:
    """Migrate and start Django; `fresh`: a PostgreSQL database named *bench* is created anew first."""
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='jxjy-bench-')}/bench.sqlite3"
    url = os.environ["DATABASE_URL"]
    if fresh and url.startswith("postgres") and "bench" in url.rsplit("/", 1)[-1]:
        recreate_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database named in `url` (through the server's `postgres` database)."""
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def grid(headers: list[str], rows: list[list[str]]) -> str:
    """A table with a header row, columns padded by their printed width (a Chinese character is two)."""
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [[str(c) + " " * (w - _width(str(c))) for c, w in zip(r, widths, strict=True)] for r in [headers, *rows]]
    lines.insert(1, ["-" * w for w in widths])
    return "\n".join("  ".join(line).rstrip() for line in lines)
