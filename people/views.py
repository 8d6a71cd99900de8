from django.shortcuts import render

from core.page_cache import cache_for_readers

from .models import Profile


@cache_for_readers
def team(request):
    """Our team and how we work: the people, the editorial policy, owner and funding."""
    context = {"profiles": list(Profile.objects.listed())}
    return render(request, "people/team.html", context)
