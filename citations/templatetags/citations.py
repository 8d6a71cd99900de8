from django import template

from citations.formatting import ama_html
from citations.models import EvidenceLevel

register = template.Library()


@register.simple_tag
def ama(citation):
    return ama_html(citation)


@register.filter
def evidence_summary(evidence):
    """ "9 claims — 3 trials, 4 surveys or case reports, 2 sources not located"."""
    claims = (evidence or {}).get("claims", 0)
    if not claims:
        return "No cited claims"
    parts = [EvidenceLevel(value).count_phrase(n) for value, n in evidence["levels"].items()]
    head = f"{claims} claim{'s' if claims != 1 else ''}"
    return f"{head} — {', '.join(parts)}"
