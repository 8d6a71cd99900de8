"""HTML read as a browser builds it (html5lib, no namespaces), for assertions about what
a reader or an editor sees."""

import html5lib


def parse_html(html):
    """An ElementTree of the HTML as a browser would build it."""
    if isinstance(html, bytes):
        html = html.decode()
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element):
    """The element's text as a reader sees it, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())
