"""Identifiers pasted as links become the identifier; types written as free text become
one of the choices ("journal article" → article-journal; anything unknown → document)."""

from django.db import migrations

from citations.identifiers import NORMALISERS, IdentifierError
from citations.source_types import SourceType, source_type


def normalise(apps, schema_editor):
    Citation = apps.get_model("citations", "Citation")
    for citation in Citation.objects.all():
        changes = {}
        for field, normalise_field in NORMALISERS.items():
            value = getattr(citation, field)
            try:
                clean = normalise_field(value)
            except IdentifierError:
                continue  # not an identifier at all: the form shows it to the next editor
            if clean != value:
                changes[field] = clean
        kind = source_type(citation.csl_type) or SourceType.DOCUMENT
        if kind.value != citation.csl_type:
            changes["csl_type"] = kind.value
        if changes:
            Citation.objects.filter(pk=citation.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0005_pmcid_and_type_choices"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
