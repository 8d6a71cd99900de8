"""AMA-style reference text (AMA Manual of Style, 11th edition), as escaped HTML."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

MAX_AUTHORS = 6  # AMA: list all up to six; with more, the first three and "et al"


def web_url(url):
    """The URL if it is an http(s) address, else "": a javascript: or data: URL that
    slipped into a record (citations.json is not validated like the admin form) is never
    made a link."""
    url = (url or "").strip()
    return url if re.match(r"https?://[^\s]", url, flags=re.IGNORECASE) else ""


def author_name(author):
    if author.get("literal"):
        return author["literal"]
    initials = "".join(
        part[0] for chunk in author.get("given", "").replace("-", " ").split() for part in [chunk]
    )
    return f"{author.get('family', '')} {initials}".strip()


def author_list(authors):
    names = [author_name(a) for a in authors]
    if len(names) > MAX_AUTHORS:
        names = names[:3] + ["et al"]
    return ", ".join(names)


def ama_html(citation):
    """The reference as safe HTML: authors. Title. *Journal*. Year;Vol(Issue):Pages. doi."""
    if not citation.located and not citation.title:
        return format_html(
            "{} {}", citation.not_found_text, citation.described_as or "(no description)"
        )
    parts = []
    if citation.authors:
        parts.append(escape(author_list(citation.authors)) + ".")
    if citation.title:
        title = citation.title.rstrip(".")
        parts.append(escape(title) + ".")
    if citation.container_title:
        parts.append(format_html("<i>{}</i>.", citation.container_title.rstrip(".")))
    details = ""
    if citation.year:
        details = str(citation.year)
    if citation.volume:
        details += f";{citation.volume}"
        if citation.issue:
            details += f"({citation.issue})"
    if citation.pages:
        details += f":{citation.pages}"
    if details:
        parts.append(escape(details) + ".")
    if citation.doi:
        parts.append(format_html('doi:<a href="{}">{}</a>', citation.doi_url, citation.doi))
    elif web_url(citation.url):
        parts.append(format_html('<a href="{}">{}</a>', web_url(citation.url), citation.url))
    return mark_safe(" ".join(str(p) for p in parts))
