"""Benchmark: every public page type on a synthetic lab 100x the size of a real one.

Builds, in a throwaway database (SQLite; PostgreSQL when BENCH_DATABASE_URL is set,
which is flushed first and vacuumed and analyzed once built), about 200 people,
3,000 publications with 4 authors each, 1,000 news items, 50 projects, 10 research
directions and 30 events. Then:

1. Server time per page type, rendered through the Django test client with the
   full-page cache off (the site context in Redis and the listing parts kept per
   object version stay on, as in production after an edit): median and p95 over
   `--runs` requests, the first request, the median with no kept parts, and the
   query count.
2. A cached hit in process (Django's WSGI handler, every middleware, no HTTP
   server), with the worker's own page copies and with every hit read from Redis:
   what `airml.cache.LocalCopies` buys.
3. gunicorn on loopback with production settings (DJANGO_ENV=production, debug off,
   a random secret, Redis as the shared cache, JSON request logs to a file) under wrk
   (32 connections, 10 s each, loopback only) for the cached home page and the
   uncached one (`/?uncached=1`: an unknown parameter bypasses the page cache).

Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/1), a db index it empties.

Run: `make bench` (or `DJANGO_DEBUG=1 .venv/bin/python bench/site.py`).
"""

import argparse
import datetime
import io
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="airml-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "airml.settings_test"
# Measure as production renders: debug off (cached templates, no query log).
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{WORK}/bench.sqlite3"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ["AIRML_TEST_REDIS_URL"] = REDIS_URL  # the test client's cache too

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from airml import fragments  # noqa: E402
from airml.cache import local_copies  # noqa: E402
from news.models import Event, NewsItem  # noqa: E402
from people.models import Group, Person, SocialLink  # noqa: E402
from research.bibtex import entry_for  # noqa: E402
from research.citations import format_citation  # noqa: E402
from research.models import (  # noqa: E402
    Authorship,
    Project,
    Publication,
    PublicationType,
    ResearchDirection,
)
from search.registry import KINDS, refresh_search_documents  # noqa: E402

WORDS = (
    "robust adversarial learning neural certified defence attack interpretable model training "
    "privacy graph vision language transformer causal fairness generalisation uncertainty "
    "benchmark detection explanation federated"
).split()
VENUES = [("Advances in Neural Information Processing Systems", "NeurIPS"),
          ("International Conference on Machine Learning", "ICML"),
          ("International Conference on Learning Representations", "ICLR"),
          ("IEEE Symposium on Security and Privacy", "S&P")]  # fmt: skip
TYPES = [PublicationType.CONFERENCE, PublicationType.JOURNAL, PublicationType.PREPRINT]


def words(i, n):
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def build():
    """The synthetic lab: bulk inserts, citations formatted in one loop."""
    cache.clear()
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    groups = list(Group.objects.all())
    for i in range(ResearchDirection.objects.count(), 10):
        ResearchDirection.objects.create(title=f"Direction {i}", slug=f"direction-{i}",
                                         summary=words(i, 20), order=i)  # fmt: skip
    directions = list(ResearchDirection.objects.all())
    people = Person.objects.bulk_create(
        Person(first_name=f"Given{i}", last_name=f"Family{i}", slug=f"person-{i}",
               role="PhD student", short_bio=words(i, 12), bio=words(i, 80),
               bio_html=f"<p>{words(i, 80)}</p>", interests="Robustness\nPrivacy",
               member_status="alumni" if i % 4 == 3 else "current", order=i)
        for i in range(200)
    )  # fmt: skip
    Person.groups.through.objects.bulk_create(
        Person.groups.through(person_id=p.pk, group_id=groups[i % len(groups)].pk)
        for i, p in enumerate(people)
    )
    SocialLink.objects.bulk_create(
        SocialLink(person=p, kind=kind, url=f"https://example.org/{kind}/{p.slug}")
        for p in people
        for kind in ("github", "google-scholar")
    )
    ResearchDirection.people.through.objects.bulk_create(
        ResearchDirection.people.through(researchdirection_id=directions[i % 10].pk, person_id=p.pk)
        for i, p in enumerate(people)
    )
    projects = Project.objects.bulk_create(
        Project(title=f"Project {words(i, 3)} {i}", slug=f"project-{i}", summary=words(i, 25),
                body=words(i, 100), body_html=f"<p>{words(i, 100)}</p>",
                date=datetime.date(2015 + i % 10, 1, 1), order=i)
        for i in range(50)
    )  # fmt: skip
    Project.people.through.objects.bulk_create(
        Project.people.through(project_id=pr.pk, person_id=people[(i * 4 + k) % 200].pk)
        for i, pr in enumerate(projects)
        for k in range(4)
    )
    Project.directions.through.objects.bulk_create(
        Project.directions.through(project_id=pr.pk, researchdirection_id=directions[i % 10].pk)
        for i, pr in enumerate(projects)
    )
    publications = Publication.objects.bulk_create(
        (
            Publication(title=f"On {words(i, 6)} {i}".capitalize(), slug=f"pub-{i}",
                        date=datetime.date(2000 + i % 26, 1 + i % 12, 1), pub_type=TYPES[i % 3],
                        venue=VENUES[i % 4][0], venue_short=VENUES[i % 4][1],
                        abstract=words(i, 120), abstract_html=f"<p>{words(i, 120)}</p>",
                        doi=f"10.5555/bench.{i}", url_pdf=f"https://example.org/{i}.pdf",
                        featured=i % 50 == 0)
            for i in range(3000)
        ),
        batch_size=500,
    )  # fmt: skip
    authorships = []
    for i, pub in enumerate(publications):
        members = [people[(i * 3) % 200], people[(i * 3 + 1) % 200]]
        authorships += [
            Authorship(publication=pub, person=m, order=k) for k, m in enumerate(members)
        ]
        authorships += [
            Authorship(publication=pub, name=f"External Author{i % 97}", order=2),
            Authorship(publication=pub, name=f"Other Writer{i % 89}", order=3),
        ]
    Authorship.objects.bulk_create(authorships, batch_size=2000)
    Publication.directions.through.objects.bulk_create(
        (Publication.directions.through(publication_id=p.pk,
                                        researchdirection_id=directions[i % 10].pk)
         for i, p in enumerate(publications)), batch_size=2000,
    )  # fmt: skip
    Publication.projects.through.objects.bulk_create(
        (Publication.projects.through(publication_id=p.pk, project_id=projects[i % 50].pk)
         for i, p in enumerate(publications) if i % 3 == 0), batch_size=2000,
    )  # fmt: skip
    for i, pub in enumerate(publications):
        members = [people[(i * 3) % 200], people[(i * 3 + 1) % 200]]
        names = [*(m.name for m in members), f"External Author{i % 97}", f"Other Writer{i % 89}"]
        links = [m.get_absolute_url() for m in members] + [False, False]  # members linked
        pub.citation_html = format_citation(
            pub.pub_type, pub.title, pub.date, pub.venue,
            list(zip(names, links, strict=True)), pub.doi, f"/publications/{pub.slug}/",
        )  # fmt: skip
        pub.bibtex_export = entry_for(
            pub.slug, pub.pub_type, pub.title, pub.date, pub.venue, names,
            doi=pub.doi, url=pub.url_pdf, abstract=pub.abstract,
        )  # fmt: skip
    Publication.objects.bulk_update(publications, ["citation_html", "bibtex_export"], 500)
    NewsItem.objects.bulk_create(
        (NewsItem(title=f"News about {words(i, 5)} {i}", slug=f"news-{i}",
                  date=datetime.date(2015 + i % 11, 1 + i % 12, 1 + i % 28), summary=words(i, 20),
                  body=words(i, 150), body_html=f"<p>{words(i, 150)}</p>")
         for i in range(1000)), batch_size=500,
    )  # fmt: skip
    now = timezone.now()
    Event.objects.bulk_create(
        Event(title=f"Talk on {words(i, 4)} {i}", slug=f"talk-{i}", location="Zurich",
              date=now - datetime.timedelta(days=30 * i), summary=words(i, 20))
        for i in range(30)
    )  # fmt: skip
    for kind in KINDS:  # bulk_create skipped the save() receivers
        refresh_search_documents(kind.model)
    if connection.vendor == "postgresql":
        # What autovacuum does soon on a live site: planner statistics, and the
        # bulk updates' dead rows gone. Without it plans are guesses from table size.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


PAGES = [
    ("home", "/"),
    ("research", "/research/"),
    ("a direction", "/research/direction-5/"),
    ("people", "/people/"),
    ("a person", "/people/person-3/"),
    ("publications", "/publications/"),
    ("publications, filtered", "/publications/?type=article-journal&direction=direction-5"),
    ("a publication", "/publications/pub-42/"),
    ("projects", "/projects/"),
    ("a project", "/projects/project-7/"),
    ("news", "/news/"),
    ("a news item", "/news/news-7/"),
    ("search", "/search/?q=robust+privacy"),
    ("news feed (RSS)", "/news/feed/"),
    ("publications feed (Atom)", "/publications/atom/"),
    ("sitemap.xml", "/sitemap.xml"),
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p / 100))]


def server_times(runs):
    client = Client()
    rows = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        for label, url in PAGES:
            fragments.clear()  # the first request renders every kept part
            start = time.perf_counter()
            response = client.get(url)
            first = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            queries = []

            def count(execute, sql, *args, queries=queries):
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                client.get(url)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            # The same page with no kept parts at all (templates already compiled):
            # what the per-process parts buy, measured rather than guessed.
            unkept = []
            for _ in range(max(5, runs // 3)):
                fragments.clear()
                start = time.perf_counter()
                client.get(url)
                unkept.append((time.perf_counter() - start) * 1000)
            rows.append((label, url, statistics.median(times), percentile(times, 95), first,
                         statistics.median(unkept), len(queries),
                         len(response.content)))  # fmt: skip
    return rows


def cached_hits(runs):
    """Microseconds per cached hit through Django's WSGI handler (the whole middleware
    stack, no HTTP server): median of `runs` batches of 200, with this worker's own
    page copies (airml.cache.LocalCopies) and with every hit read from Redis."""
    handler = WSGIHandler()

    def hit(path):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                   "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
                   "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}  # fmt: skip
        status = []
        response = handler(environ, lambda code, headers, exc=None: status.append(code))
        b"".join(response)
        response.close()
        return status[0], dict(response.items()).get("X-Page-Cache")

    def batch_us(path):
        start = time.perf_counter()
        for _ in range(200):
            hit(path)
        return (time.perf_counter() - start) / 200 * 1e6

    rows = []
    for label, url in [("home", "/"), ("publications", "/publications/")]:
        hit(url)
        time.sleep(0.05)  # the subscription's confirmation arrives
        assert hit(url) == ("200 OK", "hit"), url
        kept = statistics.median(batch_us(url) for _ in range(runs))
        with patch.object(local_copies, "get", lambda key: (None, None)):
            unkept = statistics.median(batch_us(url) for _ in range(runs))
        rows.append((label, kept, unkept))
    return rows


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "airml.settings",
        "DJANGO_ENV": "production",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_VAR_DIR": str(WORK / "var"),
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
        "REDIS_URL": REDIS_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "3"),
        "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "1"),
    }
    env.pop("DJANGO_ALLOW_DEV_SECRET", None)
    python = sys.executable
    collect = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "--config", "airml/gunicorn.conf.py", "airml.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start; see " + str(WORK / "gunicorn.log"))


def check_page(port, path):
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200, (path, response.status)
        return response.headers.get("X-Page-Cache", "")


def run_wrk(port, path, seconds):
    url = f"http://127.0.0.1:{port}{path}"
    out = subprocess.run(  # noqa: S603 - loopback only
        [shutil.which("wrk"), "-t1", "-c32", f"-d{seconds}s", "--latency",
         "-H", "X-Forwarded-Proto: https", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def ms(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, ms("50"), ms("99"), errors


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {connection.vendor}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn and wrk")
    args = parser.parse_args()

    start = time.perf_counter()
    build()
    built = time.perf_counter() - start
    counts = (Person.objects.count(), Publication.objects.count(), Authorship.objects.count(),
              NewsItem.objects.count(), Project.objects.count(),
              ResearchDirection.objects.count(), Event.objects.count())  # fmt: skip
    print(f"Synthetic lab built in {built:.1f} s on {machine()}: {counts[0]} people, "
          f"{counts[1]} publications ({counts[2]} authorships), {counts[3]} news, "
          f"{counts[4]} projects, {counts[5]} directions, {counts[6]} events")  # fmt: skip
    print()
    print(f"Server time, page cache off ({args.runs} requests each, Django test client;")
    print("'first' is the first request; 'unkept' the median with no kept listing parts,")
    print("see airml/fragments.py):")
    print(f"| {'page':26} | {'median ms':>9} | {'p95 ms':>7} | {'first ms':>8} | {'unkept ms':>9} "
          f"| {'queries':>7} | {'KB':>5} |")  # fmt: skip
    print(f"|{'-' * 28}|{'-' * 11}|{'-' * 9}|{'-' * 10}|{'-' * 11}|{'-' * 9}|{'-' * 7}|")
    for label, _url, median, p95, first, unkept, queries, size in server_times(args.runs):
        print(f"| {label:26} | {median:9.1f} | {p95:7.1f} | {first:8.1f} | {unkept:9.1f} "
              f"| {queries:7d} | {size / 1024:5.0f} |")  # fmt: skip
    print()
    print("Cached hits in process (Django's WSGI handler, all middleware, no HTTP server;")
    print("'kept' with this worker's own page copies, 'from Redis' with every hit read from")
    print("Redis; see airml/cache.py LocalCopies):")
    print(f"| {'page':12} | {'kept µs':>8} | {'from Redis µs':>13} | {'ratio':>5} |")
    print(f"|{'-' * 14}|{'-' * 10}|{'-' * 15}|{'-' * 7}|")
    for label, kept, unkept in cached_hits(max(3, args.runs // 3)):
        print(f"| {label:12} | {kept:8.0f} | {unkept:13.0f} | {unkept / kept:4.1f}x |")
    if args.no_load:
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    connection.close()
    cache.clear()
    port = free_port()
    server = start_gunicorn(port)
    try:
        check_page(port, "/")
        assert check_page(port, "/") == "hit"
        assert check_page(port, "/?uncached=1") == ""
        rows = []
        for label, path in [("home, cached", "/"), ("home, uncached", "/?uncached=1")]:
            rows.append((label, *run_wrk(port, path, args.seconds)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    threads = os.environ.get("GUNICORN_THREADS", "1")
    print()
    print(f"gunicorn ({workers} workers x {threads} threads, production settings, Redis) "
          f"under wrk (32 connections, {args.seconds} s, loopback):")  # fmt: skip
    print(f"| {'page':16} | {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'errors':>6} |")
    print(f"|{'-' * 18}|{'-' * 12}|{'-' * 9}|{'-' * 9}|{'-' * 8}|")
    for label, rps, p50, p99, errors in rows:
        print(f"| {label:16} | {rps:10.0f} | {p50:7.1f} | {p99:7.1f} | {errors:6d} |")
    print(f"\nTotal {time.perf_counter() - start:.0f} s")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
