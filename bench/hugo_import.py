"""Benchmark: import each real Hugo site of ../shared/fixtures/hugo-sites into a fresh
SQLite database, then again unchanged; one row per site.

Run: `make bench` (or `DJANGO_DEBUG=1 .venv/bin/python bench/hugo_import.py [SITE...]`).
Each site gets its own throwaway database and media folder (a child process per
site, so no state carries over). Targets: < 5 s first import, < 1 s unchanged.
Wall and CPU seconds are both printed (CPU is fairer on a loaded machine).
`--compare` also imports each site with renditions written at save (the behaviour
before `airml.renditions.deferred`), in the same run, for a before/after table.
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


def _timed(run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(site, renditions_at_save=False):
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
    first, first_seconds, first_cpu = _timed(
        HugoImporter(site, renditions_at_save=renditions_at_save).run
    )
    again, again_seconds, again_cpu = _timed(
        HugoImporter(site, renditions_at_save=renditions_at_save).run
    )
    outcomes = {}
    for record in first.files.values():
        outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + 1
    print(
        json.dumps(
            {
                "first": first_seconds,
                "again": again_seconds,
                "first_cpu": first_cpu,
                "again_cpu": again_cpu,
                "files": len(first.files),
                "created": sum(c["created"] for c in first.counts.values()),
                "unchanged": sum(c["unchanged"] for c in again.counts.values()),
                "not_imported": outcomes.get("not imported", 0),
            }
        )
    )


def _child(site, mode):
    done = subprocess.run(  # noqa: S603 - this script, with a folder name
        [sys.executable, __file__, mode, str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"{site.name[:44]:44} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None


def main():
    if len(sys.argv) > 2 and sys.argv[1] in ("--one", "--one-at-save"):
        measure(Path(sys.argv[2]), renditions_at_save=sys.argv[1] == "--one-at-save")
        return
    args = sys.argv[1:]
    compare = "--compare" in args
    args = [a for a in args if a != "--compare"]
    sites = [Path(a) for a in args] or sorted(p for p in SITES.glob("*") if p.is_dir())
    if not sites:
        print(f"skipped: no sites under {SITES}")
        return
    print(
        f"{'site':36} {'mode':8} {'first s':>8} {'cpu s':>6} {'again s':>8} {'cpu s':>6} "
        f"{'files':>6} {'objects':>8} {'not imp.':>8}"
    )
    modes = [("--one-at-save", "at save"), ("--one", "deferred")] if compare else [("--one", "")]
    for site in sites:
        for flag, label in modes:
            row = _child(site, flag)
            if row is None:
                continue
            print(
                f"{site.name[:36]:36} {label:8} {row['first']:8.2f} {row['first_cpu']:6.2f} "
                f"{row['again']:8.2f} {row['again_cpu']:6.2f} {row['files']:6} "
                f"{row['created']:8} {row['not_imported']:8}"
            )


if __name__ == "__main__":
    main()
