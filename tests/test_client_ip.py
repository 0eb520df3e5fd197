from django.test import RequestFactory

from backend.client_ip import client_ip


def request(remote="10.0.0.9", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_socket_address_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.9"


def test_address_seen_by_the_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "6.6.6.6"; the proxy appended what it saw.
    assert client_ip(request(forwarded="6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="6.6.6.6, 1.2.3.4, 10.1.1.1")) == "1.2.3.4"


def test_falls_back_to_the_socket_when_the_header_is_short(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.9"
    assert client_ip(None) is None
