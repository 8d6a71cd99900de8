"""Checks on HTML fragments made by the site's renderers (no page around them)."""

import re
from collections import Counter

import html5lib

from articles.sanitizer import (
    ALLOWED_TAGS,
    EDITOR_ATTRIBUTES,
    EDITOR_CLASSES,
    MARKER_ATTRIBUTES,
    SAFE_ID,
)

from .checks import DANGEROUS_SCHEME, URL_NOISE, local

STRICT = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)


def fragment(html):
    return html5lib.parseFragment(str(html), treebuilder="etree", namespaceHTMLElements=False)


def elements(html):
    root = fragment(html)
    return [e for e in root.iter() if isinstance(e.tag, str) and e is not root]


def well_formed(html):
    """html5lib in strict mode finds no parse error (it raises on the first)."""
    STRICT.parseFragment(str(html))
    return True


def marker_parts(root):
    """Elements of the citation markers the pipeline made: sup.cite and what it holds."""
    return {part for sup in root.iter("sup") if sup.get("class") == "cite" for part in sup.iter()}


def article_html_problems(html):
    """What the article sanitizer must never let out: tags and attributes beyond its
    allow-list (the site's own classes only in citation markers), any on* attribute,
    and links other than http(s), mailto or in-page."""
    found = []
    root = fragment(html)
    markers = marker_parts(root)
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        tag = local(element.tag)
        if element.tag.startswith("{") or tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
            continue
        allowed = MARKER_ATTRIBUTES if element in markers else EDITOR_ATTRIBUTES
        for name, value in element.attrib.items():
            name = local(name)
            if name.startswith("on") or name not in allowed.get(tag, ()):
                found.append(f"{name}= on <{tag}>")
            elif name == "id" and not SAFE_ID.match(value):
                found.append(f"id={value!r} on <{tag}>")
            elif name == "class" and element not in markers:
                if set(value.split()) - EDITOR_CLASSES.get(tag, set()):
                    found.append(f"class={value!r} on <{tag}>")
            elif name == "href":
                url = URL_NOISE.sub("", value).lower()
                if DANGEROUS_SCHEME.match(url) or (
                    re.match(r"^[a-z][a-z0-9+.-]*:", url)
                    and not url.startswith(("http:", "https:", "mailto:"))
                ):
                    found.append(f"href={value!r}")
    return found


def inventory(html):
    """Elements, attributes and comments of an HTML fragment, counted."""
    found = Counter()
    root = fragment(html)
    for element in root.iter():
        if element is root:
            continue
        if not isinstance(element.tag, str):
            found["comment"] += 1
            continue
        tag = local(element.tag)
        found[("element", tag)] += 1
        for name, value in element.attrib.items():
            found[("attribute", tag, local(name), value)] += 1
    return found
