"""Nu Html Checker (vnu.jar from the npm package vnu-jar): the HTML the server sends for
the reader pages has no errors. The pages are fetched with Django's test client (the
server's bytes, not the browser's re-serialised DOM) and checked in one Java call; the
counts go to artifacts/vnu-report.json."""

from pathlib import Path

import pytest
from django.urls import reverse

from comments import spam
from comments.models import Comment, Status

from .a11y import (
    ARTICLE_URL,
    CITATION_PATH,
    MISSING_PATH,
    SLUG,
    run_vnu,
    write_report,
)

# Slow: one Java run of the Nu Html Checker.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

NOT_LOCATED_PATH = "/citations/src-jps-2023-survey/"


def test_reader_pages_are_valid_html(client, tmp_path, imported):
    """Zero Nu Html Checker errors on the home page, the article, citation pages, the
    article after posting a comment, after sending feedback, the 404 page, the updates
    page, the report form, a refused answer and the help-now page."""
    article = imported
    approved = Comment.objects.create(
        article=article, name="Ada", body="It helped.\n\nThank you.", status=Status.APPROVED
    )
    Comment.objects.create(
        article=article,
        parent=approved,
        is_editorial=True,
        name="The editorial team",
        body="Thank you for telling us.",
        status=Status.APPROVED,
    )

    def get(path, status=200):
        response = client.get(path)
        assert response.status_code == status, path
        return response.content

    def post(path, data):
        response = client.post(path, data, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 303, response.status_code
        return get(response["Location"])

    token = spam.sign_timestamp(article.pk, when=spam.now() - 60)
    pages = {
        "home": get("/"),
        "article": get(ARTICLE_URL),
        "citation": get(CITATION_PATH),
        "citation-not-located": get(NOT_LOCATED_PATH),
        "article-after-comment": post(
            reverse("comments:post", args=[SLUG]),
            {"name": "Robin", "email": "", "body": "A comment.", "website": "", "token": token},
        ),
        "article-after-feedback": post(
            reverse("articles:feedback", args=[SLUG]), {"helpful": "yes"}
        ),
        "404": get(MISSING_PATH, status=404),
        "updates": get(reverse("articles:updates")),
        "report-form": get(reverse("comments:report", args=[approved.pk])),
        "feedback-refused": client.post(
            reverse("articles:feedback", args=[SLUG]),
            {"reason": "no answer chosen"},
            HTTP_SEC_FETCH_SITE="same-origin",
        ).content,
        "help-now": client.post(
            reverse("comments:post", args=[SLUG]),
            {
                "name": "Sam",
                "email": "",
                "body": "Everyone would be better off without me.",
                "website": "",
                "token": spam.sign_timestamp(article.pk, when=spam.now() - 60),
            },
            HTTP_SEC_FETCH_SITE="same-origin",
            HTTP_USER_AGENT="another reader",
        ).content,
    }
    assert b"Help is available now" in pages["help-now"]
    assert b"Your answer was not sent" in pages["feedback-refused"]
    assert b"your comment will appear" in pages["article-after-comment"]
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(path)

    # A known-bad page in the same call proves the checker looked at the files.
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="en"><title>x</title><ul><div></div></ul>')
    messages = run_vnu([*files, canary])
    assert any(Path(m.get("url", "")).name == "canary.html" for m in messages), messages
    messages = [m for m in messages if Path(m.get("url", "")).name != "canary.html"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    write_report(
        "vnu-report.json",
        {
            name: {
                "errors": sum(Path(m.get("url", "")).stem == name for m in errors),
                "warnings": sum(Path(m.get("url", "")).stem == name for m in warnings),
            }
            for name in pages
        },
    )
    assert errors == [], "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in errors
    )
