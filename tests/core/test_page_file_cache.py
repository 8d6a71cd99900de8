"""The file cache that holds whole pages (core.cache.PageFileCache): stored uncompressed,
and a page stored again replaces the old one (removed first, see PageFileCache.set)."""

import io
import os
import time
import zlib

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from core.cache import PageEntry, PageFileCache, PageStore, write_stored_zlib

PAGE = b"<p>The article.</p>" * 5000


def entry(content, stored=1.0):
    return PageEntry(
        version=1, stored=stored, content=content, headers=(), etag='"x"', size=len(content)
    )


def test_a_page_stored_again_replaces_the_old_one(tmp_path):
    pages = PageFileCache.beside(FileBasedCache(str(tmp_path), {}))
    pages.set("page:one", entry(PAGE))
    pages.set("page:one", entry(PAGE + b"<p>Corrected.</p>", stored=2.0))
    assert pages.get("page:one") == entry(PAGE + b"<p>Corrected.</p>", stored=2.0)
    assert len(list(tmp_path.glob("*.djcache"))) == 1


def test_pages_are_stored_uncompressed_and_read_by_the_default_cache(tmp_path):
    default = FileBasedCache(str(tmp_path), {})
    PageFileCache.beside(default).set("page:one", entry(PAGE))
    (path,) = tmp_path.glob("*.djcache")
    assert path.stat().st_size > len(PAGE)  # level 0: not smaller than the page
    assert default.get("page:one") == entry(PAGE)


@pytest.mark.parametrize("size", [0, 1, 65_534, 65_535, 65_536, 131_070, 200_000])
def test_the_stored_blocks_are_a_zlib_stream_of_any_length(size):
    """Stored blocks hold at most 65,535 bytes each: lengths around the boundary."""
    data = os.urandom(size)
    out = io.BytesIO()
    write_stored_zlib(out, data)
    assert zlib.decompress(out.getvalue()) == data


def test_a_page_file_written_long_ago_is_not_read(tmp_path, settings):
    """An entry older than the page cache's max age cannot be fresh: the store answers
    without reading the file."""
    store = PageStore(stale_seconds=3600)
    store._backends = (None, PageFileCache.beside(FileBasedCache(str(tmp_path), {})))
    store.backend = lambda: store._backends[1]
    page = entry(PAGE, stored=time.time())
    store.set("http://testserver/a/", page)
    store._local.clear()  # another process: no local copy
    assert store.get("http://testserver/a/", 1, max_age=60) == page
    (path,) = tmp_path.glob("*.djcache")
    os.utime(path, (time.time() - 120, time.time() - 120))
    path.write_bytes(b"not a page")  # would fail to unpickle if it were read
    os.utime(path, (time.time() - 120, time.time() - 120))
    store._local.clear()
    assert store.get("http://testserver/a/", 1, max_age=60) is None


def test_pages_are_culled_past_max_entries(tmp_path):
    """Culling runs on one write in CULL_EVERY: however many pages are written, the
    folder holds at most MAX_ENTRIES and the writes between two culls."""
    default = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    pages = PageFileCache.beside(default)
    for n in range(300):
        pages.set(f"page:{n}", entry(b"<p>A page.</p>"))
    assert len(list(tmp_path.glob("*.djcache"))) <= 30 + 2 * PageFileCache.CULL_EVERY
