"""Comments are plain text: shown escaped, with paragraphs and line breaks kept.

Every character of the text goes through `escape()`; the only markup added is ours:
`<p>`, `<br>` and, for http(s) addresses, `<a href="…" rel="nofollow ugc noopener">`
whose address is the escaped text itself. Nothing the reader typed is ever marked safe
unescaped, so script or markup in a comment is shown as text.

This runs when the page is rendered (it is escaping, not the Markdown pipeline, and the
whole page is cached): a moderator's decision or an erasure never leaves stale HTML
behind in the database.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

URL_RE = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than an address ("see https://x.org/a.").
TRAILING = ".,;:!?)]}\u2019\u201d*_"
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n+")


def _link(url):
    # Unmatched closing brackets belong to the sentence: "(see https://x.org/a)".
    tail = ""
    while url and url[-1] in TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    if not re.match(r"https?://[^/?#]", url, re.IGNORECASE):
        return escape(url + tail)
    safe = escape(url)
    return f'<a href="{safe}" rel="nofollow ugc noopener">{safe}</a>{escape(tail)}'


def _line(text):
    parts = []
    position = 0
    for match in URL_RE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def render_plain_text(text):
    """Plain text → safe HTML: paragraphs on blank lines, line breaks kept, links inert
    to search engines (nofollow ugc) and to the opened page (noopener)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p.strip("\n") for p in PARAGRAPH_BREAK.split(text.strip("\n"))]
    html = "".join(
        "<p>" + "<br>".join(_line(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    return mark_safe(html)  # noqa: S308 - every piece above went through escape()
