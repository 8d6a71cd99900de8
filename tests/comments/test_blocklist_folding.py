"""The blocklist sees through the usual disguises: soft hyphens and zero-width characters,
fullwidth and look-alike letters, doubled or non-breaking spaces, ideographic dots and
percent-escaped dots in domains. One normalisation (spam.fold) serves the text and the
terms."""

import pytest

from comments import spam
from comments.models import BlockedTerm, Comment, Status

pytestmark = pytest.mark.django_db

TERMS = [("word", "casino bonus"), ("word", "microdose kit"), ("domain", "shop.example")]


@pytest.mark.parametrize(
    "text",
    [
        "cas\u00adino bonus",  # soft hyphen
        "ca\u200bsino bo\u200dnus",  # zero-width space and joiner
        "ｃａｓｉｎｏ ｂｏｎｕｓ",  # fullwidth
        "с\u0430sino bonus",  # Cyrillic es and a
        "casinο bοnus",  # Greek omicron
        "casino  bonus",  # doubled space
        "casino\u00a0bonus",  # non-breaking space
        "casino\u3000bonus",  # ideographic space
        "CASINO Bonus",
        "𝐜𝐚𝐬𝐢𝐧𝐨 bonus",  # mathematical bold
        "micro\u00addose\u2060 kit",  # soft hyphen, word joiner
    ],
)
def test_disguised_words_are_caught(text):
    assert spam.blocklist_hit([text], TERMS).startswith("blocked word")


@pytest.mark.parametrize(
    "text",
    [
        "see shop\u3002example for more",  # ideographic full stop
        "see shop\uff0eexample",  # fullwidth full stop
        "see shop\uff61example",  # halfwidth ideographic full stop
        "see shop%2eexample/x",
        "see https://shop%2Eexample/",
        "see https://www.shop.exam\u00adple/",
        "see sh\u200bop.example",
        "see ｓｈｏｐ.ｅｘａｍｐｌｅ",
        "see shор.example",  # Cyrillic o and er
        "see SHOP.EXAMPLE/offer",
    ],
)
def test_disguised_domains_are_caught(text):
    assert spam.blocklist_hit([text], TERMS) == "blocked domain: shop.example"


@pytest.mark.parametrize(
    "text",
    [
        "A casino's bonus round is not what I meant.",
        "Microdosing kits are discussed in the article.",
        "workshop.example.org is another site",
        "the shop example I gave",
    ],
)
def test_ordinary_text_is_not_caught(text):
    assert spam.blocklist_hit([text], TERMS) == ""


def test_a_term_typed_in_disguise_is_folded_too():
    assert spam.blocklist_hit(["casino bonus"], [("word", "ＣＡＳＩＮＯ\u00a0bonus")])
    assert spam.normalise_domain("https://ｓｈｏｐ。example/") == "shop.example"


def test_fold_is_one_function_for_text_and_terms():
    assert spam.fold("Ｃａ\u00adsino\u200b  bo\u00a0nus") == "casino bo nus"
    assert spam.fold("shop%2eexample\u3002com") == "shop.example.com"


def test_a_disguised_comment_is_stored_as_spam(article, post_comment):
    BlockedTerm.objects.create(kind="domain", value="shop.example")
    post_comment(article, body="Cheap kits at shop\u3002exam\u00adple, trust me.")
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.spam_reason == "blocked domain: shop.example"
