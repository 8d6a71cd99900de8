"""Helpers for the operations tests: comments added to the imported article (the
`imported` fixture, tests/conftest.py)."""

from datetime import timedelta

from django.utils import timezone


def add_comments(article, count, replies_every=0, status="approved"):
    """`count` top-level comments, oldest first, and an editorial reply to every
    `replies_every`-th one."""
    from comments.models import Comment

    start = timezone.now() - timedelta(days=30)
    comments = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Reader {n}",
            body=f"Comment {n}: thank you for the references.",
            status=status,
            created=start + timedelta(minutes=n),
        )
        for n in range(count)
    )
    if replies_every:
        Comment.objects.bulk_create(
            Comment(
                article=article,
                parent_id=parent.pk,
                is_editorial=True,
                name="Editorial team",
                body=f"Reply to comment {n}.",
                status="approved",
                created=parent.created + timedelta(seconds=30),
            )
            for n, parent in enumerate(comments)
            if n % replies_every == 0
        )
    return comments
