import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.guards import CSP, TokenBuckets, host_allowed, host_name, retry_after, security_headers
from tests.service.conftest import make_engine


@pytest.mark.parametrize(
    ("header", "name"),
    [("LocalHost:8000", "localhost"), ("[::1]:8000", "::1"), ("::1", "::1"), ("a.gov.cn", "a.gov.cn")],
)
def test_host_name(header, name):
    assert host_name(header) == name


@pytest.mark.parametrize(
    ("header", "allowed", "ok"),
    [
        ("127.0.0.1:8000", ["127.0.0.1"], True),
        ("evil.example:8000", ["localhost", "127.0.0.1"], False),
        ("qa.yuzhong.gov.cn", ["*.gov.cn"], True),
        ("gov.cn.evil.example", ["*.gov.cn"], False),
        ("anything", ["*"], True),
        (None, ["*"], False),
    ],
)
def test_host_allowed(header, allowed, ok):
    assert host_allowed(header, allowed) is ok


def test_token_bucket_allows_a_burst_then_asks_to_wait_then_refills():
    buckets = TokenBuckets(rate=2.0, burst=3)
    assert [buckets.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", 0.0) == pytest.approx(0.5)  # one token takes 1/rate seconds
    assert buckets.take("b", 0.0) == 0.0  # clients are counted apart
    assert buckets.take("a", 1.0) == 0.0  # two tokens back after a second
    assert retry_after(0.2) == "1" and retry_after(2.1) == "3"


def test_the_docs_pages_have_no_csp_but_the_other_headers():
    assert security_headers("/")["Content-Security-Policy"] == CSP
    assert "Content-Security-Policy" not in security_headers("/docs")
    assert security_headers("/docs")["X-Frame-Options"] == "DENY"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, seeds_dir):
    engine = make_engine(
        tmp_path_factory.mktemp("guards"),
        seeds_dir,
        rate_limit_per_s=1,
        rate_limit_burst=3,
        tokens={"s3cret": {"name": "staff"}},
    )
    with TestClient(create_app(engine)) as c:
        yield c


def test_every_response_carries_the_security_headers(guarded):
    for r in (guarded.get("/"), guarded.get("/healthz"), guarded.get("/api/nope")):
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_a_foreign_host_header_is_refused_with_json(guarded):
    r = guarded.get("/api/facets", headers={"Host": "rebind.attacker.example"})
    assert r.status_code == 400
    assert "Host" in r.json()["error"]


def test_an_oversized_body_is_refused_before_it_is_read(guarded):
    r = guarded.post("/api/search", content=b"{}", headers={"Content-Length": str(10**10)})
    assert r.status_code == 413


def test_anonymous_clients_are_rate_limited_with_retry_after(tmp_path, seeds_dir):
    engine = make_engine(
        tmp_path, seeds_dir, rate_limit_per_s=1, rate_limit_burst=3, tokens={"s3cret": {"name": "staff"}}
    )
    with TestClient(create_app(engine)) as guarded:
        limited(guarded)


def limited(guarded):
    statuses = [guarded.get("/api/facets").status_code for _ in range(6)]
    assert statuses[:3] == [200, 200, 200]
    assert 429 in statuses
    r = guarded.get("/api/facets")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "too many" in r.json()["error"]
    assert guarded.get("/healthz").status_code == 200  # health checks are not limited
    assert guarded.get("/api/facets", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_cors_is_closed_by_default(guarded):
    r = guarded.get(
        "/api/facets", headers={"Origin": "https://elsewhere.example", "Authorization": "Bearer s3cret"}
    )
    assert "access-control-allow-origin" not in r.headers
