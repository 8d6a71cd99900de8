"""Fold a reader's text so that lists of words match what people actually type.

`fold` undoes the ways one word can be spelled with other characters: fullwidth and
mathematical letters, accents, invisible characters, look-alike Cyrillic and Greek
letters, typographic apostrophes, runs of spaces. `fold_words` goes further for the
self-harm lexicon: words spelled with digits or symbols ("su1c1de", "k*ll"), spaced
out ("k m s", "s.u.i.c.i.d.e"), stretched ("diiie"), and contractions and chat
spellings written out ("can't" → "can not", "wanna" → "want to"), so the lexicon can be
written once in plain words.
"""

import re
import unicodedata

from .spam import fold as spam_fold

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u02b9\u0060\u00b4\uff07", "'"))
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def fold(text):
    """Compare-ready text: the blocklist's folding (comments.spam.fold: compatibility
    forms, invisible characters, look-alike letters, case, spaces), then no accents,
    straight apostrophes and plain hyphens."""
    text = unicodedata.normalize("NFKD", spam_fold(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _DASHES.sub("-", text).strip()


# Digits and symbols read as letters, inside a word that has letters too ("su1c1de").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s", "!": "i", "|": "i"})  # fmt: skip
# Only between letters: "kms!" and "200mg" keep their digits and punctuation.
_MIXED_WORD = re.compile(r"(?<=[a-z])[0-9@$!|]+(?=[a-z0-9@$!|]*[a-z])")
# Three or more single letters each followed by the same separator: "k m s", "s.u.i.c.i.d.e".
_SPACED_OUT = re.compile(r"(?<![\w'])[a-z](?P<sep>[ .\-_*+])[a-z](?:(?P=sep)[a-z])+(?![\w'])")
# A letter written three or more times: "diiiie", "sooo".
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# Words people hide behind an asterisk ("k*ll", "su*cide"): the asterisk stands for
# one or two letters.
_STARRED_WORDS = (
    "kill", "killing", "killed", "suicide", "suicidal", "die", "dead", "death", "unalive",
    "myself", "overdose", "hang", "cut", "cutting",
)  # fmt: skip
_STARRED = re.compile(r"[a-z]*\*+[a-z*]*")

_CONTRACTIONS = [
    (r"\bcan'?t\b|\bcannot\b", "can not"),
    (r"\bwo(?:n'?t)\b", "will not"),
    (r"\b(do|does|did|is|are|was|were|would|could|should|have|has|had|must|need)n'?t\b",
     r"\1 not"),
    (r"\bi'?m\b", "i am"),
    (r"\bi'd\b", "i would"),
    (r"\bi'?ve\b", "i have"),
    (r"\bi'll\b", "i will"),
    (r"\b(you|we|they|he|she|it|that|everyone|everybody|nobody|no one|people)'d\b",
     r"\1 would"),
    (r"\b(it|that|there|what|who|he|she|everything|everyone|life)'s\b", r"\1 is"),
    (r"\b(there|what)s\b", r"\1 is"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(you|we|they)'ll\b", r"\1 will"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"),
    (r"\btryna\b", "trying to"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bno-one\b", "no one"),
]  # fmt: skip
_CONTRACTIONS = [(re.compile(pattern), replacement) for pattern, replacement in _CONTRACTIONS]


def _unstar(match):
    word = match.group(0)
    pattern = re.compile(re.escape(word).replace(r"\*", "[a-z]{0,2}") + r"\Z")
    candidates = [known for known in _STARRED_WORDS if pattern.match(known)]
    return candidates[0] if len(candidates) == 1 else word


def _unleet(match):
    return match.group(0).translate(_LEET)


def fold_words(text):
    """`fold`, then disguised spellings undone and contractions written out."""
    text = fold(text)
    text = _SPACED_OUT.sub(lambda m: m.group(0).replace(m.group("sep"), ""), text)
    text = _STARRED.sub(_unstar, text)
    text = _MIXED_WORD.sub(_unleet, text)
    text = _STRETCHED.sub(r"\1", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text
