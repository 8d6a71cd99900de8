from django import template
from django.db.models import Count, Q

from ..models import Comment, Status
from ..section import comment_context

register = template.Library()


@register.simple_tag
def moderation_queue():
    """For the admin index: comments waiting, and how many of them need care (one query)."""
    return Comment.objects.filter(status=Status.PENDING).aggregate(
        pending=Count("pk"), risky=Count("pk", filter=Q(risk__gt=0))
    )


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """The comments under an article and the form to add one: {% comment_section article %}."""
    return comment_context(context["request"], article)
