"""Issue 10,000 certificates, sign and store their PDFs as production does, and print certificates per second.

    .venv/bin/python bench/certificates.py [--count 10000] [--workers 2] [--profile FILE]

Issuing (numbers, codes, ledger lines) runs in the database in batches, and queues the signing tasks
(JXJY_TASKS=database, as in production). The signed files are then made by `--workers` processes, as
`manage.py db_worker` runs the `sign_issued` task: each takes batches of `services.SIGN_BATCH`
certificates and runs `services.store_signed` on them (render, sign with the platform's seal, store the
file under MEDIA_ROOT, record it). The key is a throw-away PKCS#12 made for the run. Target: ≥ 200
certificates/s on a 2-core machine, issuing, signing and storing together.

The files are deleted at the end. `--profile FILE` writes a cProfile of the first worker's share of signing
and storing to FILE (`python -m pstats FILE`), and prints its top entries.
"""

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from decimal import Decimal
from multiprocessing import Pool
from pathlib import Path

from _setup import django_setup, table

_profile_to = None  # set in the worker that profiles


def make_learners(count: int):
    from jxjy.accounts.models import Learner, Role, User
    from jxjy.core.identity import gender_from_id, id_check_char

    users = User.objects.bulk_create(User(username=f"bench-{n}", role=Role.LEARNER, password="!") for n in range(count))
    learners = []
    for n, user in enumerate(users):
        first17 = f"6501{n // 1000 % 100:02d}19900101{n % 1000:03d}"
        id_number = first17 + id_check_char(first17)
        learners.append(Learner(user=user, name=f"学员{n}", id_number=id_number, mobile=f"13{n:09d}",
                                gender=gender_from_id(id_number), work_unit="测试单位"))  # fmt: skip
    return Learner.objects.bulk_create(learners)


def _start_worker(profile_slots, profile_path: str | None) -> None:
    """Each worker process: the first to take the profiling slot profiles its batches."""
    global _profile_to
    if profile_path and profile_slots.acquire(block=False):
        import cProfile

        _profile_to = (cProfile.Profile(), profile_path)


def sign_and_store(ids: list[int]) -> int:
    """What the `sign_issued` task does with one batch."""
    from jxjy.certificates.services import store_signed

    if _profile_to is None:
        return store_signed(ids)
    profiler, path = _profile_to
    profiler.enable()
    try:
        return store_signed(ids)
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000, help="certificates issued per issue_many call")
    parser.add_argument("--profile", help="write a cProfile of one worker's signing and storing to this file")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="jxjy-bench-cert-"))
    os.environ["JXJY_TASKS"] = "database"  # issuing queues the signing, as in production
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    django_setup(fresh=True)
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import connections

    from jxjy.accounts.models import Organisation
    from jxjy.certificates import identity, signing
    from jxjy.certificates.models import Certificate
    from jxjy.certificates.services import SIGN_BATCH, Facts, issue_many, signed_pdf

    p12 = identity.make_identity(scratch / "signing")  # the operator's key, as JXJY_SIGNING_PKCS12 names it
    settings.JXJY_SIGNING_PKCS12 = str(p12)
    settings.JXJY_SIGNING_TRUST = str(scratch / "signing" / identity.CA_NAME)
    signing.reset()

    learners = make_learners(args.count)
    issuer = Organisation.objects.get(kind="hr_region")
    load_before = loadavg()
    started = time.perf_counter()
    ids: list[int] = []
    for i in range(0, args.count, args.batch):
        certs = issue_many([
            Facts(source_key=f"bench:{learner.pk}", learner=learner, kind="professional", year=2026,
                  hours=Decimal(40), class_name="2026年水利行业专业技术人员继续教育培训班", base=None,
                  base_name="新疆水利水电继续教育基地", scope="工程系列 水利专业 工程师", issuer=issuer,
                  source_label="培训后备案")
            for learner in learners[i : i + args.batch]
        ])  # fmt: skip
        ids.extend(c.pk for c in certs)
    issued = time.perf_counter()
    connections.close_all()  # the workers open their own
    batches = [ids[i : i + SIGN_BATCH] for i in range(0, len(ids), SIGN_BATCH)]
    import multiprocessing

    slots = multiprocessing.Semaphore(1)
    cpu_before = _children_cpu()
    with Pool(args.workers, initializer=_start_worker, initargs=(slots, args.profile)) as pool:
        stored = sum(pool.imap_unordered(sign_and_store, batches))
        pool.close()
        pool.join()  # the workers' CPU time is counted once they are waited for
    done = time.perf_counter()
    cpu = _children_cpu() - cpu_before
    load_after = loadavg()

    names = list(Certificate.objects.exclude(pdf="").values_list("pdf", flat=True))
    size = sum(default_storage.size(n) for n in names)
    sample = Certificate.objects.get(pk=ids[len(ids) // 2])
    verdict = signing.verify(signed_pdf(sample))
    print(table([
        ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
        ("database", connections["default"].vendor),
        ("load average", f"{load_before} before, {load_after} after"),
        ("certificates", f"{args.count:,} issued, {stored:,} signed and stored ({len(names):,} files)"),
        ("issue (DB)", f"{issued - started:.2f} s  ({args.count / (issued - started):,.0f} /s, signing queued)"),
        ("sign and store", f"{done - issued:.2f} s  ({args.count / (done - issued):,.0f} /s, {args.workers} workers, "
                           f"batches of {SIGN_BATCH}, {size / max(len(names), 1) / 1024:.1f} KB each)"),
        ("workers' CPU", f"{cpu:.1f} s  ({cpu / args.count * 1000:.1f} ms per certificate; the rest of "
                         f"{args.workers} × {done - issued:.1f} s is waiting: commits, locks, other processes)"),
        ("total", f"{done - started:.2f} s  ({args.count / (done - started):,.0f} certificates/s; target ≥ 200)"),
        ("check", f"certificate {sample.number}: signing.verify says {verdict.finding}"),
    ]))  # fmt: skip
    if args.profile:
        import pstats

        print()
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(scratch)  # 10,000 files of 130 KB
    if stored != args.count or not verdict.valid:
        raise SystemExit("not every certificate was signed and stored, or the sample does not verify")


if __name__ == "__main__":
    main()
