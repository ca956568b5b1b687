"""Benchmark: preview 10 identifiers (add by DOI / arXiv id) from recorded answers.

Seven Crossref DOIs, one DataCite DOI (asked of Crossref first: a recorded 404) and
two arXiv ids in one arXiv request (one of them unknown to arXiv), served by the
`responses` library from ../shared/fixtures/metadata, network shut: what is timed
is this site's work (HTTP client, parsing, mapping, matching, planning), not the
sources' latency. Target: under 2 s.

Run: `DJANGO_DEBUG=1 .venv/bin/python bench/identifiers.py`. Throwaway SQLite database
with 200 people and 3,000 publications to match against.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "airml.settings_test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

import responses  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402

from people.models import Person  # noqa: E402
from research import identifiers  # noqa: E402
from research.models import Publication  # noqa: E402
from research.sources import arxiv, crossref, datacite, negotiation  # noqa: E402
from tests.recorded import CROSSREF_WORKS, Recorded  # noqa: E402

PASTE = [*CROSSREF_WORKS, "10.5281/zenodo.48440", "0808.05394", "1707.08567"]
RUNS = 5


def main():
    call_command("migrate", verbosity=0)
    Person.objects.bulk_create(
        Person(first_name=f"First{i}", last_name=f"Last{i}", slug=f"p{i}") for i in range(200)
    )
    Publication.objects.bulk_create(
        Publication(title=f"Synthetic paper {i}", slug=f"s{i}", doi=f"10.5555/s{i}")
        for i in range(3000)
    )
    times, cpus = [], []
    for _run in range(RUNS):
        cache.clear()
        for module in (arxiv, crossref, datacite, negotiation):
            module._client = None
        with responses.RequestsMock() as mock:
            recorded = Recorded(mock)
            for doi in CROSSREF_WORKS:
                recorded.crossref(doi)
            recorded.crossref_404("10.5281/zenodo.48440")
            recorded.datacite("10.5281/zenodo.48440")
            recorded.arxiv("0808.05394,1707.08567")
            start, cpu = time.perf_counter(), time.process_time()
            records, errors = identifiers.fetch("\n".join(PASTE))
            entries = identifiers.plan(records, errors)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            requests = len(mock.calls)
    actions = [e.action for e in entries]
    print(f"{len(PASTE)} identifiers -> {len(records)} records, {len(errors)} errors; "
          f"actions {sorted(set(actions))}; {requests} requests")  # fmt: skip
    print("| step | median s | max s | CPU median s |")
    print("|---|---|---|---|")
    print(f"| preview 10 identifiers (recorded answers) | {statistics.median(times):.3f} | "
          f"{max(times):.3f} | {statistics.median(cpus):.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
