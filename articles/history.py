"""The public change log ("What changed") from revisions editors marked public."""

from core.cache import retire_pages_on_commit

from .models import Article, Section


def refresh_public_changes(article):
    rows = [
        *Article.history.filter(id=article.pk, public_change=True).values(
            "history_date", "history_change_reason"
        ),
        *Section.history.filter(article_id=article.pk, public_change=True).values(
            "history_date", "history_change_reason"
        ),
    ]
    rows.sort(key=lambda row: row["history_date"], reverse=True)
    changes = [
        {"date": row["history_date"].date().isoformat(), "note": row["history_change_reason"]}
        for row in rows
        if row["history_change_reason"]
    ]
    # A plain update: the log is derived data, not a revision of its own.
    Article.objects.filter(pk=article.pk).update(public_changes=changes)
    retire_pages_on_commit()
