"""Starting points for replies from the editorial team, following safe-messaging guidance:
acknowledge the person, point to the crisis box and emergency numbers, give no method or
dose detail, pass no judgement, and keep hope in view. Moderators adapt them; they are
plain text, like every comment.
"""

from dataclasses import dataclass

from .models import RiskFlag


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    title: str
    text: str
    flag: str = ""


GUIDANCE = [
    "Acknowledge what the person said, in plain and warm words.",
    "Point to the crisis box on the article page and to emergency numbers.",
    "Never describe a method, an amount, a dose or where to get anything.",
    "No judgement and no lecture; do not promise what we cannot do.",
    "Do not quote their words back if they describe harming themselves.",
]

TEMPLATES = [
    ReplyTemplate(
        "self-harm",
        "Thoughts of self-harm or suicide",
        "Thank you for telling us how you feel. That sounds really hard, and we are glad you "
        "reached out. You don't have to face this alone: the crisis box on this page lists "
        "people you can talk to right now, any time of day or night. If you might act on "
        "these thoughts or are in danger, please call your local emergency number now "
        "(112 in Europe, 999 in the UK, 911 in the US and Canada). We can't give personal "
        "advice in the comments, but talking to someone today can help.",
        RiskFlag.SELF_HARM,
    ),
    ReplyTemplate(
        "dose",
        "Questions about doses or amounts",
        "Thanks for your question. We don't give amounts or advice on taking any substance, "
        "because we can't do that safely for someone we don't know, and we don't publish "
        "comments that do. A doctor or pharmacist can talk it through with you in "
        "confidence, including how it could interact with medicines you take. If you feel "
        "unwell or unsafe, the crisis box on this page lists who to contact now.",
        RiskFlag.DOSING,
    ),
    ReplyTemplate(
        "sourcing",
        "Buying or sourcing",
        "Thanks for your comment. We don't publish where or how to get any substance, so we "
        "can't answer that here. If you are looking for help with derealization, the "
        "article's section on alternative treatments describes options and how strong the "
        "evidence for each is, and a doctor can help you find support. If you are "
        "struggling right now, the crisis box on this page lists people you can talk to.",
        RiskFlag.SOURCING,
    ),
    ReplyTemplate(
        "distress",
        "Distress or feeling unreal",
        "Thank you for sharing this. Feeling detached or unreal can be frightening, and many "
        "people who feel this way find that it eases with time and support. A doctor can "
        "help you find out what is behind it and what could help. If things feel too much "
        "right now, the crisis box on this page lists people you can talk to today.",
    ),
    ReplyTemplate(
        "thanks",
        "Thanks for a helpful comment",
        "Thank you for taking the time to share this. Experiences like yours help other "
        "readers, and we read every comment.",
    ),
]

BY_KEY = {template.key: template for template in TEMPLATES}


def choices():
    return [("", "— none —")] + [(t.key, t.title) for t in TEMPLATES]


def suggested_for(flags):
    """The templates that fit a comment's risk flags, most urgent first."""
    return [t for t in TEMPLATES if t.flag and t.flag in flags]
