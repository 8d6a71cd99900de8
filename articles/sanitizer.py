"""The allow-list between an editor's Markdown and the stored page, and the report of
what it would remove.

The sanitizer is nh3, the Python binding of ammonia (Rust, maintained). Its parser,
html5ever, builds the tree as browsers do, so the report below asks nh3 itself how the
HTML parses instead of guessing with a second parser.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser

import nh3

from core.text import without_invalid_characters

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "sup", "sub", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "small",
}  # fmt: skip
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}
SAFE_ID = re.compile(r"^[a-z][a-z0-9-]{0,80}$")
# What an editor's text (Markdown, attr_list, raw HTML) may carry.
EDITOR_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "th": {"scope"},
    "ol": {"start"},
    **{h: {"id"} for h in ("h3", "h4", "h5", "h6")},
}
# Callouts (`!!! note "…"`) are the only classes an editor may use: never the site's own
# interface classes (citation markers, evidence labels, crisis box, review banner, …).
EDITOR_CLASSES = {"div": {"admonition", "note", "tip", "warning"}, "p": {"admonition-title"}}
# What the pipeline's own citation markers carry (signed: see AttributePolicy).
MARKER_ATTRIBUTES = {
    "sup": {"class"},
    "a": {"href", "id", "class", "aria-label"},
    "span": {"class", "aria-hidden"},
}
ALLOWED_ATTRIBUTES = {
    tag: EDITOR_ATTRIBUTES.get(tag, set()) | MARKER_ATTRIBUTES.get(tag, set())
    for tag in EDITOR_ATTRIBUTES.keys() | MARKER_ATTRIBUTES.keys()
}
# nh3 reads "jav ascript:" as a relative address, as browsers do; the site refuses any
# address that spells another scheme once spaces and invisible characters are taken out.
LINK_NOISE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028\u2029\u205f\u3000\ufeff]"
)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def scheme_allowed(href):
    scheme = SCHEME.match(LINK_NOISE.sub("", href))
    return scheme is None or scheme[1].lower() in ALLOWED_PROTOCOLS


class AttributePolicy:
    """nh3's attribute_filter for one pass over one section: the value to keep, or None.

    The pipeline signs every attribute of its citation markers with a secret that is new
    for each render (rendering.SignedMarkers); a signed value is the site's own and keeps
    its classes and ids, unsigned. Everything else is the editor's: classes only from
    EDITOR_CLASSES, ids only inside the section's namespace ("<key>-…", as its headings
    get), never the section heading's own id and never one already used in the section.
    """

    def __init__(self, prefix=None, signature=None):
        self.prefix, self.signature = prefix, signature
        self.ids = {f"{prefix}-title"}

    def signed(self, value):
        return bool(self.signature) and value.startswith(self.signature)

    def __call__(self, tag, name, value):
        if self.signed(value):
            return value[len(self.signature) :] if name in MARKER_ATTRIBUTES.get(tag, ()) else None
        if name not in EDITOR_ATTRIBUTES.get(tag, ()):
            return None
        if name == "class":
            return " ".join(c for c in value.split() if c in EDITOR_CLASSES[tag]) or None
        if name == "id":
            namespaced = self.prefix and value.startswith(f"{self.prefix}-")
            if not (namespaced and SAFE_ID.match(value)) or value in self.ids:
                return None
            self.ids.add(value)
        if name == "href" and not scheme_allowed(value):
            return None
        return value


def sanitize(html, prefix=None, signature=None):
    """The editor's HTML as the page may show it; prefix is the section's key."""
    # Controls and noncharacters are parse errors in HTML: the stored HTML is well-formed.
    once = _clean(without_invalid_characters(html), AttributePolicy(prefix, signature))
    # Taking an element out can leave a tree a browser would build differently from its
    # HTML (a <p> that a removed <marquee> held ends up inside another <p>): the second
    # pass stores what a browser builds. Values were judged by the first pass.
    return _clean(once, None)


def _clean(html, attribute_filter):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=ALLOWED_PROTOCOLS,
        link_rel=None,  # nh3 adds rel="noopener noreferrer" to every link otherwise
        strip_comments=True,
    )


def link_is_kept(href):
    """The sanitizer's own judgement of one link address (entities, spaces, case)."""
    if not scheme_allowed(href):
        return False
    alone = nh3.clean(
        f'<a href="{escape(href)}"></a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_PROTOCOLS,
        link_rel=None,
    )
    return alone != "<a></a>"


# The "what would be removed" report ---------------------------------------------------

COMMENT = "<!--"
# A start tag as the HTML tokenizer reads one: "<", an ASCII letter, up to a space, / or >.
WRITTEN_TAG = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
# A URL scheme: the letters before a ":" (browsers drop tabs and newlines inside URLs).
WRITTEN_SCHEME = re.compile(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*(?=:)")


class _Inventory(HTMLParser):
    """Every start tag with its attributes, and every comment, in document order."""

    # Elements whose content html5ever writes out as raw text (not only script and style).
    CDATA_CONTENT_ELEMENTS = (
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
    )  # fmt: skip

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_comment(self, data):
        self.found.append((COMMENT, []))


def _as_the_sanitizer_parses(raw_html):
    """Tags, attributes and comments as nh3's parser (like a browser's) builds them.

    html.parser reads some malformed markup differently: "<!--><script>…" is one comment
    to it but a comment and a script element to a browser and to nh3, and a script
    element it never saw would be removed without the editor being told. So nh3 parses
    the HTML keeping everything (every tag name and URL scheme written, all attributes,
    comments) and html.parser reads nh3's well-formed serialization of that tree.
    """
    tags = {name.lower() for name in WRITTEN_TAG.findall(raw_html)}
    schemes = set(WRITTEN_SCHEME.findall(re.sub(r"[\t\n\r]", "", unescape(raw_html)).lower()))
    everything = nh3.clean(
        raw_html,
        tags=tags | ALLOWED_TAGS | {"img"},  # "<image>" parses as an img element
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=ALLOWED_PROTOCOLS | schemes,
        link_rel=None,
        strip_comments=False,
    )
    return _Inventory(everything).found


def _as_class(name):
    """Where a class is written: `.name` (attr_list) or inside class="…" (HTML)."""
    written = r"(?:\.|class\s*=\s*[\"']?(?:[^\"'>]*\s)?)"
    return re.compile(written + re.escape(name) + r"(?![\w-])", re.IGNORECASE)


def _problems(found, policy):
    problems = []
    for tag, attrs in found:
        if tag == COMMENT:
            problems.append((COMMENT, "an HTML comment (<!-- … -->) would be removed"))
            continue
        if tag not in ALLOWED_TAGS:
            problems.append((f"<{tag}", f"the <{tag}> element would be removed"))
            continue
        for name, value in attrs:
            value = value or ""
            kept = policy(tag, name, value)
            if kept is not None and policy.signed(value):
                continue  # the pipeline's own marker
            if name == "href" and tag == "a" and not link_is_kept(value):
                problems.append((value[:30], f"the link to “{value[:40]}” would be removed"))
            elif name == "class" and value.split():
                problems += [
                    (_as_class(c), f"the class “{c}” on <{tag}> would be removed")
                    for c in value.split()
                    if c not in (kept or "").split()
                ]
            elif name == "id" and kept is None:
                rule = f"an id here starts with “{policy.prefix}-” and is used once"
                problems.append(
                    (value[:30], f"the id “{value[:40]}” on <{tag}> would be removed ({rule})")
                )
            elif kept is None:
                problems.append((name, f"the {name} attribute on <{tag}> would be removed"))
    return problems


def stripped_parts(raw_html, source, prefix=None, signature=None):
    """What the sanitizer would remove from raw_html, each with its line in source."""
    problems = _problems(_Inventory(raw_html).found, AttributePolicy(prefix, signature))
    # What a browser's parse adds to html.parser's view, once each.
    reported = {message for _, message in problems}
    browser_view = _as_the_sanitizer_parses(raw_html)
    for needle, message in _problems(browser_view, AttributePolicy(prefix, signature)):
        if message not in reported:
            reported.add(message)
            problems.append((needle, message))
    located = []
    lines = source.splitlines()
    for needle, message in problems:
        # "<tag" must end there ("<i" is not "<iframe"); other needles match anywhere.
        pattern = needle
        if isinstance(needle, str):
            end = r"(?=[\s/>]|$)" if needle.startswith("<") else ""
            pattern = re.compile(re.escape(needle) + end, re.IGNORECASE)
        line = next((n for n, text in enumerate(lines, 1) if pattern.search(text)), None)
        located.append(
            f"Line {line}: {message}." if line else f"{message[0].upper()}{message[1:]}."
        )
    return located
