"""Content rules about claims, added to articles.validation: the same in the admin and in
`manage.py check_content`.

Refused: a claim whose verb states more than its outcome's certainty allows; a claim in a
published article that a source was checked and found not to support; a claim resting
only on sources nobody could find, unless it is written as what the original article said.
Warned: claims not yet checked against a source.

The outcome and support rules need the article's outcomes and checks: the caller puts a
ClaimContext on each section (`section.claim_context`); without one they are skipped.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from certainty.grading import Certainty
from certainty.wording import overstatement_message
from citations.markdown_ext import claim_lines
from citations.support import Support, sentence_key

from .validation import Problem, register_rule

# "The original article said …", or "It described …" right after such a sentence.
ATTRIBUTION = re.compile(
    r"\b(?:the original (?:article|text|version|page)|according to the original)\b"
    r"|^(?:It|They) (?:said|says|described|describes|quoted|quotes|reported|reports|"
    r"claimed|claims|cited|cites|mentioned|mentions)\b",
    re.IGNORECASE,
)


@dataclass
class ClaimContext:
    outcomes: dict = field(default_factory=dict)  # outcome key → certainty value
    supports: dict = field(default_factory=dict)  # (citation key, sentence key) → support
    published: bool = False


def sentences(rendered):
    """{sentence: [its claims]} in reading order: one claim, one or more sources."""
    found = OrderedDict()
    for claim in rendered.claims:
        found.setdefault(claim.sentence, []).append(claim)
    return found


def support_of(context, claim):
    return context.supports.get((claim.key, sentence_key(claim.sentence)), Support.UNCHECKED)


def claim_problems(section, rendered, citations):
    context = getattr(section, "claim_context", None)
    lines = claim_lines(section.body_markdown, rendered.claims)
    problems = []
    for sentence, claims in sentences(rendered).items():
        line = lines.get(claims[0].position)
        quoted = f"“{sentence[:80]}{'…' if len(sentence) > 80 else ''}”"
        if all(not citations[c.key].located for c in claims) and not ATTRIBUTION.search(sentence):
            problems.append(
                Problem(
                    line,
                    f"{quoted} rests only on sources nobody could find: write it as what the "
                    "original article said (“The original article said …”), or cite a "
                    "source that exists.",
                    section.key,
                )
            )
        if context is None:
            continue
        for key in sorted({c.outcome for c in claims if c.outcome}):
            if key not in context.outcomes:
                known = ", ".join(f"#{k}" for k in context.outcomes) or "none yet"
                problems.append(
                    Problem(
                        line,
                        f"unknown outcome “#{key}”; this article's outcomes are {known}.",
                        section.key,
                    )
                )
                continue
            message = overstatement_message(sentence, context.outcomes[key], key)
            if message:
                problems.append(Problem(line, f"{quoted}: {message}", section.key))
        if context.published:
            for claim in claims:
                if support_of(context, claim) == Support.DOES_NOT_SUPPORT:
                    problems.append(
                        Problem(
                            line,
                            f"{quoted} was checked against “{claim.key}”, which does not "
                            "support it: rewrite the sentence or cite a source that says it.",
                            section.key,
                        )
                    )
    return problems


register_rule(claim_problems)


def claim_statuses(section, rendered, context):
    """(line, sentence, outcome text, [(source key, support)]) for every claim."""
    lines = claim_lines(section.body_markdown, rendered.claims)
    statuses = []
    for sentence, claims in sentences(rendered).items():
        outcomes = sorted({c.outcome for c in claims if c.outcome})
        outcome_text = ", ".join(
            f"#{k} {Certainty(context.outcomes[k]).label.lower()}"
            if k in context.outcomes
            else f"#{k} unknown"
            for k in outcomes
        )
        checks = [(c.key, Support(support_of(context, c))) for c in claims]
        statuses.append((lines.get(claims[0].position), sentence, outcome_text, checks))
    return statuses


def unchecked_warnings(section, rendered, context):
    """Warnings (not refusals): claim-source pairs nobody has checked yet."""
    warnings = []
    for line, sentence, _, checks in claim_statuses(section, rendered, context):
        unchecked = [key for key, support in checks if support == Support.UNCHECKED]
        if unchecked:
            warnings.append(
                Problem(
                    line,
                    f"“{sentence[:60]}…” is not yet checked against {', '.join(unchecked)}.",
                    section.key,
                )
            )
    return warnings


def context_for(article):
    """The ClaimContext of an article in the database."""
    from citations.models import ClaimSupport

    supports = {
        (s.citation.key, s.sentence_hash): s.support
        for s in ClaimSupport.objects.filter(article=article).select_related("citation")
    }
    outcomes = dict(article.outcomes.values_list("key", "certainty"))
    return ClaimContext(outcomes=outcomes, supports=supports, published=article.is_public)
