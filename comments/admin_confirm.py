"""A confirmation page for the bulk actions that take comments off the page or erase them.

Approving is safe to do at once (it can be undone from the same list); rejecting,
marking as spam and erasing first show which comments they will act on, as Django's own
"Delete selected" does, and run only when the moderator confirms.
"""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse

CONFIRMED = "confirmed"


def confirm_first(modeladmin, request, queryset, *, action, question, button, warning, run):
    """Run `run(queryset)` if the moderator confirmed; otherwise show the comments and ask."""
    if request.POST.get(CONFIRMED) == "yes":
        return run(queryset)
    comments = list(queryset.select_related("article").order_by("-created", "-pk")[:200])
    total = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": question,
        "opts": modeladmin.model._meta,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": queryset.values_list("pk", flat=True),
        "comments": comments,
        "total": total,
        "more": total - len(comments),
        "warning": warning,
        "button": button,
        "select_across": request.POST.get("select_across", "0"),
        # The version each ticked row showed (comments.stale): the decision, once
        # confirmed, is still refused if a colleague changed a comment meanwhile.
        "versions": [
            (name, value) for name, value in request.POST.items() if name.startswith("version-")
        ],
    }
    return TemplateResponse(request, "admin/comments/comment/confirm_action.html", context)
