"""gunicorn settings for production (`make serve`, deploy/site.service)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule for sync workers: two per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once in the master: workers share its memory pages and start faster.
preload_app = True
timeout = 30
graceful_timeout = 30
keepalive = 5
# Requests bigger than this never reach Django (nginx limits bodies too).
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# The worker's pid on each line: which worker answered (tests check that every worker
# sees an edit at once; operators can match a slow request to a worker).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s'
# gunicorn's control socket lives at one path per user: several instances on one machine
# (app servers on two ports, tests, the bench) would fight over it. systemd's signals
# (reload = HUP) are all we use.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
