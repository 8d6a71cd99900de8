"""Dates as people read them: "30 November 2026", never "2026-11-30"."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def human_date(value):
    """A date, a datetime or an ISO date string ("2026-11-30") as "30 November 2026"."""
    value = _local(value)
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, datetime.date):
        return value
    return format_date(value, "j F Y")


@register.filter
def iso_date(value):
    """The machine-readable form for <time datetime>: "2026-11-30"."""
    value = _local(value)
    if isinstance(value, str):
        return value[:10]
    return value.isoformat()[:10] if isinstance(value, datetime.date) else value
