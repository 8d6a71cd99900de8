"""The public change log ("What changed") from revisions editors marked public.

It follows the history: a public change that a later revision undid (the text is back to
what it was before the change, or a deleted section was restored) is marked reverted.
"""

from core.cache import retire_pages_on_commit

from .models import Article, Section
from .page import store_page

CONTENT_FIELDS = {Article: ("title", "summary"), Section: ("title", "body_markdown")}


def revisions_by_object(model, **filters):
    grouped = {}
    for record in model.history.filter(**filters).order_by("history_date", "history_id"):
        grouped.setdefault(record.id, []).append(record)
    return grouped.values()


def public_changes(model, revisions):
    """(record, reverted record or None) for each public revision of one object."""
    fields = CONTENT_FIELDS[model]

    def content(record):
        return tuple(getattr(record, name) for name in fields)

    found = []
    for n, record in enumerate(revisions):
        if not record.public_change or not record.history_change_reason:
            continue
        later = revisions[n + 1 :]
        if record.history_type == "-":
            undone = next((r for r in later if r.history_type != "-"), None)
        elif n and content(revisions[n - 1]) != content(record):
            before = content(revisions[n - 1])
            undone = next(
                (r for r in later if r.history_type != "-" and content(r) == before), None
            )
        else:  # the first revision, or one that changed no text: nothing to undo
            undone = None
        found.append((record, undone))
    return found


def refresh_public_changes(article):
    rows = []
    for revisions in revisions_by_object(Article, id=article.pk):
        rows += public_changes(Article, revisions)
    for revisions in revisions_by_object(Section, article_id=article.pk):
        rows += public_changes(Section, revisions)
    rows.sort(key=lambda row: row[0].history_date, reverse=True)
    changes = []
    for record, undone in rows:
        change = {
            "date": record.history_date.date().isoformat(),
            "note": record.history_change_reason,
            "reverted": undone.history_date.date().isoformat() if undone else None,
        }
        # One save of the article screen leaves its note on every section it changed:
        # readers see it once.
        if not any(c["date"] == change["date"] and c["note"] == change["note"] for c in changes):
            changes.append(change)
    # A plain update: the log is derived data, not a revision of its own.
    Article.objects.filter(pk=article.pk).update(public_changes=changes)
    store_page(article.pk)
    retire_pages_on_commit()
