import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core.text import without_invalid_characters

from .models import Article


class PlainSummaryAtomFeed(Atom1Feed):
    """Atom with the summary marked as what it is, plain text (Django marks it as HTML,
    so a reader would render `<b>` typed in a summary as markup)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ArticleUpdatesFeed(Feed):
    """Atom feed of article updates (newest change first)."""

    feed_type = PlainSummaryAtomFeed
    title = "Evidence Health: article updates"
    link = "/"
    subtitle = "New and revised articles, with how strong the evidence behind each claim is."

    def items(self):
        return (
            Article.objects.published()
            .prefetch_related("authors")
            .order_by("-content_changed")[:20]
        )

    # A control character (a vertical tab pasted into a title) is not allowed in XML:
    # Django would refuse to build the feed and every reader of it would get a 500.
    def item_title(self, item):
        return without_invalid_characters(item.title)

    def item_description(self, item):
        return without_invalid_characters(item.summary)

    def item_updateddate(self, item):
        return item.content_changed

    def item_pubdate(self, item):
        """First publication (Atom <published>); later changes are <updated>."""
        return timezone.make_aware(datetime.datetime.combine(item.published, datetime.time.min))

    def item_author_name(self, item):
        names = [profile.public_name for profile in item.authors.all()]
        return without_invalid_characters(", ".join(names)) or None
