"""Benchmark: import the real cvr-lab Hugo site (../shared/fixtures) into a fresh database.

Run: `make bench` (or `DJANGO_DEBUG=1 .venv/bin/python bench/hugo_import.py [SITE]`).
Uses a throwaway SQLite database and media folder; prints a table of timings.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "airml.settings_test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from importers.hugo import HugoImporter  # noqa: E402

DEFAULT_SITE = ROOT.parent / "shared" / "fixtures" / "hugo-sites" / "cvr-lab"


def main():
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SITE
    if not site.is_dir():
        print(f"skipped: {site} not found")
        return
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    call_command("migrate", verbosity=0)
    rows = []
    start = time.perf_counter()
    report = HugoImporter(site).run()
    rows.append(("first import (fresh database)", time.perf_counter() - start, report))
    again = []
    for _ in range(3):
        start = time.perf_counter()
        report = HugoImporter(site).run()
        again.append(time.perf_counter() - start)
    rows.append(("second import (unchanged)", statistics.median(again), report))
    print(f"site: {site}")
    print(f"{'step':32} {'seconds':>8}  objects created / unchanged")
    for label, seconds, result in rows:
        created = sum(c["created"] for c in result.counts.values())
        unchanged = sum(c["unchanged"] for c in result.counts.values())
        print(f"{label:32} {seconds:8.2f}  {created} / {unchanged}")


if __name__ == "__main__":
    main()
