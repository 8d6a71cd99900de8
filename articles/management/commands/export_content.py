"""Write the database back to content/, so edits made in the admin can be committed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import certainty_files
from articles.content_files import from_models, serialize, text_hash
from articles.management.commands.import_content import article_hash
from articles.models import Article, Section
from citations.csl import dumps, record_hash, to_csl
from citations.models import Citation


class Command(BaseCommand):
    help = "Write articles and citations from the database to content/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "content"))

    @transaction.atomic
    def handle(self, *args, dir=None, **options):
        root = Path(dir)
        (root / "articles").mkdir(parents=True, exist_ok=True)
        written = 0

        citations = list(Citation.objects.order_by("pk"))
        items = [to_csl(c) for c in citations]
        written += self.write(root / "citations.json", dumps(items))
        for citation, item in zip(citations, items, strict=True):
            Citation.objects.filter(pk=citation.pk).update(imported_hash=record_hash(item))

        for article in Article.objects.order_by("pk"):
            sections = list(article.sections.order_by("order"))
            written += self.write(
                root / "articles" / f"{article.slug}.md", serialize(from_models(article, sections))
            )
            written += certainty_files.export(root, article, self.write)
            # The files now match the database: a later import sees no admin edits.
            Article.objects.filter(pk=article.pk).update(imported_hash=article_hash(article))
            for section in sections:
                Section.objects.filter(pk=section.pk).update(
                    imported_hash=text_hash(section.title, section.body_markdown)
                )
        if not written:
            self.stdout.write("Nothing to export: content/ already matches the database.")

    def write(self, path, text):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return 0
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
        return 1
