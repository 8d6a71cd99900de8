""" "Reply by email" from a comment's page in the admin.

The comment form promises that the email address is "used only to reply to you
privately": this is that reply. It is sent through Django's email settings (the console
in development, SMTP when EMAIL_HOST is set), from DEFAULT_FROM_EMAIL, and recorded in
the comment's history (the admin's change log) with the moderator and the subject. The
address itself is shown nowhere but on the comment's own page: not on this form, not
in the history, not in a log line.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

logger = logging.getLogger(__name__)

SIGNATURE = "\n\n— The editorial team"


class EmailReplyForm(forms.Form):
    subject = forms.CharField(max_length=150, initial="About your comment")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        max_length=5000,
        help_text="Plain text. The editorial team's signature is added below it. Follow the "
        "safe-messaging guidance: no methods, amounts or doses; point to the crisis lines.",
    )


def can_email(comment):
    return bool(comment.email) and not comment.is_editorial and not comment.erased_at


def email_reply_view(modeladmin, request, object_id):
    if not modeladmin.has_moderate_permission(request):
        raise PermissionDenied
    comment = modeladmin.get_object(request, unquote(object_id))
    if comment is None or not can_email(comment):
        raise Http404("This comment has no email address to reply to.")
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    initial = {"message": f"Hello {comment.name},\n\nThank you for your comment on "
               f"“{comment.article.title}”.\n\n"}  # fmt: skip
    form = EmailReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subject = form.cleaned_data["subject"]
        try:
            send_mail(subject, form.cleaned_data["message"] + SIGNATURE, None, [comment.email])
        except Exception:
            logger.warning("could not send an email reply to comment %s", comment.pk, exc_info=True)
            messages.error(request, "The email could not be sent. Nothing was recorded; try again.")
        else:
            modeladmin.log_change(request, comment, f"Replied by email: “{subject}”")
            logger.info("email reply sent to the author of comment %s", comment.pk)
            modeladmin.message_user(request, "Your reply was sent by email.")
            return redirect(change_url)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Reply by email",
        "opts": modeladmin.model._meta,
        "comment": comment,
        "form": form,
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/comments/comment/email_reply.html", context)
