"""The blocklist moderators edit: words and web domains that mark a comment as spam."""

from django import forms

from core.changelist import ModelAdmin

from .models import BlockedTerm
from .spam import normalise_domain


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["kind", "value", "note"]
        help_texts = {
            "kind": "A word or phrase is looked for in a comment's name and text; a web "
            "domain in its links and in bare addresses such as shop.example/page.",
            "value": "Words and phrases match whole words, whatever the capitals: "
            "“casino” blocks “Casino!” but not “casinos”; write each form you mean. "
            "A domain blocks itself and every subdomain: “shop.example” also blocks "
            "“www.shop.example”, not “myshop.example”. A comment that matches is stored "
            "as spam, where you can release it; the commenter is not told.",
            "note": "For other moderators: why this term is here.",
        }


class BlockedTermAdmin(ModelAdmin):
    form = BlockedTermForm
    list_display = ["value", "kind", "note", "created"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    fields = ["kind", "value", "note"]

    def save_model(self, request, obj, form, change):
        obj.value = (
            normalise_domain(obj.value)
            if obj.kind == BlockedTerm.Kind.DOMAIN
            else obj.value.strip()
        )
        super().save_model(request, obj, form, change)
