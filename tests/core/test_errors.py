"""Error pages are the site's own, and never show a traceback."""

import pytest


@pytest.mark.django_db
def test_404_is_the_site_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "Traceback" not in html


def test_500_page_without_traceback(client, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("secret internals")

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [path("boom/", broken)],
            "handler500": "core.views.server_error",
        },
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html and "Traceback" not in html
