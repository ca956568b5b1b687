"""HTTP checks of a running production server (used by .ci/entrypoint-smoke).

Requests go to gunicorn on loopback the way the compose proxy sends them
(X-Forwarded-Proto: https, X-Forwarded-For: the visitor). Standard library only.
"""

import json
import re
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")
if not BASE.startswith("http://127.0.0.1:"):
    sys.exit("smoke checks only target gunicorn on loopback (http://127.0.0.1:PORT)")
ADMIN = sys.argv[2].strip("/") if len(sys.argv) > 2 else "admin"
PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
failures = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def get(path, headers=PROXIED):
    request = urllib.request.Request(BASE + path, headers=headers)  # noqa: S310 (loopback)
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=10) as response:
            body = response.read()
            status, head = response.status, response.headers
    except urllib.error.HTTPError as exc:
        body, status, head = exc.read(), exc.code, exc.headers
    return status, head, body.decode("utf-8", "replace"), time.perf_counter() - start


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


# Health endpoints: plain HTTP from inside the container, no redirect.
status, _, body, _ = get("/healthz", headers={})
check(status == 200 and json.loads(body)["status"] == "ok", "/healthz answers 200")
status, _, body, _ = get("/readyz", headers={})
check(status == 200 and json.loads(body)["database"] == "up", "/readyz answers 200, database up")

# Plain HTTP to the site is redirected to HTTPS.
status, head, _, _ = get("/", headers={})
check(status == 301 and head["Location"].startswith("https://"), "plain HTTP redirects to https")

# Every public page type.
pages = ["/", "/research/", "/people/", "/publications/", "/projects/", "/news/"]
_, _, research, _ = get("/research/")
details = sorted(set(re.findall(r'href="(/research/[a-z0-9-]+/)"', research)))
check(bool(details), "the research page links research directions (seed loaded)")
pages += details[:1]
for path in pages:
    status, _, body, elapsed = get(path)
    check(status == 200 and "</html>" in body, f"{path} answers 200 ({elapsed * 1000:.0f} ms)")

# Security headers on a page.
status, head, home, _ = get("/")
csp = head.get("Content-Security-Policy", "")
directives = dict(
    (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
)
check("'self'" in directives.get("script-src", ""), "CSP script-src 'self'")
check("unsafe-inline" not in directives.get("script-src", "x"), "CSP scripts: no unsafe-inline")
check(directives.get("object-src") == "'none'", "CSP object-src 'none'")
check(directives.get("base-uri") == "'none'", "CSP base-uri 'none'")
check(directives.get("frame-ancestors") == "'none'", "CSP frame-ancestors 'none'")
hsts = head.get("Strict-Transport-Security", "")
check("max-age=31536000" in hsts and "includeSubDomains" in hsts, f"HSTS: {hsts}")
check(head.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
check(head.get("Referrer-Policy") == "same-origin", "Referrer-Policy: same-origin")
check("camera=()" in head.get("Permissions-Policy", ""), "Permissions-Policy")
check(head.get("Cross-Origin-Opener-Policy") == "same-origin", "Cross-Origin-Opener-Policy")
check(head.get("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")

# The stylesheet: hashed name, far-future immutable caching.
css = re.search(r'<link rel="stylesheet" href="([^"]+)"', home)
check(css is not None and re.search(r"\.[0-9a-f]{12}\.css$", css.group(1)), "hashed CSS name")
if css:
    status, head, _, _ = get(css.group(1))
    cache = head.get("Cache-Control", "")
    check(status == 200 and "text/css" in head.get("Content-Type", ""), "CSS served")
    check("max-age=315360000" in cache and "immutable" in cache, f"CSS caching: {cache}")

# Admin login page under the same policy; cookies secure and HttpOnly.
status, head, body, _ = get(f"/{ADMIN}/login/")
check(
    status == 200 and "frame-ancestors 'none'" in head.get("Content-Security-Policy", ""),
    f"/{ADMIN}/login/ answers 200 with the CSP",
)
cookies = head.get_all("Set-Cookie") or []
csrf = [c for c in cookies if c.startswith("csrftoken=")]
check(bool(csrf) and "Secure" in csrf[0] and "HttpOnly" in csrf[0], "CSRF cookie Secure; HttpOnly")

# Uploaded media can never run as a page.
status, head, body, _ = get("/media/smoke/upload.html")
check(status == 200 and "alert" in body, "media file served")
check(head.get("X-Content-Type-Options") == "nosniff", "media: X-Content-Type-Options nosniff")
check(head.get("Content-Security-Policy") == "sandbox", "media: Content-Security-Policy sandbox")

status, _, body, _ = get("/no-such-page-here/")
check(status == 404, "unknown page answers 404")

if failures:
    sys.exit(f"{len(failures)} smoke check(s) failed: {failures}")
print(f"all {len(pages)} pages and the production headers check out")
