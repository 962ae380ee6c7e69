"""Server time (p50, p95) and SQL queries of each main list and search, on the data set of seed_scale.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_bench .venv/bin/python bench/lists.py [--runs 30]

Each page goes through the whole Django stack (middleware, view, template) in this process, as the
signed-in user it is meant for; the first requests warm the caches and are not counted.
Targets: p95 ≤ 100 ms; the query count does not depend on the page size (tests/test_list_queries.py).
"""

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

from _setup import django_setup, grid

TARGET_MS = 100


def pages() -> list[tuple[str, str, str]]:
    """(what, account, URL) of every list measured; search terms are taken from the data set."""
    from jxjy.certificates.models import Certificate

    cert = Certificate.objects.filter(base__level__in=["national", "regional"]).order_by("id").first()
    base_cert = Certificate.objects.filter(base__users__username="bench_base_0").order_by("id").first()
    learner = cert.holder_id_number
    return [
        ("培训前备案待审核（主管部门）", "bench_dept_0", "/review/prefiling/waiting/"),
        ("培训前备案待审核（人社厅）", "bench_hr_region", "/review/prefiling/waiting/"),
        ("培训前备案已审核（人社厅）", "bench_hr_region", "/review/prefiling/done/"),
        ("培训前备案已审核，第50页", "bench_hr_region", "/review/prefiling/done/?page=50"),
        ("培训前备案待审核（地州人社局）", "bench_hr_650100", "/review/prefiling/waiting/"),
        ("培训信息待审核（人社厅）", "bench_hr_region", "/review/training/waiting/"),
        ("培训信息已审核（人社厅）", "bench_hr_region", "/review/training/done/"),
        ("培训后备案待审核（人社厅）", "bench_hr_region", "/review/completion/waiting/"),
        ("学员报名审核（基地，待审核）", "bench_base_0", "/trainings/registrations/review/"),
        ("学员报名审核（基地，全部）", "bench_base_0", "/trainings/registrations/review/?status="),
        ("专业课电子证书（人社厅）", "bench_hr_region", "/certificates/list/professional/"),
        ("证书按姓名查询（人社厅）", "bench_hr_region", f"/certificates/list/professional/?name={cert.holder_name}"),
        ("证书按身份证号查询（人社厅）", "bench_hr_region", f"/certificates/list/professional/?id_number={learner}"),
        (
            "证书按姓名查询（基地）",
            "bench_base_0",
            f"/certificates/list/{base_cert.kind}/?name={base_cert.holder_name}",
        ),
        ("学时档案（学员）", cert.learner.user.username, "/hours/"),
        # Read from the running totals, fresh on every view (bench/stats.py measures them right after changes).
        ("统计分析（人社厅，全区）", "bench_hr_region", "/stats/"),
        ("统计分析（乌鲁木齐市人社局）", "bench_hr_650100", "/stats/"),
    ]


def signed_in(client, user):
    """`client` logged in as `user`, past the second factor where the role has one (as after 二次验证)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_second_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "基准测试", "confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def measure(client, url: str, runs: int) -> tuple[list[float], int, int]:
    """Times of `runs` requests (ms), queries of one, and the response size."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with connection.execute_wrapper(count):
        response = client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="measure only the lists whose name contains this")
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from jxjy.accounts.models import User
    from jxjy.stats.models import Total

    if not Total.objects.exists():
        call_command("rebuild_stats")  # bench/seed_scale.py writes around the services that keep the totals
    rows = []
    for what, username, url in pages():
        if args.only not in what:
            continue
        client = signed_in(Client(), User.objects.get(username=username))
        times, queries, size = measure(client, url, args.runs)
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
        rows.append([what, str(queries), f"{p50:.0f}", f"{p95:.0f}", "✓" if p95 <= TARGET_MS else "✗ 超过目标",
                     f"{size / 1024:.0f} KB"])  # fmt: skip
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{connection.vendor} {connection.pg_version // 10000 if connection.vendor == 'postgresql' else ''}, "
          f"{args.runs} runs each; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(grid(["列表", "SQL", "p50 ms", "p95 ms", f"p95 ≤ {TARGET_MS} ms", "页面"], rows))


if __name__ == "__main__":
    main()
