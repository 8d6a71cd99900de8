"""Loaded with `-p tests.environment` before Django's settings are read.

Tests run with production settings (debug off), a throwaway secret key, a private file
cache and no Redis of the developer's (a test clears its cache). DATABASE_URL passes
through, so `DATABASE_URL=postgres://… make test` runs the suite on PostgreSQL.
"""

import os
import secrets
import tempfile

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
# The test client and live server speak plain HTTP.
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ.pop("REDIS_URL", None)
_tmp = tempfile.mkdtemp(prefix="site-test-")
os.environ["DJANGO_CACHE_DIR"] = os.path.join(_tmp, "cache")
# Collected static files and any SQLite file live in a throwaway folder.
os.environ["DJANGO_VAR_DIR"] = os.path.join(_tmp, "var")
# Playwright's sync API runs an event loop in the test thread (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# "Fill from DOI/PubMed" never reaches Crossref or NCBI from a test: without the recorded
# server (tests/support/recorded_sources.py) a fetch meets a closed local port.
os.environ["CROSSREF_API_URL"] = "http://127.0.0.1:9/crossref"
os.environ["NCBI_EUTILS_URL"] = "http://127.0.0.1:9/eutils"
