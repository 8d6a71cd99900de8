"""Anti-spam checks that need no third party.

- a signed timestamp in the form: sent too fast (a script) or too long ago is refused;
- a honeypot field people never see: a filled one marks the comment as spam;
- a per-client rate limit kept in the shared cache (Redis when REDIS_URL is set);
- a maximum number of links;
- a blocklist of words and web domains that moderators edit in the admin;
- duplicate protection: a keyed hash of the normalised text (see `body_fingerprint`).

The rules that a person can fix (too fast, too old, too many links, too long) refuse the
submission and show the form again; the rules that only a machine trips (the honeypot,
the blocklist) store the comment as spam, where a moderator can release it, and answer
exactly as for a good comment so a script learns nothing.
"""

import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TOKEN_SALT = "comments.form-timestamp"

# Anything that a browser or a reader would take for a link: a scheme, or "www.".
LINK_RE = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"']*", re.IGNORECASE)
# A bare domain in the text ("shop.example.com/x"): for the blocklist only.
DOMAIN_RE = re.compile(
    r"(?<![@\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})\b", re.IGNORECASE
)


def now():
    """The clock, in one place so tests can move it."""
    return time.time()


# Signed timestamp ---------------------------------------------------------------------


def sign_timestamp(article_pk, when=None):
    """The token put in the form: the article, the time the form was made and a nonce
    (each render's token is its own), signed."""
    when = int(now() if when is None else when)
    nonce = secrets.token_urlsafe(6)
    return signing.Signer(salt=TOKEN_SALT).sign(f"{article_pk}:{when}:{nonce}")


class TokenError(ValueError):
    """Why a form token is refused; the message is for the reader."""


def check_timestamp(token, article_pk):
    """Return the token's age in seconds, or raise TokenError with a reason for the reader."""
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token or "")
        pk, when, *_nonce = value.split(":")
        pk, when = int(pk), int(when)
    except (signing.BadSignature, ValueError):
        raise TokenError(
            "This form could not be checked. Please send your comment again."
        ) from None
    if pk != article_pk:
        raise TokenError("This form belongs to another article. Please send your comment again.")
    age = now() - when
    if age < settings.COMMENT_MIN_SECONDS:
        raise TokenError("That was very quick. Please check your comment, then send it again.")
    if age > settings.COMMENT_MAX_AGE_SECONDS:
        raise TokenError(
            "This page was open for a long time, so the form has expired. "
            "Your text is still here: please send it again."
        )
    return age


def spend_token(token, client):
    """Record that this client sent a comment with this token; False if it already had.

    One comment per token and reader: a script cannot post any number of comments from
    one page. The token is not spent for everyone, because a cached page hands the same
    token to every reader for up to PAGE_CACHE_SECONDS. Kept in the shared cache for as
    long as a token is accepted (add() is atomic in Redis)."""
    digest = hashlib.sha256(f"{token}|{client}".encode()).hexdigest()
    timeout = settings.COMMENT_MAX_AGE_SECONDS + 60
    return cache.add(f"comments:token-used:{digest}", 1, timeout=timeout)


# Links and the blocklist ----------------------------------------------------------------

# Letters from other scripts drawn like Latin ones, used to slip a word past a filter.
CYRILLIC = ("АВЕЅІЈКМНОРСТХУаеѕіјорсухһԁӏԛԝ", "ABESIJKMHOPCTXYaesijopcyxhdlqw")
GREEK = ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχ", "ABEZHIKMNOPTYXaikvopux")
LOOK_ALIKES = str.maketrans(CYRILLIC[0] + GREEK[0] + "ı", CYRILLIC[1] + GREEK[1] + "i")
# Full stops that browsers and IDNA read as the dot between domain labels.
DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
SPACES = re.compile(r"\s+")


def fold(text):
    """Text as the blocklist compares it, with the usual disguises undone: percent
    escapes ("%2e"), fullwidth and other compatibility forms (Unicode NFKC), invisible
    format characters (soft hyphens, zero-width spaces and joiners), look-alike letters
    from other scripts, ideographic dots, case, and runs of any kind of space."""
    text = unicodedata.normalize("NFKC", unquote(text))
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = text.translate(LOOK_ALIKES).translate(DOTS).casefold()
    return SPACES.sub(" ", text)


def count_links(text):
    return len(LINK_RE.findall(text))


def domains_in(text):
    """Every web domain named in the text, lower-case, with and without a scheme."""
    found = set()
    for link in LINK_RE.findall(text):
        candidate = link if "://" in link else "http://" + link
        try:
            host = urlsplit(candidate).hostname
        except ValueError:
            host = None
        if host:
            found.add(host.lower().rstrip("."))
    found.update(match.lower().rstrip(".") for match in DOMAIN_RE.findall(text))
    return found


def normalise_domain(value):
    """What a moderator types ("https://www.Shop.example/") → "shop.example"."""
    value = fold(value).strip()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/")[0].rstrip(".")
    return value.removeprefix("www.")


def blocklist_hit(texts, terms):
    """The first blocked term found in the texts, as a reason, or "".

    Words match whole words, case-insensitively; a domain matches itself and its
    subdomains (blocking "shop.example" blocks "www.shop.example").
    """
    folded = fold("\n".join(texts))
    domains = None
    for kind, value in terms:
        if kind == "domain":
            if domains is None:
                domains = domains_in(folded)
            value = normalise_domain(value)
            if value and any(d == value or d.endswith("." + value) for d in domains):
                return f"blocked domain: {value}"
        else:
            word = fold(value).strip()
            if word and re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", folded):
                return f"blocked word: {value.strip()}"
    return ""


# Duplicates -----------------------------------------------------------------------------


def body_fingerprint(body, name="", email=""):
    """A keyed hash of the text, the name and the email with case and spacing ignored:
    the same comment sent twice (a double click, a reload) has the same fingerprint and
    is stored once. The name and email are in it because the address alone does not
    tell people apart: another reader behind the same address sending the same words
    ("Thank you") must have theirs stored, not be told it was received and lose it."""
    parts = [
        " ".join(unicodedata.normalize("NFC", p).casefold().split()) for p in (body, name, email)
    ]
    key = (settings.SECRET_KEY + ":comment-body").encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


# Rate limit -----------------------------------------------------------------------------


def over_rate_limit(client, scope="comment", limit=None):
    """Count one submission for this client; True when it goes over the limit.

    Fixed windows keyed by their number, so a backend whose incr() resets the expiry
    (the file cache) still counts correctly; add() then incr() is atomic in Redis,
    which every app server shares.
    """
    count_limit, window = limit or settings.COMMENT_RATE_LIMIT
    bucket = int(now() // window)
    key = f"comments:rate:{scope}:{client}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count > count_limit


def retry_after_seconds(limit=None):
    _, window = limit or settings.COMMENT_RATE_LIMIT
    return max(1, int(window - now() % window))
