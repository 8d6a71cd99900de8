"""How hard the text is to read: Flesch–Kincaid grade (textstat, pinned to a version that
works offline: see known traps), per section and for the whole article, and the longest
sentences, which are where a shorter rewrite helps most.

Always computed from rendered HTML (citation markers left out), so a preview scores the
text being previewed, not the text saved before it.
"""

import re

import textstat

from .rendering import plain

HARD_GRADE = 9
LONGEST = 3  # sentences listed
MARKERS = re.compile(r"<sup[^>]*>.*?</sup>", flags=re.S)
BLOCK_END = re.compile(r"</(?:p|li|td|th|h[1-6]|dt|dd|blockquote|div)>", flags=re.I)
SENTENCE_END = re.compile(r"[.!?…][”’\"')]*(?=\s+[^a-z\s])")


def text_of(html):
    return plain(MARKERS.sub("", html or ""))


def readability(html):
    """Word count and Flesch–Kincaid grade of rendered text, or None for no text."""
    text = text_of(html)
    if not text:
        return None
    grade = round(textstat.flesch_kincaid_grade(text), 1)
    return {"words": len(text.split()), "grade": grade, "hard": grade > HARD_GRADE}


def sentences(html):
    """The sentences of rendered HTML, each block (paragraph, item, cell) apart."""
    for block in BLOCK_END.split(MARKERS.sub("", html or "")):
        # A removed marker leaves a space before the punctuation after it.
        text, start = re.sub(r"\s+([.,;:!?])", r"\1", plain(block)), 0
        for end in SENTENCE_END.finditer(text):
            yield text[start : end.end()].strip()
            start = end.end()
        if text[start:].strip():
            yield text[start:].strip()


def article_readability(sections):
    """Readability of each (title, html) section, of them all together, and the longest
    sentences: {"sections": [(title, readability)], "whole": readability, "longest":
    [{"section": title, "words": n, "sentence": text}]}."""
    sections = list(sections)
    found = [
        {"section": title, "words": len(sentence.split()), "sentence": sentence}
        for title, html in sections
        for sentence in sentences(html)
    ]
    found.sort(key=lambda item: -item["words"])
    return {
        "sections": [(title, readability(html)) for title, html in sections],
        "whole": readability(" ".join(html for _, html in sections)),
        "longest": [item for item in found[:LONGEST] if item["words"] > 1],
    }
