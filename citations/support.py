"""Whether a source says what a claim says: an editor's check of one claim against one
source. Keyed by the claim's sentence, so a changed sentence is unchecked again."""

import hashlib

from django.db import models
from django.dispatch import Signal

# Sent with article_id once an editor's checks of an article's claims are saved.
support_changed = Signal()


class Support(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    PARTLY = "partly", "Partly supports the claim"
    DOES_NOT_SUPPORT = "does-not-support", "Does not support the claim"
    UNCHECKED = "unchecked", "Not yet checked"

    @property
    def needs_pinpoint(self):
        return self in (Support.SUPPORTS, Support.PARTLY)


def sentence_key(sentence):
    """The key of a claim's sentence: spacing does not matter, every other change does."""
    return hashlib.sha256(" ".join(sentence.split()).encode()).hexdigest()


def support_index(records):
    """{(citation id, sentence key): record} for looking claims up."""
    return {(r.citation_id, r.sentence_hash): r for r in records}


def support_of(index, claim):
    """The record for one ClaimCitation row, or None (not yet checked)."""
    return index.get((claim.citation_id, sentence_key(claim.sentence)))
