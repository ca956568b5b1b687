"""The client address: X-Forwarded-For only counts when a trusted proxy sent it."""

import pytest
from django.test import RequestFactory

from airml.net import client_ip


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["172.30.57.10"]


def test_client_ip_without_proxies_ignores_forwarded_header(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from("198.51.100.9", "203.0.113.1")) == "198.51.100.9"


def test_client_ip_from_trusted_proxy_is_the_forwarded_address(behind_proxy):
    assert client_ip(request_from("172.30.57.10", "203.0.113.1")) == "203.0.113.1"


def test_client_ip_from_untrusted_peer_ignores_forwarded_header(behind_proxy):
    assert client_ip(request_from("198.51.100.9", "203.0.113.1")) == "198.51.100.9"


def test_client_ip_ignores_addresses_a_visitor_prepended(behind_proxy):
    # The visitor sent "X-Forwarded-For: 10.0.0.1"; the proxy appended their real address.
    assert client_ip(request_from("172.30.57.10", "10.0.0.1, 203.0.113.1")) == "203.0.113.1"


def test_client_ip_accepts_networks_and_ipv6(settings):
    settings.TRUSTED_PROXIES = ["172.30.57.0/24", "::1"]

    assert client_ip(request_from("172.30.57.99", "2001:db8::7")) == "2001:db8::7"
    assert client_ip(request_from("::1", "203.0.113.5")) == "203.0.113.5"


def test_client_ip_falls_back_to_peer_on_garbage(behind_proxy):
    assert client_ip(request_from("172.30.57.10", "not-an-ip")) == "172.30.57.10"
