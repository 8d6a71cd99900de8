"""Render every published article's stored page again, and retire cached pages.

Run after deploying new templates or static files (after collectstatic): until then each
article page is rendered for every reader instead of served from its stored copy
(articles.page.page_format), which is correct but slower. `make setup` and `make serve`
run it.
"""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.page import page_format
from core.cache import bump_content_version


class Command(BaseCommand):
    help = "Render every published article's stored page again (after collectstatic)."

    def handle(self, *args, **options):
        # Static files may have been collected since this process started (call_command
        # after collectstatic): the pages are rendered with them.
        page_format.cache_clear()
        bump_content_version()  # articles.signals renders every published page again
        count = Article.objects.published().exclude(reader_page=b"").count()
        self.stdout.write(f"{count} article page(s) stored.")
