from django.shortcuts import render

from core.middleware import mark_cacheable

from .models import Profile


def team(request):
    """Our team and how we work: the people, the editorial policy, owner and funding."""
    context = {"profiles": list(Profile.objects.listed())}
    return mark_cacheable(render(request, "people/team.html", context))
