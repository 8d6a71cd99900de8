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
