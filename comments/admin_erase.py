"""Erase a commenter's data by the email address they gave, after showing their comments."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from . import moderation
from .models import Comment


class EraseForm(forms.Form):
    email = forms.EmailField(label="The commenter's email address")
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


def erase_view(modeladmin, request):
    if not modeladmin.has_moderate_permission(request):
        raise PermissionDenied
    form = EraseForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data.get("confirm"):
            count = moderation.erase_by_email(email, request.user)
            modeladmin.message_user(
                request,
                f"Erased the data of {count} comment{'s' if count != 1 else ''} "
                "left with that email address.",
            )
            return redirect("admin:comments_comment_changelist")
        matches = list(
            Comment.objects.filter(email__iexact=email, is_editorial=False)
            .select_related("article")
            .order_by("-created", "-pk")
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Erase a commenter's data",
        "opts": modeladmin.model._meta,
        "form": form,
        "matches": matches,
    }
    return TemplateResponse(request, "admin/comments/comment/erase.html", context)
