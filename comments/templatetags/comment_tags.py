from django import template
from django.db.models import Count, Q

from ..models import Comment, Status

register = template.Library()


@register.simple_tag
def moderation_queue():
    """For the admin index: comments waiting, and how many of them need care (one query)."""
    return Comment.objects.filter(status=Status.PENDING).aggregate(
        pending=Count("pk"), risky=Count("pk", filter=Q(risk__gt=0))
    )
