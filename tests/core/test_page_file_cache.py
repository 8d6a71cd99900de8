"""The file cache that holds whole pages (core.cache.PageFileCache): stored uncompressed,
and a page stored again replaces the old one (removed first, see PageFileCache.set)."""

from django.core.cache.backends.filebased import FileBasedCache

from core.cache import PageEntry, PageFileCache

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
