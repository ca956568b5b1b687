"""Benchmark: import each real Hugo site of ../shared/fixtures/hugo-sites into a fresh
SQLite database, then again unchanged; one row per site.

Run: `make bench` (or `DJANGO_DEBUG=1 .venv/bin/python bench/hugo_import.py [SITE...]`).
Each site gets its own throwaway database and media folder (a child process per
site, so no state carries over). Targets: < 5 s first import, < 1 s unchanged.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT.parent / "shared" / "fixtures" / "hugo-sites"


def measure(site):
    """Run in a child process: migrate a fresh database, import twice, print JSON."""
    work = Path(tempfile.mkdtemp(prefix="bench-hugo-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "airml.settings_test")
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from importers.hugo import HugoImporter

    settings.MEDIA_ROOT = str(work / "media")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    first = HugoImporter(site).run()
    first_seconds = time.perf_counter() - start
    start = time.perf_counter()
    again = HugoImporter(site).run()
    again_seconds = time.perf_counter() - start
    outcomes = {}
    for record in first.files.values():
        outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + 1
    print(
        json.dumps(
            {
                "first": first_seconds,
                "again": again_seconds,
                "files": len(first.files),
                "created": sum(c["created"] for c in first.counts.values()),
                "unchanged": sum(c["unchanged"] for c in again.counts.values()),
                "not_imported": outcomes.get("not imported", 0),
            }
        )
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        measure(Path(sys.argv[2]))
        return
    sites = [Path(a) for a in sys.argv[1:]] or sorted(p for p in SITES.glob("*") if p.is_dir())
    if not sites:
        print(f"skipped: no sites under {SITES}")
        return
    print(f"{'site':44} {'first s':>8} {'again s':>8} {'files':>6} {'objects':>8} {'not imp.':>8}")
    for site in sites:
        done = subprocess.run(  # noqa: S603 - this script, with a folder name
            [sys.executable, __file__, "--one", str(site)],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            row = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            print(f"{site.name[:44]:44} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        print(
            f"{site.name[:44]:44} {row['first']:8.2f} {row['again']:8.2f} {row['files']:6} "
            f"{row['created']:8} {row['not_imported']:8}"
        )


if __name__ == "__main__":
    main()
