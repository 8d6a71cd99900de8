"""Cross-site request protection for readers' forms that sets no cookie.

Django's CSRF protection needs a cookie (and `{% csrf_token %}` in the page), which
would make every anonymous article page set a cookie and vary on Cookie, so no shared
cache could hold it. Readers' forms (comments, reports, feedback) carry no session and
change nothing on the reader's behalf, so instead we refuse any POST that a browser
says came from another site: browsers send `Origin` with every POST and
`Sec-Fetch-Site` with every request, and a page on another site cannot forge either.
A request with neither header is not from a browser and so cannot be a cross-site
forgery; it meets the same anti-spam checks as any other.
"""

from functools import wraps

from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt


def is_cross_site(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if origin is not None:
        expected = f"{request.scheme}://{request.get_host()}"
        if origin != expected:
            return True
    return False


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
