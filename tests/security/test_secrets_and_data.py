"""No secret in the repository; commenters' addresses never in pages, feeds, exports or
logs; no raw IP address stored anywhere.

Decision on the moderators' admin: the list of comments never shows an address (a list
is glanced at, screenshotted, shared); a comment's change form shows it, labelled
"Never shown. Used only to reply", because moderators reply privately to people in
distress and need it there. Moderators can also search by address, and erase by it.
"""

import ipaddress
import re
import subprocess

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client, TestCase

from comments import moderation
from comments.models import Comment, Status
from tests.comments.conftest import aged_token
from tests.conftest import ROOT

from .conftest import ADMIN, ARTICLE_URL, BROWSER, SLUG

# Built from pieces so that this file does not match its own patterns.
SECRET_PATTERNS = {
    "private key": re.compile("-----BEGIN [A-Z ]*" + "PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)" + r"[0-9A-Z]{16}\b"),
    "AWS secret key": re.compile(r"(?i)aws_secret_access_key" + r"\s*[=:]\s*\S{20,}"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_" + r"\w{40,})"),
    "Slack token": re.compile(r"\bxox[abprs]-" + r"[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza" + r"[0-9A-Za-z_-]{35}\b"),
    "Stripe live key": re.compile(r"\b[rs]k_live_" + r"[0-9A-Za-z]{20,}"),
    "Django secret key literal": re.compile(r"SECRET_KEY\s*=\s*[rbuf]*['\"]" + r"[^'\"]"),
    "insecure Django key": re.compile(r"django-insecure-" + r"[^\s'\"]{20,}"),
    "password literal": re.compile(
        r"(?i)\b\w*(?:PASSWORD|PASSWD|PWD)\w*['\"]?\s*[=:]\s*['\"](?P<value>[^'\"\s]{4,})['\"]"
    ),
    "password in an environment file": re.compile(
        r"(?im)^\s*(?:export\s+)?\w*(?:PASSWORD|PASSWD|PWD)\w*=(?P<value>[^\s'\"$]+)\s*$"
    ),
    "URL with credentials": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?P<value>[^/\s@'\"]+)@"
    ),
}
PLACEHOLDERS = {"CHANGE-ME", "pass", "password", "...", "<password>", "secret"}
# Tests and examples may hold throwaway passwords: never settings, code or deployment.
PASSWORDS_ALLOWED_IN = ("tests/", "bench/")
RISKY_NAMES = re.compile(
    r"(^|/)(\.env(\..*)?|id_[rd]sa|.*\.pem|.*\.key|.*\.p12|.*\.pfx|.*\.sqlite3|.*\.dump)$"
)


def tracked_files():
    result = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in result.stdout.decode().split("\0") if name]


def test_no_secret_in_the_repository():
    files = tracked_files()
    assert "config/settings.py" in files
    found = []
    for name in files:
        if RISKY_NAMES.search(name) and not name.endswith(".example"):
            found.append(f"{name}: a file that usually holds secrets")
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                value = match.groupdict().get("value")
                if value is not None:
                    if value in PLACEHOLDERS or value.startswith(("os.environ", "env", "$")):
                        continue
                    if kind.startswith("password") and name.startswith(PASSWORDS_ALLOWED_IN):
                        continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {kind}: {match.group(0)[:60]!r}")
    assert not found, "\n".join(found)


def test_the_scan_finds_planted_secrets():
    """The patterns above are not vacuous (the samples are built here, not written out)."""
    planted = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "Django secret key literal": "SECRET" + '_KEY = "abc"',
        "insecure Django key": "django-" + "insecure-" + "x" * 40,
        "password literal": "EMAIL_HOST_" + 'PASSWORD = "hunter22"',
        "password in an environment file": "DB_" + "PASSWORD=hunter22",
        "URL with credentials": "postgres://app:" + "hunter22@db/site",
        "GitHub token": "ghp_" + "a" * 36,
    }
    for kind, sample_text in planted.items():
        assert SECRET_PATTERNS[kind].search(sample_text), kind


def test_settings_take_secrets_only_from_the_environment():
    settings_py = (ROOT / "config/settings.py").read_text()
    assert 'os.environ.get("DJANGO_SECRET_KEY"' in settings_py
    assert 'os.environ.get("EMAIL_HOST_PASSWORD"' in settings_py
    assert "dev-secret-key" in settings_py  # debug's key lives under var/, ignored by git
    ignored = subprocess.run(
        ["git", "check-ignore", "var/dev-secret-key"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0


EMAIL = "reader.private-address@example.org"
REAL_IP = "198.51.100.77"
FORWARDED = "203.0.113.88"


@pytest.mark.django_db
def test_commenters_email_never_shown_or_logged(
    client, published, open_comments, moderator, moderator_client, all_logs, settings
):
    """Post a comment with an address, approve it, and look everywhere a reader, a feed
    reader, a crawler or a log could."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/comments/post/{SLUG}/",
            {"name": "Sam", "email": EMAIL, "body": "I take 5 mg, is that ok?",
             "token": aged_token(published)},
            **BROWSER,
        )  # fmt: skip
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.email == EMAIL  # kept, for a private reply
    with TestCase.captureOnCommitCallbacks(execute=True):
        moderation.approve([comment], moderator)

    public = [
        "/",
        ARTICLE_URL,
        ARTICLE_URL + "?comment=received",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/citations/trial2020/",
        f"/citations/export/{SLUG}.ris",
        f"/citations/export/{SLUG}.bib",
        f"/citations/export/{SLUG}.json",
        "/about/",
        "/privacy/",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert EMAIL not in response.content.decode(), url
        assert "reader.private-address" not in response.content.decode(), url
    for url in (
        ADMIN,
        ADMIN + "comments/comment/",
        ADMIN + "comments/comment/?status__exact=approved",
    ):
        listing = moderator_client.get(url)
        assert listing.status_code == 200
        assert EMAIL not in listing.content.decode(), url
    form = moderator_client.get(f"{ADMIN}comments/comment/{comment.pk}/change/")
    assert EMAIL in form.content.decode()  # the decision above: moderators, to reply
    assert "Never shown. Used only to reply." in form.content.decode()

    assert mail.outbox, "moderators were told about the comment"
    for message in mail.outbox:
        assert EMAIL not in message.subject + message.body + " ".join(message.to)
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r}" for record in all_logs.records
    )
    assert "comment 1" in logged or "comment" in logged  # the logs were captured
    assert EMAIL not in logged and "private-address" not in logged


def stored_text():
    """Every text-like value in every table, as one list of strings."""
    values = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(
                f,
                (
                    models.CharField,
                    models.TextField,
                    models.JSONField,
                    models.GenericIPAddressField,
                ),
            )
        ]
        if fields:
            for row in model._base_manager.values_list(*fields):
                values += [str(value) for value in row if value]
    return values


@pytest.mark.django_db
def test_no_raw_ip_address_is_stored_or_logged(
    client, published, make_user, open_comments, settings, all_logs
):
    """Comments, reports, feedback and admin logins (failed and successful) from one
    address, behind a proxy that forwards another: neither address is in the database
    or the logs."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    address = {"REMOTE_ADDR": REAL_IP, "HTTP_X_FORWARDED_FOR": f"{FORWARDED}, {REAL_IP}"}
    headers = {**BROWSER, **address}
    make_user("edith", password="a-long-test-password")
    approved = Comment.objects.create(
        article=published, name="A", body="Shown", status=Status.APPROVED
    )

    post = client.post(
        f"/comments/post/{SLUG}/",
        {"name": "Sam", "body": "Hello.", "token": aged_token(published)},
        **headers,
    )
    assert post.status_code == 303
    assert client.post(f"/comments/{approved.pk}/report/", {}, **headers).status_code == 303
    feedback = client.post(f"/articles/{SLUG}/feedback/", {"helpful": "yes"}, **headers)
    assert feedback.status_code == 303
    admin = Client()
    for password in ("wrong-one", "wrong-two", "a-long-test-password"):
        admin.post(ADMIN + "login/", {"username": "edith", "password": password}, **address)
    assert "_auth_user_id" in admin.session

    values = stored_text()
    assert len(values) > 20  # the scan saw the rows
    for ip in (REAL_IP, FORWARDED):
        leaks = [value for value in values if ip in value]
        assert not leaks, leaks
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in all_logs.records)
    assert "AXES" in logged  # the axes log was captured
    assert REAL_IP not in logged and FORWARDED not in logged

    from axes.models import AccessAttempt, AccessLog

    for row in [*AccessAttempt.objects.all(), *AccessLog.objects.all()]:
        assert ipaddress.ip_address(row.ip_address) in ipaddress.ip_network("2001:db8::/32")
