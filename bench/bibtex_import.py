"""Benchmark: import .bib files (parse, match, write, cite): the fixture cite.bib files
together, synthetic files of 200 and 5,000 entries (about 1 MB), each new then again.

Run: `make bench-bibtex` (or `DJANGO_DEBUG=1 .venv/bin/python bench/bibtex_import.py`).
Uses a throwaway SQLite database; prints a table of timings.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "airml.settings_test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from bib_corpus import synthetic_bib  # noqa: E402
from django.core.management import call_command  # noqa: E402

from people.models import Person  # noqa: E402
from research.bibtex_import import import_bibtex  # noqa: E402
from research.models import Publication  # noqa: E402


def fixture_bib():
    """Every distinct fixture cite.bib, keys made unique (several sites reuse a key)."""
    from bib_roundtrip import fixture_bibs

    return "\n".join(
        p.read_text(encoding="utf-8").replace("{", f"{{fx{i}-", 1)
        for i, p in enumerate(fixture_bibs())
    )


def timed(text):
    """(wall seconds, CPU seconds of this process, counts): on a shared machine the CPU
    time is the steadier figure (waiting for a core is not counted)."""
    start, cpu = time.perf_counter(), time.process_time()
    _entries, counts = import_bibtex(text)
    return time.perf_counter() - start, time.process_time() - cpu, counts


def main():
    call_command("migrate", verbosity=0)
    Person.objects.create(first_name="Jane", last_name="Doe", slug="jane-doe")
    Person.objects.create(first_name="Kurt", last_name="Müller", slug="kurt")
    sizes = [int(n) for n in sys.argv[1:]] or [200, 5000]
    inputs = [("fixtures", fixture_bib())] + [(f"{n:,} synthetic", synthetic_bib(n)) for n in sizes]
    rows = []
    for name, text in inputs:
        Publication.objects.all().delete()
        rows.append((f"{name} ({len(text) / 1e6:.2f} MB) new", *timed(text)))
        runs = [timed(text) for _ in range(1 if len(text) > 200_000 else 3)]
        rows.append((f"{name} again", statistics.median(r[0] for r in runs),
                     statistics.median(r[1] for r in runs), runs[-1][2]))  # fmt: skip
    print(f"{'step':36} {'wall s':>8} {'CPU s':>8}  result")
    for label, seconds, cpu, counts in rows:
        print(f"{label:36} {seconds:8.3f} {cpu:8.3f}  {counts}")


if __name__ == "__main__":
    main()
