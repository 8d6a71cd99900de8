from django import template

from citations.formatting import ama_html
from citations.markdown_ext import SHORT_LABELS
from citations.models import EvidenceLevel

register = template.Library()


@register.simple_tag
def ama(citation):
    return ama_html(citation)


@register.filter
def level_short(level):
    """ "Level 2 · Randomised trial", or the plain wording for ungraded sources."""
    level = EvidenceLevel(level)
    if level.value.isdigit():
        return f"Level {level.value} · {level.label}"
    return level.label


@register.filter
def level_marker(level):
    """The short label shown next to each citation number."""
    return SHORT_LABELS[EvidenceLevel(level)]


@register.filter
def evidence_summary(evidence):
    """ "9 claims — 3 trials, 4 surveys or case reports, 2 sources not located"."""
    claims = (evidence or {}).get("claims", 0)
    if not claims:
        return "No cited claims"
    parts = [EvidenceLevel(value).count_phrase(n) for value, n in evidence["levels"].items()]
    head = f"{claims} claim{'s' if claims != 1 else ''}"
    return f"{head} — {', '.join(parts)}"
