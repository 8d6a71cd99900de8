from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0006, which maps the types written as free text: on PostgreSQL a table
    # whose rows were just updated cannot be altered in the same transaction.

    dependencies = [
        ("citations", "0006_identifiers_and_types_from_text"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.CheckConstraint(condition=models.Q(('csl_type__in', ['article-journal', 'book', 'chapter', 'report', 'webpage', 'thesis', 'dataset', 'article', 'paper-conference', 'article-newspaper', 'article-magazine', 'legislation', 'post', 'post-weblog', 'document'])), name='citation_type_known'),
        ),
    ]
