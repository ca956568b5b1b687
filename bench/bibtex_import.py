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
from research.bibtex_import import apply, citations_to_format, format_citations, plan  # noqa: E402
from research.models import Publication  # noqa: E402


def fixture_bib():
    """Every distinct fixture cite.bib, keys made unique (several sites reuse a key)."""
    from bib_roundtrip import fixture_bibs

    return "\n".join(
        p.read_text(encoding="utf-8").replace("{", f"{{fx{i}-", 1)
        for i, p in enumerate(fixture_bibs())
    )


def timed(text, cite_rows=None):
    """(wall seconds, CPU seconds of this process, counts): on a shared machine the CPU
    time is the steadier figure (waiting for a core is not counted).

    As the admin's background import does: plan, apply with plain citations (the
    "import"), then format the citations; with `cite_rows`, a row for each is added."""
    start, cpu = time.perf_counter(), time.process_time()
    entries = plan(text)
    counts = apply(entries, defer_citations=True)
    split = time.perf_counter(), time.process_time()
    pks = citations_to_format(entries)
    format_citations(pks)
    end = time.perf_counter(), time.process_time()
    if cite_rows is not None:
        cite_rows += [("  import (plain citations)", split[0] - start, split[1] - cpu, counts),
                      (f"  formatting {len(pks)} citations", end[0] - split[0],
                       end[1] - split[1], "")]  # fmt: skip
    return end[0] - start, end[1] - cpu, counts


def main():
    call_command("migrate", verbosity=0)
    Person.objects.create(first_name="Jane", last_name="Doe", slug="jane-doe")
    Person.objects.create(first_name="Kurt", last_name="Müller", slug="kurt")
    sizes = [int(n) for n in sys.argv[1:]] or [200, 5000]
    inputs = [("fixtures", fixture_bib())] + [(f"{n:,} synthetic", synthetic_bib(n)) for n in sizes]
    rows = []
    for name, text in inputs:
        Publication.objects.all().delete()
        parts = []
        rows.append((f"{name} ({len(text) / 1e6:.2f} MB) new", *timed(text, parts)))
        rows += parts
        runs = [timed(text) for _ in range(1 if len(text) > 200_000 else 3)]
        rows.append((f"{name} again", statistics.median(r[0] for r in runs),
                     statistics.median(r[1] for r in runs), runs[-1][2]))  # fmt: skip
    print(f"{'step':36} {'wall s':>8} {'CPU s':>8}  result")
    for label, seconds, cpu, counts in rows:
        print(f"{label:36} {seconds:8.3f} {cpu:8.3f}  {counts}")


if __name__ == "__main__":
    main()
