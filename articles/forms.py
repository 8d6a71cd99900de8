from django import forms

from .models import Feedback


class FeedbackForm(forms.Form):
    """ "Did this article help you?" — yes or no, and optionally why."""

    helpful = forms.TypedChoiceField(
        label="Did this article help you?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    reason = forms.CharField(
        label="What could be better? (optional)",
        required=False,
        max_length=Feedback._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Please keep it to %(limit_value)d characters (you wrote %(show_value)d)."
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].replace("\x00", "")
        return reason.strip()
