"""A local HTTP server on 127.0.0.1 that answers as Crossref and NCBI E-utilities do,
from recorded responses in tests/data/sources/ (see the README there).

Crossref: GET /crossref/works/{doi} → crossref-{doi with / as _}.json, or 404 with
Crossref's plain-text "Resource not found.". E-utilities: GET /eutils/esummary.fcgi?
db=…&id=…&retmode=json → esummary-{db}-{id}.json. `delay` makes every answer late (for
timeouts), `answer` replaces every answer with (status, body, content type) for a
broken service; `requests` lists the paths asked for.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet test output
        pass

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.server.requests.append(self.path)
        time.sleep(self.server.delay)
        if self.server.answer_with:
            return self.answer(*self.server.answer_with)
        parts = urlsplit(self.path)
        name = None
        if parts.path.startswith("/crossref/works/"):
            doi = unquote(parts.path.removeprefix("/crossref/works/"))
            name = "crossref-" + doi.replace("/", "_") + ".json"
        elif parts.path == "/eutils/esummary.fcgi":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if query.get("retmode") == "json":
                name = f"esummary-{query.get('db')}-{query.get('id')}.json"
        path = DATA / name if name and "/" not in name.removesuffix(".json") else None
        if path is None or not path.is_file():
            self.answer(404, b"Resource not found.", "text/plain")
        else:
            self.answer(200, path.read_bytes(), "application/json")

    def answer(self, status, body, content_type):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout tests)


class RecordedSources(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []
        self.delay = 0
        self.answer_with = None
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
