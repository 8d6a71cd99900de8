"""The comments section is valid HTML (Nu Html Checker) in each of its states: with
comments and replies, with the notices, and with a refused form and its errors."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from comments import moderation
from tests.support.skips import unavailable

from .conftest import approved, form_data, post_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture
def vnu():
    if not VNU.exists() or not shutil.which("java"):
        unavailable("the Nu Html Checker needs Java 17+ and `npm ci` (vnu-jar)")
    return VNU


def comment_lines(html):
    """The line numbers (1-based) that the comments section spans in the page."""
    start = html.index('<section id="comments"')
    end = html.index("</section>", html.index('id="comment-form"')) + len("</section>")
    return range(html.count("\n", 0, start) + 1, html.count("\n", 0, end) + 2)


def test_comments_section_is_valid_html(vnu, tmp_path, client, article, moderator):
    """No validation error inside the comments section, in every state it can be in."""
    comment = approved(article, name="زینب <b>", body="Hi https://example.org/x\n\nTwo")
    moderation.reply(comment, "A reply", moderator)
    for i in range(25):
        approved(article, body=f"comment {i}")
    url = article.get_absolute_url()
    pages = {
        "received.html": client.get(url + "?comment=received").content.decode(),
        "page2.html": client.get(url + "?page=2&reported=1").content.decode(),
        "refused.html": client.post(
            post_url(article),
            form_data(article, body="x" * 4000, email="not an address", name=""),
            HTTP_SEC_FETCH_SITE="same-origin",
        ).content.decode(),
    }
    assert 'role="alert"' in pages["refused.html"]
    for name, html in pages.items():
        (tmp_path / name).write_text(html)
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(tmp_path / name) for name in pages],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = []
    for message in messages:
        name = Path(message.get("url", "")).name
        if message["type"] == "error" and name in pages:
            if message.get("lastLine", 0) in comment_lines(pages[name]):
                errors.append(f"{name}:{message['lastLine']}: {message['message']}")
    assert errors == []
