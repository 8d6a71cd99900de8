"""Cross-site request protection for readers' forms that sets no cookie.

Django's CSRF protection needs a cookie (and `{% csrf_token %}` in the page), which
would make every anonymous article page set a cookie and vary on Cookie, so no shared
cache could hold it. Readers' forms (comments, reports, feedback) carry no session and
change nothing on the reader's behalf, so instead we refuse any POST that a browser
says came from another site: browsers send `Origin` with every POST and
`Sec-Fetch-Site` with every request, and a page on another site cannot forge either.
Where a browser sends neither (an old one, some privacy settings), its `Referer`, when
present, must name this site too. A request with none of them is not from a browser and
so cannot be a cross-site forgery; it meets the same anti-spam checks as any other.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt


def is_cross_site(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    expected = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != expected
    referer = request.headers.get("Referer")
    if site is None and referer is not None:
        return origin_of(referer) != expected
    return False


def origin_of(url):
    """The origin of a URL ("https://host" of "https://host/path"), or "" if none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def same_origin_post(view):
    """For readers' POST forms: refuse cross-site submissions, set no CSRF cookie."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and is_cross_site(request):
            html = render_to_string("403.html", {"reason": "cross-site"}, request=None)
            return HttpResponseForbidden(html)
        return view(request, *args, **kwargs)

    return wrapped
