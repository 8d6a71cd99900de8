"""content/ imported once per test process and put back, row for row, into each test
that asks for it.

Importing renders every section's Markdown and checks every citation: about 0.3 s, which
a hundred-odd tests paid again and again. The first test that needs the content imports
it inside a transaction, keeps every row the import added and rolls back, so tests that
do not ask for the content still start from an empty database. Putting the rows back is a
few bulk inserts, inside the test's own transaction for ordinary tests; tests with
transaction=True or a live server get them committed, and the flush after the test
removes them.
"""

import io

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

SLUG = "microdosing-derealization"
ARTICLE_URL = f"/articles/{SLUG}/"


def content_author():
    """The staff member content/ names as its author (`authors: editor`), with a profile,
    as `make setup` creates the demo accounts before it imports."""
    from django.contrib.auth import get_user_model

    from people.models import Profile

    user, _ = get_user_model().objects.get_or_create(username="editor", defaults={"is_staff": True})
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"public_name": "Alex Author", "role": "Health editor"}
    )
    return profile


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def capture():
    """[(model, field names, [row values])] for every row that content/'s author and
    `import_content` add to an empty site."""
    models = _tables()
    with transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        content_author()
        call_command("import_content", stdout=io.StringIO(), stderr=io.StringIO())
        rows = []
        for model in models:
            names = [field.attname for field in model._meta.concrete_fields]
            added = [
                values
                for values in model._base_manager.order_by("pk").values_list(*names)
                if values[names.index(model._meta.pk.attname)] not in before[model]
            ]
            if added:
                rows.append((model, names, added))
        transaction.set_rollback(True)
    return rows


def restore(rows):
    """Insert the captured rows again, with their primary keys (foreign keys are checked
    at the end of the transaction, so the order of the tables does not matter)."""
    with transaction.atomic():
        for model, names, added in rows:
            model._base_manager.bulk_create(
                [model(**dict(zip(names, values, strict=True))) for values in added]
            )
