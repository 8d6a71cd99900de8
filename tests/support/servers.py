"""The site under gunicorn with production settings, for the operations tests and for
`make bench` and `make audit` (bench/ imports this module).

Standard library only: the bench scripts run before anything else is set up, and a
test's server must not share the test process's Django settings.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(var_dir, database_url, secret_key, inherit=(), **extra):
    """Production settings (DJANGO_DEBUG unset) for a subprocess: nothing of the calling
    process's own Django, gunicorn, database or cache environment, except the variables
    named in `inherit` (the bench keeps REDIS_URL and WEB_CONCURRENCY)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in inherit
        or (
            not key.startswith(("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY"))
            and key not in ("DATABASE_URL", "REDIS_URL")
        )
    }
    env.update(
        {
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def children(pid):
    """The process ids of pid's children (a gunicorn arbiter's workers)."""
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def answers(url):
    """True if url answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


class Gunicorn:
    """The site under gunicorn (config/gunicorn.conf.py) on a free port of 127.0.0.1, in a
    process group of its own so that stop() ends the workers too.

    `workers` sets WEB_CONCURRENCY (None: the configuration's default, or what `env`
    says). With `access_log` the access log goes to access-<name>.log in log_dir, which
    access_pids() reads; without it there is none, as behind nginx.
    """

    def __init__(self, env, log_dir, workers=None, name="app", wait=True, access_log=True):
        self.name = name
        self.port = free_port()
        self.worker_count = workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"gunicorn-{name}.log"
        self.access_path = Path(log_dir) / f"access-{name}.log"
        self.log = open(self.log_path, "wb")
        settings = {"GUNICORN_ACCESS_LOG": str(self.access_path) if access_log else ""}
        if workers is not None:
            settings["WEB_CONCURRENCY"] = str(workers)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "config.wsgi",
            ],
            cwd=ROOT,
            env={**env, **settings},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            try:
                self.wait_until_up()
            except BaseException:
                self.stop()
                raise

    def wait_until_up(self, seconds=30):
        """Until /healthz answers and, when the count was given, every worker exists (the
        arbiter forks them one by one: the first may answer before the last exists)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            if answers(self.base + "/healthz") and (
                self.worker_count is None or len(self.workers()) == self.worker_count
            ):
                return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer within {seconds} s:\n{self.output()}")

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def workers(self):
        return children(self.process.pid)

    def access_pids(self, since=0):
        """The worker pids in the access log after byte offset `since`."""
        text = self.access_path.read_text() if self.access_path.exists() else ""
        return [int(pid) for pid in re.findall(r"<(\d+)>$", text[since:], re.M)]

    def access_size(self):
        return self.access_path.stat().st_size if self.access_path.exists() else 0

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()


def wait_for(url, seconds=30):
    """Until url answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(url):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")
