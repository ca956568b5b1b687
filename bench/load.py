"""Bounded loopback load test of a running site.

Sends exactly --requests GET requests (default 5,000) over --connections
keep-alive connections (default 32), cycling over the public pages as the HTTPS
proxy would send them, then prints the figures (and one JSON line) and exits
non-zero on any error: a failed connection, a timeout or a status other than 200.
Only loopback targets are accepted.

    .venv/bin/python bench/load.py http://127.0.0.1:8000
"""

import argparse
import http.client
import ipaddress
import json
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

PATHS = ["/", "/research/", "/people/", "/publications/", "/projects/", "/news/"]
HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "airml-bench-load"}


def loopback(host):
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def run(url, total, connections, timeout, max_seconds):
    parts = urlsplit(url)
    if parts.scheme != "http" or not loopback(parts.hostname):
        sys.exit(f"load tests may only target http:// loopback addresses, not {url}")
    counter = iter(range(total))
    lock = threading.Lock()
    latencies, errors, statuses = [], [], {}
    deadline = time.monotonic() + max_seconds

    def worker():
        conn = None
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            path = PATHS[n % len(PATHS)]
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    conn.close()
                    conn = None
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                if conn is not None:
                    conn.close()
                conn = None
                with lock:
                    errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - start
    done = len(latencies) + sum(1 for e in errors if "HTTP" not in e)
    ms = sorted(x * 1000 for x in latencies) or [0.0]

    def pct(p):
        return round(ms[min(len(ms) - 1, int(len(ms) * p / 100))], 1)

    return {
        "requests": done,
        "connections": connections,
        "duration_s": round(duration, 2),
        "requests_per_s": round(done / duration, 1),
        "latency_ms": {
            "mean": round(statistics.fmean(ms), 1),
            "p50": pct(50),
            "p90": pct(90),
            "p99": pct(99),
            "max": round(ms[-1], 1),
        },
        "statuses": statuses,
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="hard time limit")
    args = parser.parse_args()
    figures = run(args.url, args.requests, args.connections, args.timeout, args.max_seconds)
    lat = figures["latency_ms"]
    print(
        f"{figures['requests']} requests over {figures['connections']} connections in "
        f"{figures['duration_s']} s: {figures['requests_per_s']} req/s; latency ms "
        f"mean {lat['mean']}, p50 {lat['p50']}, p90 {lat['p90']}, p99 {lat['p99']}, "
        f"max {lat['max']}; {figures['errors']} errors"
    )
    print(json.dumps(figures))
    if figures["errors"] or figures["requests"] < args.requests:
        sys.exit(f"load test failed: {figures['errors']} errors, {figures['requests']} requests")


if __name__ == "__main__":
    main()
