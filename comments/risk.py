"""Which pending comments need a careful reply first.

A comment that mentions self-harm or suicide, dose amounts, or buying and sourcing is
flagged, with the words that triggered it, and listed first in the moderation queue.
A flag changes nothing a reader sees: it only puts a comment in front of a moderator
sooner and reminds them which reply template fits. The lists err on the side of
flagging; a false alarm costs a moderator a glance.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .models import RiskFlag

# Sort weights: powers of two, so any comment with a heavier flag sorts before every
# comment without it (self-harm first, whatever else the others mention).
WEIGHTS = {RiskFlag.SELF_HARM: 4, RiskFlag.DOSING: 2, RiskFlag.SOURCING: 1}

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNITS = (
    r"mg|milligrams?|g|grams?|gr|kg|mcg|µg|μg|ug|micrograms?|ml|"
    r"tabs?|tablets?|caps?|capsules?|pills?|drops?|tabs?|doses?|blotters?"
)

PATTERNS = {
    RiskFlag.SELF_HARM: [
        r"suicid\w*",
        r"kill(?:ing|ed)? (?:my ?self|me)",
        r"end(?:ing)? (?:my life|it all|things)",
        r"take my (?:own )?life",
        r"self[- ]?harm\w*",
        r"(?:hurt|harm|cut)(?:ing|ting)? my ?self",
        r"(?:want|wanted|wanting|wish) (?:to|i could) die",
        r"(?:don't|do not|dont) want to (?:live|be alive|be here|exist|wake up)",
        r"better off dead",
        r"no (?:reason|point) (?:to|in) (?:live|living|going on)",
        r"can't go on|cannot go on",
        r"overdos\w*",
    ],
    RiskFlag.DOSING: [
        rf"{_NUMBER} ?(?:{_UNITS})",
        r"(?:a|an|one|half(?: a| of a)?|quarter(?: of a)?|a quarter(?: of a)?|a tenth of a)"
        r" (?:gram|tab|tablet|pill|capsule|cap)",
        r"micrograms?|milligrams?",
        r"tabs",
        r"how (?:much|many) (?:should|do|did|can|would) (?:i|you|we|u) (?:take|use|start)",
    ],
    RiskFlag.SOURCING: [
        r"where (?:to|can (?:i|you|one|u)|do (?:i|you|u)|did (?:you|u)|could i|would i)"
        r" (?:buy|get|find|order|purchase|source|score|pick up|grow)",
        r"(?:buy|buying|bought|purchas\w*|order|ordering|ordered)(?: \w+){0,3}"
        r" (?:online|shrooms|mushrooms|truffles|psilocybin|lsd|capsules|microdoses|them|some)",
        r"vendors?",
        r"dealers?",
        r"dark ?web|dark ?net",
        r"order(?:ed|ing)?(?: \w+)? online",
        r"spores?",
        r"grow ?kits?",
        r"grow(?:ing)? (?:my|your|our|their) own",
        r"for sale",
        r"ships? to|shipping",
        r"telegram|wickr|signal app",
        r"smart ?shops?|head ?shops?",
    ],
}

_COMPILED = {
    flag: re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")
    for flag, patterns in PATTERNS.items()
}


def _fold(text):
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@dataclass
class Assessment:
    flags: list = field(default_factory=list)
    matches: dict = field(default_factory=dict)

    @property
    def weight(self):
        return sum(WEIGHTS[RiskFlag(flag)] for flag in self.flags)

    def reasons(self):
        """One line per flag for moderators: what it is and the words that raised it."""
        return [
            f"{RiskFlag(flag).label} ({', '.join(repr(m) for m in self.matches[flag])})"
            for flag in self.flags
        ]


def assess(*texts):
    """Flags raised by the texts (the name and the body), in the order of RiskFlag."""
    folded = _fold("\n".join(texts))
    result = Assessment()
    for flag in RiskFlag:
        found = []
        for match in _COMPILED[flag].finditer(folded):
            if match.group(0) not in found:
                found.append(match.group(0))
        if found:
            result.flags.append(flag.value)
            result.matches[flag.value] = found[:5]
    return result
