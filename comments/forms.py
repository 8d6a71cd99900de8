"""The reader's comment form. Its fields are written by hand in
templates/comments/form.html (rendering the form with as_div is slow)."""

from django import forms
from django.conf import settings

from core.text import without_invalid_characters

from . import spam

HONEYPOT_FIELD = "website"


class PlainTextField(forms.CharField):
    """Text exactly as typed, except the line endings browsers send as CR LF (a limit of
    3,000 characters must mean what the reader counted) and invisible control characters
    that HTML does not allow (core.text); NUL is refused with a message instead."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            value = without_invalid_characters(value, keep_nul=True)
        return super().to_python(value)


class CommentForm(forms.Form):
    name = PlainTextField(max_length=80, error_messages={"required": "Enter a name to show."})
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address like name@example.org, or leave it empty."
        },
    )
    body = PlainTextField(error_messages={"required": "Write your comment."})
    website = forms.CharField(required=False)  # the honeypot: people never see it
    token = forms.CharField(required=False)

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    @property
    def max_length(self):
        return settings.COMMENT_MAX_LENGTH

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if spam.count_links(name):
            raise forms.ValidationError("Please use a name, not a web address.")
        if not name:
            raise forms.ValidationError("Enter a name to show.")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        length = len(body)
        if length > settings.COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Your comment is {length:,} characters long; the limit is "
                f"{settings.COMMENT_MAX_LENGTH:,}. Please shorten it by "
                f"{length - settings.COMMENT_MAX_LENGTH:,}."
            )
        links = spam.count_links(body)
        if links > settings.COMMENT_MAX_LINKS:
            raise forms.ValidationError(
                f"Your comment has {links} links; at most {settings.COMMENT_MAX_LINKS} "
                "are allowed. Please remove some."
            )
        return body

    def clean(self):
        cleaned = super().clean()
        try:
            spam.check_timestamp(cleaned.get("token"), self.article.pk)
        except spam.TokenError as error:
            raise forms.ValidationError(str(error), code="token") from None
        return cleaned

    @property
    def is_honeypot_filled(self):
        return bool((self.cleaned_data.get(HONEYPOT_FIELD) or "").strip())
