"""The content version and the store of whole reader pages.

The content version is one number in the shared cache that every change readers could
see bumps (an edit, a medical review, a moderation decision, a citation fix). Cached pages
are stored with the version they were rendered under and count as fresh only while it is
current, so a change made in any process (a gunicorn worker, another app server, a
management command) retires every cached page at once: every process reads the version
from the same shared cache (Redis with REDIS_URL, else the file cache every process on
the machine shares; never the per-process local-memory cache, which no other process
can see).

Pages themselves live in the shared cache too (one render serves every worker and app
server), with a small per-process copy in front of it: a warm request then costs one
read of the small version key instead of reading and unpickling the whole page. The
local copy is only ever used when its version equals the shared version read for the
same request, so it can never be staler than the shared cache.
"""

import hashlib
import logging
import os
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PAGE_KEY_PREFIX = "page:"


class _FileVersion:
    """The version as this process last read it from the file cache, with the identity
    of the file it came from. Every bump writes a new file (the file cache writes a
    temporary file and renames it over the old one), so while the file's inode, size and
    modification time are unchanged, so is the version: a warm request then costs one
    stat() instead of opening, reading, decompressing and unpickling the file, and a
    bump from any process on the machine is still seen by the next request."""

    def __init__(self):
        self.backend = self.path = self.identity = self.version = None
        self.lock = threading.Lock()

    def get(self, backend):
        if backend is not self.backend:
            # The file cache's own name for the key (a method Django has had since 1.x).
            path = backend._key_to_file(VERSION_KEY)
            with self.lock:
                self.backend, self.path, self.identity = backend, path, None
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self.lock:
            if identity == self.identity:
                return self.version
        # Read after the stat: a bump in between makes the next stat differ, so a newer
        # value may be kept under an older identity, never the reverse.
        version = backend.get(VERSION_KEY)
        if version is not None:
            with self.lock:
                self.identity, self.version = identity, version
        return version


_file_version = _FileVersion()


def content_version():
    default = caches["default"]
    if isinstance(default, FileBasedCache):
        version = _file_version.get(default)
        if version is not None:
            return version
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or flushed cache: start from the clock so the number never goes back
        # to one that old cached pages were stored under.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


class _Retirement:
    """The pages retirement that the callbacks registered since the last one ran share."""

    done = False


def retire_pages_on_commit():
    """Retire every cached page when the current transaction commits, after everything it
    stores (at once outside a transaction): retired earlier, a page rendered in between
    would be stored under the new version with the old content. However many changes a
    transaction makes, pages are retired once: the first of its callbacks to run does it."""
    connection = transaction.get_connection()
    retirement = getattr(connection, "pages_retirement", None)
    if retirement is None or retirement.done:
        retirement = connection.pages_retirement = _Retirement()

    def retire():
        if not retirement.done:
            retirement.done = True
            retire_pages()

    transaction.on_commit(retire)


# Sent by bump_content_version(): apps that store rendered pages (articles.page) render
# them again from the database.
pages_outdated = Signal()


def bump_content_version():
    """After a change made behind the models' back (QuerySet.update() sends no signal):
    every app renders the pages it stores again, and every cached page is retired, in
    every process, now. Changes saved through the models call retire_pages_on_commit()."""
    pages_outdated.send(sender=None)
    retire_pages()


def retire_pages():
    """Retire every cached page, in every process, now."""
    version = time.time_ns()
    try:
        if cache.get(VERSION_KEY) == version:  # two bumps in the same nanosecond
            version += 1
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        # The shared cache is unreachable: the change is saved, and pages cached before
        # it expire within PAGE_CACHE_SECONDS. Never fail an editor's save for it.
        logger.error("could not bump the content version: the shared cache is unreachable")


@dataclass(frozen=True)
class PageEntry:
    """One cached response: the body, the headers to send again, and its validators."""

    version: int
    stored: float  # time.time() of the render; also the Last-Modified of this copy
    content: bytes
    headers: tuple  # ((name, value), ...) without Set-Cookie or Vary
    etag: str
    size: int = field(default=0)

    def is_fresh(self, version, max_age, now=None):
        return self.version == version and (now or time.time()) - self.stored < max_age


class PageFileCache(FileBasedCache):
    """The file cache without compression, for whole pages.

    Django's file cache compresses every value with zlib's default level, which takes
    about 4.5 ms for a 160 KB article; level 1 takes 1.3 ms of a cold render that is now
    about 3 ms in all. Pages are stored uncompressed instead (zlib's level 0: stored
    blocks, which Django's reading code decompresses as any other, in about 0.1 ms): a
    page takes 160 KB on disk instead of 36 KB. Same folder, key function and file names
    as the default cache, so cache.clear() and culling cover pages too.

    Django lists the folder before every write to see whether it must cull (a tenth of
    a cold render); pages cull on every CULL_EVERY-th write of the process instead, so
    the folder can grow past MAX_ENTRIES by the pages written between two culls.
    """

    CULL_EVERY = 16
    _writes = 0

    def _cull(self):
        PageFileCache._writes += 1
        if PageFileCache._writes % self.CULL_EVERY == 1:
            super()._cull()

    @classmethod
    def beside(cls, backend):
        return cls(
            backend._dir,
            {
                "TIMEOUT": backend.default_timeout,
                "OPTIONS": {
                    "MAX_ENTRIES": backend._max_entries,
                    "CULL_FREQUENCY": backend._cull_frequency,
                },
                "KEY_PREFIX": backend.key_prefix,
                "VERSION": backend.version,
                "KEY_FUNCTION": backend.key_func,
            },
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Django writes a temporary file and renames it over the old one. Over an existing
        # file, ext4 (auto_da_alloc) flushes the new file's data to disk during the
        # rename, which costs more than the rest of the write: the old page is removed
        # first. A reader in between finds no page and renders one, as on any miss.
        try:
            os.remove(self._key_to_file(key, version))
        except FileNotFoundError:
            pass
        super().set(key, value, timeout, version)

    def stored_at(self, key):
        """When the entry under key was written (its file's modification time), or None."""
        try:
            return os.stat(self._key_to_file(key)).st_mtime
        except FileNotFoundError:
            return None

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        write_stored_zlib(file, pickle.dumps(value, self.pickle_protocol))


def write_stored_zlib(file, data):
    """Write `data` as a zlib stream of stored (uncompressed) blocks, RFC 1950 and 1951:
    what zlib.compress(data, 0) returns, without copying the data through the deflate
    machinery first (a quarter of a cold render's cache write for a 160 KB page)."""
    file.write(b"\x78\x01")  # deflate, 32 KB window, no dictionary, fastest
    view = memoryview(data)
    start = 0
    while True:
        block = view[start : start + 0xFFFF]
        start += len(block)
        final = start >= len(view)
        size = len(block)
        file.write(
            bytes((final,)) + size.to_bytes(2, "little") + (size ^ 0xFFFF).to_bytes(2, "little")
        )
        file.write(block)
        if final:
            break
    file.write(zlib.adler32(data).to_bytes(4, "big"))


class PageStore:
    """Whole pages in the shared cache, with a bounded per-process copy of the hot ones.

    The shared copy is kept for `stale_seconds` (a day) whatever its version, so that
    when rendering fails because the database is down the last good page can still be
    served; freshness is decided by the caller (version and age), not by the cache
    timeout.
    """

    def __init__(self, stale_seconds, local_entries=64, local_bytes=16 * 1024 * 1024):
        self.stale_seconds = stale_seconds
        self.local_entries = local_entries
        self.local_bytes = local_bytes
        self._local = OrderedDict()
        self._local_size = 0
        self._lock = threading.Lock()  # runserver and threaded workers share the store
        self._backends = (None, None)

    def backend(self):
        """The default cache, or for the file cache its fast-compressing twin."""
        default = caches["default"]
        if not isinstance(default, FileBasedCache):
            return default
        if self._backends[0] is not default:
            self._backends = (default, PageFileCache.beside(default))
        return self._backends[1]

    @staticmethod
    def shared_key(key):
        # Hashed: cache backends limit key length and characters (memcached-safe).
        return PAGE_KEY_PREFIX + hashlib.sha256(key.encode()).hexdigest()

    def get(self, key, version, max_age):
        """The entry for this key if one is fresh for `version` and `max_age`: the local
        copy, else the shared one; None if neither is."""
        with self._lock:
            local = self._local.get(key)
            if local is not None and local.is_fresh(version, max_age):
                self._local.move_to_end(key)
                return local
        backend = self.backend()
        if isinstance(backend, PageFileCache):
            # A file written longer than max_age ago holds no fresh page: not read at all.
            stored_at = backend.stored_at(self.shared_key(key))
            if stored_at is None or time.time() - stored_at >= max_age:
                return None
        entry = backend.get(self.shared_key(key))
        if isinstance(entry, PageEntry) and entry.is_fresh(version, max_age):
            self._remember(key, entry)
            return entry
        return None

    def last_copy(self, key):
        """Whatever is stored for this key, fresh or not (for a database outage): the
        shared copy, else this process's own; None when there is neither."""
        with self._lock:
            local = self._local.get(key)
        entry = self.backend().get(self.shared_key(key))
        return entry if isinstance(entry, PageEntry) else local

    def set(self, key, entry):
        self.backend().set(self.shared_key(key), entry, self.stale_seconds)
        self._remember(key, entry)

    def _remember(self, key, entry):
        with self._lock:
            self._remember_locked(key, entry)

    def _remember_locked(self, key, entry):
        old = self._local.pop(key, None)
        if old is not None:
            self._local_size -= old.size
        if entry.size > self.local_bytes // 4:
            return
        self._local[key] = entry
        self._local_size += entry.size
        while len(self._local) > self.local_entries or self._local_size > self.local_bytes:
            _, dropped = self._local.popitem(last=False)
            self._local_size -= dropped.size
