"""gunicorn settings for production (`make serve`, deploy/evidence-health.service).

Every knob that differs between machines is an environment variable: GUNICORN_BIND,
WEB_CONCURRENCY, GUNICORN_ACCESS_LOG, GUNICORN_MAX_REQUESTS,
GUNICORN_FORWARDED_ALLOW_IPS. `make bench` measures this configuration.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule for sync workers: two per core, plus one, so a worker waiting on
# PostgreSQL or Redis leaves the cores busy with others. Reader pages are mostly served
# from the page cache in well under a millisecond; nginx buffers slow clients, so no
# worker waits on a phone's connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once in the master: workers share its memory pages and start faster.
preload_app = True
# Memory stays flat (make bench checks it over 50,000 requests), so workers are not
# recycled by default; set GUNICORN_MAX_REQUESTS as a safety net if that ever changes.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
timeout = 30
graceful_timeout = 30
keepalive = 5
# The workers' heartbeat files in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Requests bigger than this never reach Django (nginx limits bodies too).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Behind nginx, which keeps the access log, set GUNICORN_ACCESS_LOG= (empty) to turn this
# one off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# The worker's pid on each line: which worker answered (tests check that every worker
# sees an edit at once; operators can match a slow request to a worker).
# No client address and no query string: the site never keeps readers' or commenters'
# addresses, logs included, and a query can hold what a moderator searched for (an
# email address). The error log leaves both out too (config/gunicorn_logging.py).
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %(p)s'
logger_class = "config.gunicorn_logging.AddressFreeLogger"
# gunicorn's control socket lives at one path per user: several instances on one machine
# (app servers on two ports, tests, the bench) would fight over it. systemd's signals
# (reload = HUP) are all we use.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The scheme a trusted proxy (above) reports, in the one header nginx sets; gunicorn's
# defaults also believe X-Forwarded-Protocol and X-Forwarded-SSL. From any other client
# the header is ignored and the request is plain HTTP, as it arrived.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# Not even the proxy may set WSGI variables through headers (gunicorn trusts SCRIPT_NAME
# and PATH_INFO headers from forwarded_allow_ips by default): the site is served at the
# root, and a SCRIPT_NAME passed through from a client would make one page answer at
# another page's address. Headers with underscores are dropped.
forwarder_headers = ""
header_map = "drop"
