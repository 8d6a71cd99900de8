"""What "got through" means, checked on the page as a browser parses it (html5lib).

A response fails when, anywhere in it:
- a script element is not one of the page's own kinds (a file from this site with no
  inline code, or a JSON data block — JSON-LD or json_script — whose
  text is valid JSON with no "<" in it, so text cannot close it);
- any element carries an on* attribute (the site has none: its CSP forbids them);
- a URL-bearing attribute holds a javascript:, vbscript:, livescript: or data: URL;
- an element that loads or frames other content, changes the base URL, refreshes the
  page or carries inline style appears (iframe, object, embed, base, meta refresh,
  <style>, style=, srcdoc=, MathML, SVG beyond the admin's inert icons: the site's
  pages have none);
- a form posts anywhere but this site;
- typed text that holds a tag ("<script>", "<img …>", "<!--…>") appears in the HTML
  source exactly as typed, i.e. unescaped.

The site's own pages pass every rule with no hostile input (see test_baseline_pages), so
whatever breaks one came from the input.
"""

import hashlib
import json
import re
from functools import lru_cache
from urllib.parse import urlsplit

import html5lib

SCRIPT_TYPES_JSON = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite",
    "longdesc", "srcset", "ping", "manifest", "codebase", "lowsrc", "dynsrc", "icon",
    "to", "from", "values", "by",
}  # fmt: skip
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "style", "math", "xmp", "plaintext", "noembed", "noframes",
}  # fmt: skip
# The admin's own inline SVG icons (the theme toggle) use only these: any other SVG or
# MathML element (a, script, animate, set, foreignObject, style, …) did not come from us.
INERT_SVG = {"svg", "symbol", "use", "path", "g", "title", "desc"}
DANGEROUS_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data):", re.IGNORECASE)
# Characters a browser ignores inside a URL scheme ("java\tscript:" is "javascript:").
URL_NOISE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028\u2029\u205f\u3000\ufeff]"
)
# A whole tag, comment or declaration: "<script>", "<img src=x onerror=…>", "<!--…>".
MARKUP = re.compile(r"<[A-Za-z!/?][^<>]*>")


def parse(html):
    """The page as a browser builds it (the same text is parsed once: do not modify)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    return _parse(html)


@lru_cache(maxsize=8)
def _parse(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def local(name):
    """Tag or attribute name without its namespace: "{…svg}script" → "script"."""
    return name.rsplit("}", 1)[-1].lower()


def text_of(element):
    return "".join(element.itertext())


def problems_in(html):
    """Every rule the parsed page breaks, as readable strings (empty: safe)."""
    tree = parse(html)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = local(element.tag)
        namespaced = element.tag.startswith("{")
        attrs = {local(name): value for name, value in element.attrib.items()}
        if tag == "script":
            found += script_problems(element, attrs, namespaced)
        if tag in FORBIDDEN_ELEMENTS or (namespaced and tag not in INERT_SVG | {"script"}):
            found.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attrs:
            found.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        if tag == "link" and not same_origin(attrs.get("href", "")):
            if attrs.get("rel") not in ("canonical", "alternate"):
                found.append(f"<link> to {attrs.get('href')!r}")
        if tag == "form" and not same_origin(attrs.get("action", "")):
            found.append(f"form posting to {attrs.get('action')!r}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{name}= on <{tag}>")
            elif name in ("style", "srcdoc"):
                found.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(URL_NOISE.sub("", value)):
                found.append(f"{name}={value[:60]!r} on <{tag}>")
    return found


def script_problems(element, attrs, namespaced):
    if namespaced:
        return ["<script> inside SVG or MathML"]
    code = text_of(element)
    src = attrs.get("src")
    if src is not None:
        if code.strip():
            return [f"<script src={src!r}> with inline code"]
        if not same_origin(src) or not src.startswith("/"):
            return [f"<script src={src!r}> from another site"]
        return []
    kind = (attrs.get("type") or "").strip().lower()
    if kind not in SCRIPT_TYPES_JSON:
        return [f"inline <script> {code[:60]!r}"]
    if "<" in code:
        return [f"JSON <script> containing '<': {code[:60]!r}"]
    try:
        json.loads(code)
    except ValueError:
        return [f"JSON <script> that is not JSON: {code[:80]!r}"]
    return []


def same_origin(url):
    if not url:
        return True  # a form without action posts to the page itself
    parts = urlsplit(URL_NOISE.sub("", url))
    return not parts.scheme and not parts.netloc and not url.startswith("//")


_SAFE = set()  # digests of pages already found to break no rule


def unescaped(html, payload, baseline=""):
    """True when payload holds a tag and appears in the HTML source as typed (more often
    than in `baseline`, the same page without it: "<p>" is in every page anyway)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not MARKUP.search(payload):
        return False
    return html.count(payload) > baseline.count(payload)


def assert_safe(response, *payloads, verbatim=True, where="", baseline=""):
    """The response is not a server error and nothing in it came from the payloads.

    verbatim=False skips the "appears unescaped" rule, for pages that show sanitized
    HTML made from the payload (the Markdown preview and the article)."""
    label = f"{where or response.request.get('PATH_INFO')} ({response.status_code})"
    assert response.status_code < 500, label
    content_type = response.get("Content-Type", "")
    if response.streaming or "html" not in content_type:
        return
    html = response.content.decode("utf-8")
    digest = hashlib.sha256(response.content).digest()
    if digest not in _SAFE:  # the same page (a 404, say) is parsed once
        problems = problems_in(html)
        assert not problems, f"{label}: {problems} for {[p[:80] for p in payloads]}"
        _SAFE.add(digest)
    if verbatim:
        leaked = [p for p in payloads if unescaped(html, p, baseline)]
        assert not leaked, f"{label}: shown unescaped: {leaked}"


def field_value(html, name):
    """What a form field holds after a browser parses the page: an input's value or a
    textarea's text (None when the page has no such field)."""
    for element in parse(html).iter():
        if not isinstance(element.tag, str) or element.get("name") != name:
            continue
        if element.tag == "textarea":
            return element.text or ""
        if element.tag == "input":
            return element.get("value", "")
    return None


def as_browser_shows(typed):
    """What a field shows of typed text once it has been through HTML: line endings
    normalised, NUL as U+FFFD (the HTML parser's rule)."""
    return typed.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
