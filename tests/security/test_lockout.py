"""Admin login lockout (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT wrong passwords the
right one is refused with the lockout page (HTTP 429), the lockout is logged, and neither
the database nor the log holds the client's real address."""

import ipaddress
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from .conftest import ADMIN

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-at-last"
REAL_IP = "198.51.100.23"
LOGIN = ADMIN + "login/"
DOCUMENTATION_RANGE = ipaddress.ip_network("2001:db8::/32")


@pytest.fixture
def axes_logs(caplog):
    """The "axes" logger does not propagate to the root: listen to it directly."""
    logger = logging.getLogger("axes")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="axes")
    yield caplog
    logger.removeHandler(caplog.handler)


def attempt(client, password, username="edith", ip=REAL_IP):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": ADMIN},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 (lockout test)",
    )


def test_admin_locks_out_after_the_configured_failures(client, make_user, settings, axes_logs):
    make_user("edith", password=PASSWORD)
    limit = settings.AXES_FAILURE_LIMIT
    assert limit >= 2

    for n in range(1, limit):
        response = attempt(client, f"wrong-{n}")
        assert response.status_code == 200, n  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()

    locking = attempt(client, f"wrong-{limit}")
    assert locking.status_code == 429

    # The right password no longer opens the admin, from this client or another one.
    for who in (client, Client()):
        response = attempt(who, PASSWORD)
        assert response.status_code == 429
        html = response.content.decode()
        assert "Too many failed sign-ins" in html
        assert "_auth_user_id" not in who.session
    assert client.get(ADMIN).status_code == 302  # still asked to log in

    lockouts = [r for r in axes_logs.records if "Locking out" in r.getMessage()]
    assert lockouts, "the lockout was not logged"
    assert all(r.levelno == logging.WARNING for r in lockouts)
    assert 'path_info: "/admin/login/"' in lockouts[0].getMessage()
    log_text = "\n".join(r.getMessage() for r in axes_logs.records)
    assert REAL_IP not in log_text

    (record,) = AccessAttempt.objects.all()
    assert record.failures_since_start >= limit  # attempts while locked count too
    assert ipaddress.ip_address(record.ip_address) in DOCUMENTATION_RANGE
    for row in [*AccessAttempt.objects.all(), *AccessLog.objects.all()]:
        assert REAL_IP not in str(vars(row))
    assert PASSWORD not in str(vars(record)) and "wrong-1" not in record.post_data


def test_fewer_failures_then_the_right_password_logs_in(client, make_user, settings):
    make_user("edith", password=PASSWORD)
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, f"wrong-{n}")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert not AccessAttempt.objects.exists()  # reset on success
    (login,) = AccessLog.objects.all()
    assert ipaddress.ip_address(login.ip_address) in DOCUMENTATION_RANGE


def test_guessing_many_usernames_from_one_place_locks_it_out(client, make_user, settings):
    """Spraying one password over many usernames is counted per client too."""
    make_user("edith", password=PASSWORD)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "Summer2025!", username=f"user{n}")
    assert attempt(client, PASSWORD).status_code == 429
    # Another client (another address) is not locked out by it.
    assert attempt(Client(), PASSWORD, ip="203.0.113.9").status_code == 302


def test_pseudonym_is_stable_per_address_and_differs_between_addresses(rf):
    from core.clients import pseudonymous_ip

    def ip(address):
        return pseudonymous_ip(rf.get("/", REMOTE_ADDR=address))

    assert ip(REAL_IP) == ip(REAL_IP)
    assert ip(REAL_IP) != ip("198.51.100.24")
    assert ipaddress.ip_address(ip(REAL_IP)) in DOCUMENTATION_RANGE
    assert not AccessFailureLog.objects.exists()


def test_signing_in_to_another_account_does_not_wipe_the_guesses(client, make_user, settings):
    """Four wrong guesses at one account, a sign-in to one's own, repeat: the guesses at
    the first account still count, and the address is locked out at the limit."""
    make_user("edith", password=PASSWORD)
    make_user("mallory", password="mallorys-own-password")
    limit = settings.AXES_FAILURE_LIMIT
    guesses = 0
    locked = False
    for _round in range(4):
        for _ in range(limit - 1):
            guesses += 1
            if attempt(client, f"guess-{guesses}").status_code == 429:
                locked = True
                break
        if locked:
            break
        attempt(Client(), "mallorys-own-password", username="mallory")
    assert locked, f"{guesses} guesses at one account and no lockout"
    assert guesses <= limit
    assert attempt(Client(), PASSWORD).status_code == 429


def test_failures_at_one_account_from_many_addresses_lock_that_account(client, make_user, settings):
    """Failures are counted per account too: guesses spread over addresses add up."""
    make_user("edith", password=PASSWORD)
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        attempt(Client(), f"wrong-{n}", ip=f"203.0.113.{n + 1}")
    assert attempt(Client(), PASSWORD, ip="198.51.100.77").status_code == 429


def test_a_success_resets_only_that_accounts_failures(client, make_user, settings):
    """Signing in clears the signing-in account's own slips from this address, not other
    accounts' failures and not the address's count of them."""
    make_user("edith", password=PASSWORD)
    make_user("olga", password="olgas-own-password-here")
    limit = settings.AXES_FAILURE_LIMIT
    attempt(client, "olga-typo", username="olga")
    for n in range(limit - 2):
        attempt(client, f"wrong-{n}")
    assert attempt(Client(), "olgas-own-password-here", username="olga").status_code == 302
    assert not AccessAttempt.objects.filter(username="olga").exists()
    assert AccessAttempt.objects.filter(username="edith").exists()
    # One more guess at edith: the address's failures are limit - 1, not locked yet;
    # the next one locks.
    assert attempt(client, "wrong-again").status_code == 200
    assert attempt(client, "wrong-once-more").status_code == 429
