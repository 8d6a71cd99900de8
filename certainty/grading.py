"""GRADE certainty of a body of evidence, computed from its ratings (never typed).

Randomised trials start high, other designs low; each rating-down domain takes one or
two levels off and each rating-up domain (non-randomised evidence only) adds one or two.
Very low is the floor, as in GRADE: more reasons to doubt cannot make it lower. A
question nobody has studied has no certainty at all: "no studies".
"""

from django.db import models

REASON_LIMIT = 200


class Certainty(models.TextChoices):
    """Lowest first: the index is the number of filled steps on the four-step scale."""

    NO_STUDIES = "no-studies", "No studies"
    VERY_LOW = "very-low", "Very low"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"

    @property
    def steps(self):
        """Filled steps of four (no studies: none)."""
        return list(Certainty).index(self)

    @property
    def explanation(self):
        return EXPLANATIONS[self]


# After Balshem et al., GRADE guidelines 3 (J Clin Epidemiol 2011;64:401-6), in plain words.
EXPLANATIONS = {
    Certainty.HIGH: "We are confident the answer is close to what the studies found.",
    Certainty.MODERATE: (
        "The answer is probably close to what the studies found, but it could be quite different."
    ),
    Certainty.LOW: "The answer may be quite different from what the studies found.",
    Certainty.VERY_LOW: "The answer is likely to be quite different from what was found.",
    Certainty.NO_STUDIES: "No study has looked at this question, so nobody knows.",
}


class Start(models.TextChoices):
    HIGH = "high", "High (randomised trials)"
    LOW = "low", "Low (other designs)"


class DownDomain(models.TextChoices):
    RISK_OF_BIAS = "risk-of-bias", "Risk of bias"
    INCONSISTENCY = "inconsistency", "Inconsistency"
    INDIRECTNESS = "indirectness", "Indirectness"
    IMPRECISION = "imprecision", "Imprecision"
    PUBLICATION_BIAS = "publication-bias", "Publication bias"

    @property
    def plain(self):
        return PLAIN_DOWN[self]


PLAIN_DOWN = {
    DownDomain.RISK_OF_BIAS: "How the studies were done",
    DownDomain.INCONSISTENCY: "The results disagree",
    DownDomain.INDIRECTNESS: "Other people or questions than ours",
    DownDomain.IMPRECISION: "Too few people or results",
    DownDomain.PUBLICATION_BIAS: "Studies may be missing",
}


class UpDomain(models.TextChoices):
    LARGE_EFFECT = "large-effect", "Large effect"
    DOSE_RESPONSE = "dose-response", "Dose-response gradient"
    CONFOUNDING = "confounding", "Confounding that would reduce the effect"

    @property
    def plain(self):
        return PLAIN_UP[self]


PLAIN_UP = {
    UpDomain.LARGE_EFFECT: "A large effect",
    UpDomain.DOSE_RESPONSE: "More of it, more effect",
    UpDomain.CONFOUNDING: "Other causes would make the effect smaller",
}

GRADED = [Certainty.VERY_LOW, Certainty.LOW, Certainty.MODERATE, Certainty.HIGH]
START_SCORE = {Start.HIGH: 3, Start.LOW: 1}


def total(reasons):
    return sum(int(reason["levels"]) for reason in reasons)


def compute(start, down, up, studies):
    """The certainty the ratings give. Call problems() first: this assumes they add up."""
    if studies == 0:
        return Certainty.NO_STUDIES
    score = START_SCORE[Start(start)] - total(down) + total(up)
    return GRADED[max(0, min(score, 3))]


def problems(start, down, up, studies):
    """Why these ratings do not add up, in words an editor understands ([] when they do)."""
    found = []
    if start not in Start.values:
        found.append(f"The starting level must be high or low, not “{start}”.")
    for reasons, domains, verb in ((down, DownDomain, "down"), (up, UpDomain, "up")):
        if not isinstance(reasons, list):
            found.append(f"Rating {verb} must be a list of reasons.")
            continue
        seen = set()
        for reason in reasons:
            found += reason_problems(reason, domains, verb, seen)
    if found:
        return found
    if studies == 0 and (down or up):
        found.append("With no studies there is nothing to rate up or down: remove the reasons.")
    if up and start == Start.HIGH:
        found.append(
            "Only evidence from non-randomised studies (starting low) is rated up; "
            "randomised evidence already starts high."
        )
    elif START_SCORE.get(start, 0) + total(up) - total(down) > 3:
        found.append(
            f"Rated up {total(up)} and down {total(down)} from {start}: that is above high, "
            "the top of the scale."
        )
    return found


def reason_problems(reason, domains, verb, seen):
    if not isinstance(reason, dict):
        return [f"Each rating-{verb} reason needs a domain, levels and a reason."]
    domain = reason.get("domain")
    if domain not in domains.values:
        return [
            f"“{domain}” is not a reason for rating {verb}; the reasons are "
            f"{', '.join(domains.values)}."
        ]
    label = domains(domain).label
    found = []
    if domain in seen:
        found.append(f"{label} is given twice: rate each domain once, by one or two levels.")
    seen.add(domain)
    levels = reason.get("levels")
    if isinstance(levels, bool) or levels not in (1, 2):
        found.append(f"{label}: rate {verb} by 1 or 2 levels, not {reason.get('levels')!r}.")
    text = reason.get("reason")
    if not isinstance(text, str) or not text.strip():
        found.append(f"{label}: say why, in plain words a reader understands.")
    elif len(text.strip()) > REASON_LIMIT:
        found.append(
            f"{label}: the reason has {len(text.strip())} characters; keep it to {REASON_LIMIT}."
        )
    return found
