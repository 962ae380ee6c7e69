"""统计分析 at region scale: the page read from the running totals, right after a change, against the direct
count it replaced; and what keeping the totals costs the services that change the counted facts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_bench .venv/bin/python bench/stats.py [--runs 30]

Run after bench/seed_scale.py. The seed writes its rows with COPY, around the services, so the totals are
computed first if they are empty (`manage.py rebuild_stats`, as after a bulk load; timed) and compared with
a direct count (`--check`, timed). Everything the benchmark changes (a certificate issued before each page
view, the revocations and approvals it times) is rolled back at the end.
Target: p95 ≤ 100 ms for the page, every time (there is no cache to expire any more).
"""

import argparse
import os
import platform
import statistics
import time
from decimal import Decimal
from itertools import count

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

from _setup import django_setup, grid
from lists import signed_in

TARGET_MS = 100
REGION, URUMQI = "bench_hr_region", "bench_hr_650100"


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def row(what: str, times: list[float], queries: str = "", target: bool = True) -> list[str]:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    verdict = ("✓" if p95 <= TARGET_MS else "✗ 超过目标") if target else ""
    return [what, queries, f"{p50:,.0f}", f"{p95:,.0f}", verdict]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--counted-runs", type=int, default=3, help="runs of the direct count (seconds each)")
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jxjy.accounts.models import User
    from jxjy.certificates import services as certificates
    from jxjy.certificates.models import Certificate
    from jxjy.certificates.services import Facts, issue_many
    from jxjy.core import clock
    from jxjy.review import engine
    from jxjy.stats import services
    from jxjy.stats.models import Total
    from jxjy.trainings.models import Registration

    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{connection.vendor} {connection.pg_version // 10000 if connection.vendor == 'postgresql' else ''}; "
          f"load average {loadavg()} at the start")  # fmt: skip
    if not Total.objects.exists():
        started = time.perf_counter()
        call_command("rebuild_stats")
        print(f"rebuild_stats (the seed wrote around the services): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("rebuild_stats", "--check")
    print(f"rebuild_stats --check: {time.perf_counter() - started:.1f} s")

    year = clock.this_year()
    region, urumqi = User.objects.get(username=REGION), User.objects.get(username=URUMQI)
    # Approved registrations in 乌鲁木齐 (so both offices see each new certificate) and ones waiting for their base.
    in_urumqi = {"training_class__base__prefecture_id": urumqi.organisation.prefecture_id}
    approved = iter(
        Registration.objects.filter(status="approved", year=year, **in_urumqi)
        .select_related("learner", "training_class__base")
        .order_by("id")[:1000]
    )
    waiting = iter(
        Registration.objects.filter(status="submitted", year=year)
        .select_related("training_class__base")
        .order_by("id")[:1000]
    )
    keys = count()

    def issue_one():
        r = next(approved)
        base = r.training_class.base
        return issue_many([Facts(source_key=f"bench-stats:{next(keys)}", learner=r.learner, kind="professional",
                                 year=r.year, hours=Decimal(40), class_name="基准测试", base=base,
                                 base_name=base.name, scope="", issuer=region.organisation, source_label="培训后备案",
                                 registration=r)])[0]  # fmt: skip

    rows = []
    with transaction.atomic():
        for what, user in (("全区（人社厅）", region), ("乌鲁木齐市人社局", urumqi)):
            client = signed_in(Client(), user)
            client.get("/stats/")  # the session is written once after login
            before = services.overview(user, year)["certificates"]
            times = []
            for _ in range(args.runs):
                issue_one()  # a change just before each view: there is nothing cached to be stale
                started = time.perf_counter()
                response = client.get("/stats/")
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get("/stats/")
            assert services.overview(user, year)["certificates"] == before + args.runs
            rows.append(row(f"统计分析页面，{what}，每次先颁发一张证书", times, str(len(queries))))
            read = timed(lambda u=user: services.figures(u, year), args.runs)
            rows.append(row(f"  其中读取统计（services.figures），{what}", read))
            met = timed(lambda u=user: services.met_share(u, year), args.runs)
            rows.append(row(f"  其中达标率（services.met_share），{what}", met))
        for what, user in (("全区（人社厅）", region), ("乌鲁木齐市人社局", urumqi)):
            times = timed(lambda u=user: services.counted_figures(u, year), args.counted_runs)
            rows.append(row(f"原方法：直接统计（改前每次缓存过期后），{what}", times, target=False))

        # What keeping the totals costs each change (the same change without the totals for comparison).
        from jxjy.stats import totals

        hooks = {name: getattr(totals, name) for name in ("certificates_issued", "certificate_revoked")}
        valid = iter(
            Certificate.objects.filter(status="valid", year=year, issuer=region.organisation).order_by("id")[:1000]
        )
        base_users = {}

        def approve_one():
            r = next(waiting)
            if r.training_class.base_id not in base_users:
                base_users[r.training_class.base_id] = User.objects.filter(
                    organisation_id=r.training_class.base_id
                ).first()
            engine.perform(r, "approve", actor=base_users[r.training_class.base_id])

        for label, off in (("含统计汇总", False), ("不更新统计汇总", True)):
            if off:
                for name in hooks:
                    setattr(totals, name, lambda *a, **k: None)
                engine.moved.disconnect(dispatch_uid="jxjy.stats.totals")
            try:
                rows.append(row(f"颁发一张证书（{label}）", timed(issue_one, args.runs), target=False))
                revoke = lambda: certificates.revoke(next(valid), actor=region, reason="基准测试")  # noqa: E731
                rows.append(row(f"撤销一张证书（{label}）", timed(revoke, args.runs), target=False))
                rows.append(row(f"报名审核通过（{label}）", timed(approve_one, args.runs), target=False))
            finally:
                for name, fn in hooks.items():
                    setattr(totals, name, fn)
                engine.moved.connect(totals.document_moved, dispatch_uid="jxjy.stats.totals")
        transaction.set_rollback(True)
    print(grid(["", "SQL", "p50 ms", "p95 ms", f"p95 ≤ {TARGET_MS} ms"], rows))
    print(f"load average {loadavg()} at the end ({args.runs} runs each; the direct count {args.counted_runs})")


if __name__ == "__main__":
    main()
