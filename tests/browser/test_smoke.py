"""The home page opens in real Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens(page, live_server):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.title() == "Evidence Health"
