"""200 readers comment at the same moment, each pressing "Send" twice: every comment
lands exactly once, as pending. Needs PostgreSQL (real concurrent writers)."""

import random
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from comments.models import Comment, Status

from .conftest import form_data, post_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises every writer, so it cannot show a race",
    ),
    pytest.mark.django_db(transaction=True),
]

READERS = 200


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_200_concurrent_comments_land_exactly_once(live_server, article, settings):
    """200 distinct comments, each sent twice at once (a double click) by its own client,
    from 32 threads against the live server: 200 rows, all pending, each text once, and
    every request answered with the redirect."""
    # Each reader has their own address, as if behind one proxy of ours (clients are
    # told apart by address only).
    settings.AXES_IPWARE_PROXY_COUNT = 1
    opener = urllib.request.build_opener(NoRedirect)
    url = live_server.url + post_url(article)
    readers = list(range(READERS))
    random.Random(7).shuffle(readers)
    requests = [
        (n, urllib.parse.urlencode(form_data(article, body=f"Reader {n} says hello.")).encode())
        for n in readers
        for _twice in range(2)  # side by side, so both copies are in flight together
    ]

    def send(request):
        n, data = request
        http = urllib.request.Request(
            url,
            data=data,
            headers={
                "X-Forwarded-For": f"10.{n // 250}.{n % 250}.1",
                "Origin": live_server.url,
                "Sec-Fetch-Site": "same-origin",
            },
        )
        try:
            with opener.open(http, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(send, requests))

    assert statuses == [303] * (2 * READERS)
    bodies = list(Comment.objects.values_list("body", flat=True))
    assert len(bodies) == READERS
    assert sorted(bodies) == sorted(f"Reader {n} says hello." for n in range(READERS))
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PENDING}
