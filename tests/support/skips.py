"""Tests that need something a machine may lack (Chromium, Java, PostgreSQL's server
binaries, Redis): skipped with the reason on a developer's machine, failed where an
environment variable says they must run (CI sets both)."""

import os

import pytest


def switched_on(variable):
    return os.environ.get(variable, "").strip().lower() in ("1", "true", "yes")


def unavailable(reason, required_by="REQUIRE_BROWSER"):
    """Skip with the reason, or fail when `required_by` (REQUIRE_BROWSER for the browser
    and HTML checks, CI for the operations tests) is set."""
    if switched_on(required_by):
        pytest.fail(f"{required_by} is set, but {reason}")
    pytest.skip(reason)


def require_tool(available, message):
    """unavailable(message) unless `available`."""
    if not available:
        unavailable(message)
