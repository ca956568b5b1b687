"""Smoke check: two servers (separate gunicorns sharing PostgreSQL, Redis and media).

Usage: two_servers_check.py URL_A URL_B ADMIN_URL USERNAME PASSWORD

Both serve /news/ from the shared cache; a menu entry added in A's admin shows on
B's next page; an image uploaded through A is served by B.
"""

import http.cookiejar
import io
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from PIL import Image


class BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """Send `Secure` cookies over loopback HTTP: the requests say X-Forwarded-Proto: https."""

    def return_ok_secure(self, cookie, request):
        return True


class Server:
    def __init__(self, base):
        self.base, self.host = base, base.split("//")[1]
        jar = http.cookiejar.CookieJar(BehindTheProxy())
        cookies = urllib.request.HTTPCookieProcessor(jar)
        self.opener = urllib.request.build_opener(cookies)

    def request(self, path, data=None, headers=None):
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if data is not None:
            headers.update(Origin=f"https://{self.host}", Referer=f"https://{self.host}{path}")
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def csrf(self, path):
        body = self.request(path)[2]
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post(self, path, fields):
        fields = {"csrfmiddlewaretoken": self.csrf(path), **fields}
        return self.request(path, urllib.parse.urlencode(fields).encode())


def main(url_a, url_b, admin, username, password):
    a, b = Server(url_a), Server(url_b)
    label = "Entry added on server A"
    for server in (a, b):
        server.request("/news/")
        status, headers, body = server.request("/news/")
        assert status == 200 and headers["X-Page-Cache"] == "hit", (server.base, status)
        assert label.encode() not in body
    status, _, body = a.post(f"/{admin}login/", {"username": username, "password": password,
                                                 "next": f"/{admin}"})  # fmt: skip
    assert status == 200 and b"errornote" not in body, "sign-in on A failed"
    status, _, body = a.post(f"/{admin}pages/menuitem/add/", {"label": label, "url": "/a/"})
    assert status == 200 and label.encode() in body, "the menu entry was not saved on A"
    status, headers, body = b.request("/news/")
    assert status == 200 and label.encode() in body, "B still shows the page cached before"
    print("ok    an edit through A shows on B's next page, X-Page-Cache:", headers["X-Page-Cache"])

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, "PNG")
    boundary = "smoke-boundary-3d9a"
    token = a.csrf(f"/{admin}pages/menuitem/add/")
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; "
            f'filename="dot.png"\r\nContent-Type: image/png\r\n\r\n').encode()  # fmt: skip
    body += png.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    kind = f"multipart/form-data; boundary={boundary}"
    status, _, answer = a.request("/markdownx/upload/", body, {"Content-Type": kind})
    assert status == 200, answer
    url = re.search(r"\]\(([^)]+)\)", json.loads(answer)["image_code"]).group(1)
    status, _, image = b.request(urllib.parse.urlsplit(url).path)
    assert status == 200 and image.startswith(b"\x89PNG"), (url, status)
    print("ok    an image uploaded through A is served by B:", urllib.parse.urlsplit(url).path)


if __name__ == "__main__":
    main(*sys.argv[1:6])
