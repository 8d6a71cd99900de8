"""Load content/ (articles in Markdown, citations.json) into the database.

Idempotent, all or nothing (one transaction), and careful with editors' work: a
section, article or citation changed in the admin since the last import is left alone
unless --force is given.
"""

import datetime
import json
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.certainty_files import import_outcomes, import_supports
from articles.content_files import (
    ArticleText,
    ContentError,
    author_usernames,
    from_models,
    model_fields,
    parse,
    text_hash,
)
from articles.models import Article, ArticleStatus, Section
from articles.page import page_format
from articles.rendering import RenderError, render_markdown
from articles.rerendering import citation_index, rerender
from certainty.content_files import OutcomeFileError
from citations.csl import CSLError, fields_from_csl, record_hash, to_csl
from citations.markdown_ext import scan_markers
from citations.models import Citation
from citations.support_files import SupportFileError
from core.cache import retire_pages_on_commit
from people.models import author_profile

IMPORT_NOTE = "Imported from content/"
BEFORE_REVIEW_NOTE = "Imported from content/ and published before medical review"


class Action(StrEnum):
    """What the import does with one record, article or section."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REORDER = "reorder"  # unchanged text in a new place
    KEEP = "keep"  # edited in the admin since the last import: left alone


def section_hash(section):
    return text_hash(section.title, section.body_markdown)


def article_hash(article):
    return ArticleText(front=from_models(article, []).front).hash


class Command(BaseCommand):
    help = "Import content/ into the database (idempotent; --force overwrites admin edits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Overwrite changes made in the admin."
        )
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "content"))

    def handle(self, *args, force=False, dir=None, **options):
        # Static files may have been collected since this process started (call_command
        # after collectstatic): the pages stored now are rendered with them.
        page_format.cache_clear()
        root = Path(dir)
        self.root = root
        self.force = force
        self.created, self.updated, self.kept, self.placeholders = [], [], [], []
        try:
            records = self.read_citations(root / "citations.json")
            articles = self.read_articles(root / "articles")
            with transaction.atomic():
                self.import_citations(records)
                citations = citation_index()
                for path, article_text in articles:
                    self.check_keys(path, article_text, set(citations))
                    self.check_rendering(path, article_text, citations)
                    self.import_article(path, article_text)
        except (ContentError, CSLError, OutcomeFileError, SupportFileError) as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc

        for line in self.created:
            self.stdout.write(f"created {line}")
        for line in self.updated:
            self.stdout.write(f"updated {line}")
        for line in self.kept:
            self.stdout.write(self.style.WARNING(f"left alone {line}"))
        for username in self.placeholders:
            self.stdout.write(
                self.style.WARNING(
                    f"author “{username}” has no account yet: made an inactive account with a "
                    "placeholder profile. Create the account (or run create_demo_accounts) "
                    "and complete the profile in the admin (People › Profiles)."
                )
            )
        if not (self.created or self.updated or self.kept):
            self.stdout.write("Nothing to import: the database already matches content/.")

    # Reading (no database writes yet) --------------------------------------------------

    def read_citations(self, path):
        if not path.exists():
            return []
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ContentError(path, exc.lineno, f"not valid JSON ({exc.msg}).") from None
        if not isinstance(items, list):
            raise ContentError(path, 1, "expected a list of CSL-JSON records.")
        records, seen = [], set()
        for item in items:
            values = fields_from_csl(item, where=str(path))
            if values["key"] in seen:
                raise CSLError(f"{path}: the id “{values['key']}” is used twice.")
            seen.add(values["key"])
            records.append(values)
        return records

    def read_articles(self, folder):
        found = []
        for path in sorted(folder.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            article_text = parse(text, path=str(path))
            if article_text.front["slug"] != path.stem:
                line = next(
                    n
                    for n, t in enumerate(text.split("\n"), 1)
                    if t.partition(":")[0].strip() == "slug"
                )
                raise ContentError(path, line, f"the slug must match the file name “{path.stem}”.")
            found.append((path, article_text))
        return found

    def check_keys(self, path, article_text, known):
        for section in article_text.sections:
            for key, line in scan_markers(section.body):
                if key not in known:
                    raise ContentError(
                        path, section.file_line(line), f"unknown citation key “{key}”."
                    )

    def check_rendering(self, path, article_text, citations):
        """What the renderer refuses (a marker that follows no claim), with its file line."""
        for section in article_text.sections:
            try:
                render_markdown(section.body, prefix=section.key, citations=citations)
            except RenderError as exc:
                problem = exc.problems[0]
                if problem.line is None:
                    raise ContentError(path, section.line, problem.message) from exc
                reason = problem.message[0].lower() + problem.message[1:]
                raise ContentError(path, section.file_line(problem.line), reason) from exc

    # Writing ------------------------------------------------------------------------

    def decide(self, label, exists, file_hash, db_hash, imported_hash):
        """CREATE, UPDATE, UNCHANGED or KEEP (edited in the admin since the last import)."""
        if not exists:
            return Action.CREATE
        if file_hash == db_hash:
            return Action.UNCHANGED
        if db_hash == imported_hash or self.force:
            return Action.UPDATE
        self.kept.append(f"{label}: changed in the admin since the last import (use --force)")
        return Action.KEEP

    def import_citations(self, records):
        for values in records:
            key = values["key"]
            existing = Citation.objects.filter(key=key).first()
            incoming = Citation(**{k: v for k, v in values.items() if k != "imported_hash"})
            file_hash = record_hash(to_csl(incoming))
            db_hash = record_hash(to_csl(existing)) if existing else None
            action = self.decide(
                f"citation {key}",
                existing is not None,
                file_hash,
                db_hash,
                existing.imported_hash if existing else None,
            )
            if action in (Action.CREATE, Action.UPDATE):
                citation = existing or incoming
                if existing:
                    for name, value in values.items():
                        setattr(citation, name, value)
                    citation.version += 1
                citation.imported_hash = file_hash
                citation._change_reason = IMPORT_NOTE
                citation.save()
                (self.created if action == Action.CREATE else self.updated).append(
                    f"citation {key}"
                )
            elif action == Action.UNCHANGED and existing.imported_hash != file_hash:
                Citation.objects.filter(pk=existing.pk).update(imported_hash=file_hash)

    def import_article(self, path, article_text):
        fields = model_fields(article_text.front)
        slug = fields["slug"]
        article = Article.objects.filter(slug=slug).first()
        changed = False
        file_hash = article_text.hash
        published = fields["published"] is not None
        if article is None:
            article = Article(**fields)
            action = Action.CREATE
        else:
            action = self.decide(
                f"article {slug}", True, file_hash, article_hash(article), article.imported_hash
            )
            if action == Action.UPDATE:
                for name, value in fields.items():
                    setattr(article, name, value)
                article.version += 1
        if action in (Action.CREATE, Action.UPDATE):
            article.imported_hash = file_hash
            article.status = ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT
            # A file cannot carry a review: publishing it is publishing before review
            # unless a reviewer has signed one that covers it.
            before_review = published and not (action == Action.UPDATE and article.review_current)
            article._change_reason = BEFORE_REVIEW_NOTE if before_review else IMPORT_NOTE
            article.save()
            profiles = []
            for username in author_usernames(article_text.front):
                profile, made = author_profile(username)
                profiles.append(profile)
                if made and username not in self.placeholders:
                    self.placeholders.append(username)
            article.authors.set(profiles)
            (self.created if action == Action.CREATE else self.updated).append(f"article {slug}")
            changed = True
        elif action == Action.UNCHANGED and article.imported_hash != file_hash:
            Article.objects.filter(pk=article.pk).update(imported_hash=file_hash)

        existing = {s.key: s for s in article.sections.all()}
        for order, section_text in enumerate(article_text.sections):
            section = existing.pop(section_text.key, None)
            label = f"section {slug}#{section_text.key}"
            action = self.decide(
                label,
                section is not None,
                section_text.hash,
                section_hash(section) if section else None,
                section.imported_hash if section else None,
            )
            if action == Action.UNCHANGED and section.order != order:
                action = Action.REORDER
            if action in (Action.CREATE, Action.UPDATE, Action.REORDER):
                section = section or Section(article=article, key=section_text.key)
                if action != Action.REORDER:
                    section.title, section.body_markdown = section_text.title, section_text.body
                    section.imported_hash = section_text.hash
                    if action == Action.UPDATE:
                        section.version += 1
                section.order = order
                section._change_reason = IMPORT_NOTE
                section.save(rerender=False)
                (self.created if action == Action.CREATE else self.updated).append(label)
                changed = True
            elif action == Action.UNCHANGED and section.imported_hash != section_text.hash:
                Section.objects.filter(pk=section.pk).update(imported_hash=section_text.hash)
        for key in existing:
            self.kept.append(f"section {slug}#{key}: not in {path.name}, kept in the database")
        changed = import_outcomes(self, self.root, article) or changed
        import_supports(self, self.root, article)
        if changed:
            # The file's "updated" date is when its content last changed; after a signed
            # review, an imported change is a change since that review.
            content_date = datetime.datetime.combine(fields["updated"], datetime.time.min)
            content_changed = timezone.make_aware(content_date, datetime.UTC)
            if article.last_review_id and content_changed <= article.reviewed_at:
                content_changed = timezone.now()
            Article.objects.filter(pk=article.pk).update(content_changed=content_changed)
        # Always re-render: stored HTML follows the current templates and renderer even
        # when the text has not changed (after an upgrade, say). It changes no content.
        try:
            rerender(article)
        except Exception as exc:
            raise ContentError(path, 1, f"the article could not be rendered: {exc}") from exc
        retire_pages_on_commit()
