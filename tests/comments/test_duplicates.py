"""Duplicate suppression stores a double click once, and never drops another reader's
comment: two people behind one address (a household, an office, a mobile carrier) who
send the same words each have theirs stored."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_two_readers_at_one_address_with_the_same_words_are_both_stored(article, post_comment):
    assert post_comment(article, name="Sam", body="Thank you for this.").status_code == 303
    assert post_comment(article, name="Alex", body="Thank you for this.").status_code == 303
    assert (
        post_comment(
            article, name="Alex", email="alex@example.org", body="Thank you for this."
        ).status_code
        == 303
    )
    assert sorted(Comment.objects.values_list("name", flat=True)) == ["Alex", "Alex", "Sam"]


def test_one_reader_sending_twice_is_stored_once(article, post_comment):
    for name in ("Sam", " sam "):
        post_comment(article, name=name, email="sam@example.org", body="Thank you for this.")
    assert Comment.objects.count() == 1
