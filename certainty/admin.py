"""Editors keep outcomes and their ratings; reviewers sign them. The certainty and the
statement are shown, never edited: they follow from the ratings."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from citations.models import Citation, ClaimCitation
from core.changelist import ModelAdmin

from .grading import REASON_LIMIT, DownDomain, UpDomain, compute, problems
from .models import Outcome
from .wording import overstated_verb

LEVELS = [(0, "No"), (1, "1 level"), (2, "2 levels")]
RATINGS = [("down", domain) for domain in DownDomain] + [("up", domain) for domain in UpDomain]


def rating_field(verb, domain):
    return f"{verb}_{domain.value.replace('-', '_')}"


class OutcomeForm(forms.ModelForm):
    citations = forms.CharField(
        required=False,
        help_text="Citation keys, separated by commas: the sources behind this answer.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = Outcome
        fields = [
            "article", "key", "order", "question", "intervention", "outcome", "kind",
            "direction", "comparison", "population", "studies", "participants", "effect",
            "start",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = {(verb, r["domain"]): r for verb in ("down", "up") for r in getattr(
            self.instance, verb) or []}  # fmt: skip
        for verb, domain in RATINGS:
            name = rating_field(verb, domain)
            reason = given.get((verb, domain.value), {})
            self.fields[f"{name}_levels"].initial = reason.get("levels", 0)
            self.fields[f"{name}_reason"].initial = reason.get("reason", "")
        self.fields["citations"].initial = ", ".join(self.instance.citation_keys or [])

    def clean(self):
        cleaned = super().clean()
        ratings = {"down": [], "up": []}
        for verb, domain in RATINGS:
            name = rating_field(verb, domain)
            levels = cleaned.get(f"{name}_levels") or 0
            reason = (cleaned.get(f"{name}_reason") or "").strip()
            if levels:
                ratings[verb].append({"domain": domain.value, "levels": levels, "reason": reason})
            elif reason:
                self.add_error(f"{name}_levels", "Choose the levels this reason rates by.")
        keys = [k.strip() for k in (cleaned.get("citations") or "").split(",") if k.strip()]
        unknown = sorted(set(keys) - set(Citation.objects.values_list("key", flat=True)))
        if unknown:
            self.add_error("citations", f"Unknown citation key(s): {', '.join(unknown)}.")
        self.instance.down, self.instance.up = ratings["down"], ratings["up"]
        self.instance.citation_keys = keys
        if "start" not in cleaned:
            return cleaned
        found = problems(cleaned["start"], ratings["down"], ratings["up"], cleaned.get("studies"))
        if found:
            raise forms.ValidationError(found)
        self.check_claims(cleaned, ratings)
        return cleaned

    def check_claims(self, cleaned, ratings):
        """The new certainty must not leave a claim in the text overstating it."""
        article, key = cleaned.get("article") or self.instance.article, cleaned.get("key")
        certainty = compute(cleaned["start"], ratings["down"], ratings["up"], cleaned["studies"])
        claims = ClaimCitation.objects.filter(section__article=article, outcome_key=key)
        for sentence, section in claims.values_list("sentence", "section__title").distinct():
            verb = overstated_verb(sentence, certainty)
            if verb:
                self.add_error(
                    None,
                    f"{section}: “{sentence}” says “{verb}”, stronger than "
                    f"{certainty.label.lower()} certainty allows: change the sentence first.",
                )

    @property
    def rating_fieldsets(self):
        return [
            (
                f"Rating {verb}",
                {
                    "fields": [
                        (f"{rating_field(verb, d)}_levels", f"{rating_field(verb, d)}_reason")
                        for v, d in RATINGS
                        if v == verb
                    ]
                },
            )
            for verb in ("down", "up")
        ]


def add_rating_fields(form_class):
    """One levels choice and one reason per GRADE domain, declared on the form class so
    the admin's fieldsets may name them."""
    for verb, domain in RATINGS:
        name = rating_field(verb, domain)
        fields = {
            f"{name}_levels": forms.TypedChoiceField(
                label=f"{domain.label}: rate {verb}", choices=LEVELS, coerce=int, initial=0
            ),
            f"{name}_reason": forms.CharField(
                label=f"{domain.label}: why, in plain words",
                required=False,
                max_length=REASON_LIMIT,
                widget=forms.TextInput(attrs={"size": 80}),
            ),
        }
        form_class.base_fields.update(fields)
        form_class.declared_fields.update(fields)


add_rating_fields(OutcomeForm)


@admin.register(Outcome)
class OutcomeAdmin(ModelAdmin):
    form = OutcomeForm
    list_display = ["question", "article", "certainty", "sign_off", "order"]
    list_filter = ["article", "certainty"]
    search_fields = ["question", "key"]
    readonly_fields = ["certainty", "statement", "sign_off"]
    actions = ["sign"]

    def get_fieldsets(self, request, obj=None):
        form = OutcomeForm(instance=obj or Outcome())
        return [
            (None, {"fields": ["article", "key", "order", "question"]}),
            (
                "What was compared",
                {"fields": ["intervention", "outcome", "kind", "direction", "comparison",
                            "population", "studies", "participants", "effect", "citations"]},
            ),  # fmt: skip
            ("Certainty (computed from the ratings)", {"fields": ["start", "certainty",
                                                                  "statement", "sign_off"]}),
            *form.rating_fieldsets,
        ]  # fmt: skip

    @admin.display(description="Reviewer sign-off")
    def sign_off(self, obj):
        if not obj.signed:
            return "Not signed"
        when = timezone.localtime(obj.signed_at).strftime("%-d %B %Y")
        text = f"Signed by {obj.signed_name} on {when}"
        return f"{text}; changed since" if obj.changed_since_signed else text

    @admin.action(description="Sign the certainty of the selected outcomes")
    def sign(self, request, queryset):
        name = request.user.get_full_name() or request.user.username
        for outcome in queryset:
            outcome.sign(request.user, name)
        messages.success(request, f"Signed {queryset.count()} outcome(s) as {name}.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("certainty.sign_outcome"):
            actions.pop("sign", None)
        return actions
