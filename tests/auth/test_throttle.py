"""Failed sign-ins slow down a guesser per address, in the database, without locking the owner out for good."""
from datetime import timedelta

from survey import clock
from survey.auth.throttle import FREE_FAILURES, MAX_DELAY, delay_after
from tests.factories import PASSWORD, make_user


def attempt(client, email: str, password: str) -> str:
    return client.post("/login", {"email": email, "password": password}).get_data(as_text=True)


def wait(monkeypatch, delta: timedelta):
    moved = clock.now() + delta
    monkeypatch.setattr(clock, "now", lambda: moved)


def test_the_delay_doubles_and_is_capped():
    assert [delay_after(n).total_seconds() for n in range(FREE_FAILURES + 4)] == [0] * FREE_FAILURES + [30, 60, 120, 240]
    assert delay_after(100) == MAX_DELAY  # never a permanent lockout


def test_a_guesser_is_slowed_and_the_owner_gets_back_in(client, make_client, monkeypatch):
    make_user(email="gp@example.org")
    attacker = make_client()  # a different client each time: the throttle is per address, not per connection
    for _ in range(FREE_FAILURES):
        assert "do not match an account" in attempt(make_client(), "gp@example.org", "guess-number-1")
    # Now even the right password waits: the guesser cannot tell a hit from a miss.
    assert "Too many failed attempts" in attempt(attacker, "gp@example.org", PASSWORD)
    assert "Too many failed attempts" in attempt(client, "gp@example.org", PASSWORD)
    wait(monkeypatch, timedelta(seconds=31))
    assert "do not match an account" in attempt(attacker, "gp@example.org", "guess-number-2")
    assert "Try again in 1 minute" in attempt(attacker, "gp@example.org", "guess-number-3")  # doubled
    wait(monkeypatch, timedelta(seconds=61))
    assert client.login("gp@example.org").headers["Location"] == "/"  # the owner, once the wait has passed
    client.post("/logout")
    assert "do not match" in attempt(attacker, "gp@example.org", "guess-number-4")  # and the count starts again


def test_an_address_without_an_account_is_throttled_the_same(make_client):
    make_user(email="gp@example.org")
    for email in ("gp@example.org", "nobody@example.org"):
        pages = [attempt(make_client(), email, "guess-number-1") for _ in range(FREE_FAILURES + 1)]
        assert ["Too many" in page for page in pages] == [False] * FREE_FAILURES + [True], email


def test_a_password_reset_lifts_the_throttle(app, client, make_client):
    from tests.journey import link_in_mail

    make_user(email="gp@example.org")
    for _ in range(FREE_FAILURES + 2):
        attempt(make_client(), "gp@example.org", "guess-number-1")
    client.post("/reset-password", {"email": "gp@example.org"})
    link = link_in_mail(app, "gp@example.org", "/reset-password/")
    client.post(link, {"password": "a-new-password-2", "confirm": "a-new-password-2"})
    client.post("/logout")
    assert client.login("gp@example.org", "a-new-password-2").headers["Location"] == "/"
