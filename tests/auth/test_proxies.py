"""Behind a trusted proxy each client has its own limit; without one, a forged X-Forwarded-For changes nothing."""
import pytest


def attempts(app, forwarded_for: str, n: int) -> list[int]:
    from tests.conftest import FormClient

    client = FormClient(app)
    client.client.environ_base.update({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded_for})
    return [client.post("/login", {"email": "x@example.org", "password": "guess-number-1"}).status_code
            for _ in range(n)]


class TestBehindOneProxy:
    @pytest.fixture
    def config_overrides(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", "TRUSTED_PROXIES": 1}

    def test_each_client_behind_the_proxy_has_its_own_limit(self, app):
        assert attempts(app, "203.0.113.7", 4) == [200, 200, 200, 429]
        assert attempts(app, "198.51.100.9", 3) == [200, 200, 200]  # not locked out by the first client


class TestNoProxy:
    @pytest.fixture
    def config_overrides(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", "TRUSTED_PROXIES": 0}

    def test_a_forged_forwarded_for_header_does_not_reset_the_limit(self, app):
        assert attempts(app, "203.0.113.7", 3) == [200, 200, 200]
        assert attempts(app, "198.51.100.9", 1) == [429]  # the connecting address is what counts


def test_the_development_server_log_hides_link_tokens(app):
    import logging

    [redacting] = [f for f in logging.getLogger("werkzeug").filters if type(f).__name__ == "RedactingFilter"]
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - [x] "%s" %s -',
                               ("GET /reset-password/s3cr3t-token HTTP/1.1", 200), None)
    assert redacting.filter(record)
    assert record.getMessage() == '127.0.0.1 - - [x] "GET /reset-password/[redacted] HTTP/1.1" 200 -'
