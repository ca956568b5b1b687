"""Checks of the real proxy: Caddy with deploy/Caddyfile in front of gunicorn (used by
.ci/entrypoint-smoke). Standard library only.

    proxy_checks.py PROXY_URL GUNICORN_URL CA_FILE GUNICORN_LOG

- an oversized body gets 413 from Caddy (not 502), a body of unknown length 411;
- a contact message over the form's limit gets Django's short 413;
- uploaded media comes from Caddy's file server with nosniff and CSP sandbox;
- X-Forwarded-For is believed from the proxy only: a visitor's forged value never
  reaches the request log, through Caddy or straight to gunicorn.
"""

import http.client
import json
import re
import ssl
import sys
import time
import urllib.parse

PROXY, UPSTREAM, CA_FILE, LOG = sys.argv[1:5]
LIMIT = 16 * 1024 * 1024  # deploy/Caddyfile: request_body max_size 16MiB
FORGED = "198.51.100.99"
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def connection(base, source=None):
    parts = urllib.parse.urlsplit(base)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=CA_FILE)
        return http.client.HTTPSConnection(parts.hostname, parts.port, context=context,
                                           timeout=30)  # fmt: skip
    return http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0) if source else None
    )


def request(base, method, path, body=None, headers=None, source=None, chunks=None):
    """Send by hand, so a proxy that answers before the whole body is sent (413, 411)
    still has its answer read."""
    conn = connection(base, source)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        headers = dict(headers or {})
        if chunks is not None:
            headers["Transfer-Encoding"] = "chunked"
        elif body is not None:
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        try:
            if chunks is not None:
                for chunk in chunks:
                    conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                conn.send(b"0\r\n\r\n")
            elif body is not None:
                for start in range(0, len(body), 65536):
                    conn.send(body[start : start + 65536])
        except OSError:
            pass  # the proxy answered and closed before the whole body was sent
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def csrf_for(path):
    """A CSRF cookie and token from a GET of the form's page, as a browser has them."""
    status, head, body = request(PROXY, "GET", path)
    cookie = next(c.split(";")[0] for c in head.get_all("Set-Cookie") if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


# Pages through the proxy: HTTPS end to end, the app's headers intact.
status, head, body = request(PROXY, "GET", "/")
check(status == 200 and "</html>" in body, f"/ through Caddy answers 200 (got {status})")
check("max-age=31536000" in head.get("Strict-Transport-Security", ""), "HSTS through Caddy")
check("frame-ancestors 'none'" in head.get("Content-Security-Policy", ""), "CSP through Caddy")

# Body limits.
big = b"x" * (LIMIT + 1)
started = time.perf_counter()
status, head, body = request(PROXY, "POST", "/contact/", body=big,
                             headers={"Content-Type": "application/octet-stream"})  # fmt: skip
check(status == 413, f"a {len(big):,}-byte body gets 413 from Caddy (got {status})")
check(head.get("Server") == "Caddy" and len(body) < 200, "the 413 comes from Caddy, short")
print(f"     answered in {(time.perf_counter() - started) * 1000:.0f} ms")
status, _, _ = request(PROXY, "POST", "/contact/", chunks=[b"x" * 1024 * 1024] * 17,
                       headers={"Content-Type": "application/octet-stream"})  # fmt: skip
check(status == 411, f"a chunked body of unknown length gets 411 (got {status})")
referer = PROXY.rstrip("/") + "/contact/"
cookie, token = csrf_for("/contact/")
message = urllib.parse.urlencode(
    {"csrfmiddlewaretoken": token, "name": "Big", "email": "big@example.org", "subject": "x",
     "message": "y" * 1_000_000}
).encode()  # fmt: skip
status, _, body = request(PROXY, "POST", "/contact/", body=message,
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Referer": referer, "Cookie": cookie})  # fmt: skip
check(status == 413 and len(body) < 200 and "yyyy" not in body,
      f"a 1 MB contact message gets Django's short 413, not echoed (got {status})")  # fmt: skip

# Uploaded media, straight from Caddy's file server.
status, head, body = request(PROXY, "GET", "/media/smoke/upload.html")
check(status == 200 and "alert" in body, "media file served by Caddy")
check(head.get("X-Content-Type-Options") == "nosniff", "media via Caddy: nosniff")
check(head.get("Content-Security-Policy") == "sandbox", "media via Caddy: CSP sandbox")
check(head.get("Server") == "Caddy" and "Referrer-Policy" in head, "media via Caddy: headers")

# X-Forwarded-For: Caddy replaces a visitor's value with the real address, and
# gunicorn believes the header only from the proxy's address (DJANGO_TRUSTED_PROXIES).
request(PROXY, "GET", "/xff-check-through-proxy/", headers={"X-Forwarded-For": FORGED})
request(UPSTREAM, "GET", "/xff-check-direct/", source="127.0.0.2",
        headers={"X-Forwarded-For": FORGED, "X-Forwarded-Proto": "https"})  # fmt: skip
time.sleep(0.5)
lines = [json.loads(line) for line in open(LOG) if line.startswith("{")]
seen = {line["path"]: line["client_ip"] for line in lines if line.get("logger") == "airml.request"}
via_proxy = seen.get("/xff-check-through-proxy/")
direct = seen.get("/xff-check-direct/")
check(via_proxy == "127.0.0.1", f"forged X-Forwarded-For through Caddy: logged {via_proxy}")
check(direct == "127.0.0.2", f"forged X-Forwarded-For from an untrusted peer: logged {direct}")
check(not re.search(re.escape(FORGED), json.dumps(seen)), "the forged address is never believed")

if failures:
    sys.exit(f"{len(failures)} proxy check(s) failed: {failures}")
print("the real proxy checks out: limits, media headers, forwarded addresses")
