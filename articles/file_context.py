"""The claim rules' context for an article in content/: its outcomes' certainty and its
support checks, read from content/outcomes/ and content/support/ (either may be missing)."""

import datetime

from certainty import content_files as outcome_files
from certainty.content_files import OutcomeFileError
from certainty.grading import compute
from citations import support_files
from citations.support import sentence_key
from citations.support_files import SupportFileError

from .certainty_files import read
from .claim_rules import ClaimContext


class FileContextError(ValueError):
    pass


def claim_context(root, article, citations):
    slug = article.front["slug"]
    try:
        outcomes = read(root / "outcomes", slug, outcome_files.parse, citation_keys=citations)
        supports = read(root / "support", slug, support_files.parse, citation_keys=citations)
    except (OutcomeFileError, SupportFileError) as exc:
        raise FileContextError(str(exc)) from exc
    published = article.front.get("published")
    return ClaimContext(
        outcomes={
            o["key"]: compute(o["start"], o["down"], o["up"], o["studies"]).value
            for o in outcomes or []
        },
        supports={
            (s["citation"], sentence_key(s["sentence"])): s["support"] for s in supports or []
        },
        published=published is not None and published <= datetime.date.today(),
    )
