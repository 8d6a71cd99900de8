"""Check content/ the way a careful editor would, without touching the database.

Fails on unknown citation keys, records never cited, byline dates in the future or out
of order, a questions section whose headings are not questions, table rows with more or
fewer cells than their header (articles.content_checks), sentences that state a number or
percentage without citing anything, any drug amount (a number with g, mg, µg, mcg or
micrograms) in an article or a citation record (readers are never told how much to take),
and the claim rules (articles.claim_rules): a verb stronger than the claim's outcome
allows, a published claim a source does not support, a claim resting only on sources
nobody could find. Prints every claim with its outcome's
certainty and what each source says, the claims per evidence level (each claim counted
under the strongest source it rests on, exactly as the page shows them) and the number
of sources nobody could find.
"""

import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.claim_rules import claim_statuses
from articles.content_checks import file_problems
from articles.content_files import ContentError, parse
from articles.file_context import FileContextError, claim_context
from articles.rerendering import summarise
from articles.validation import check_sections
from citations.amounts import amounts_in, amounts_in_record
from citations.csl import CSLError, fields_from_csl
from citations.markdown_ext import scan_markers
from citations.models import Citation, EvidenceLevel


def load_citations(path):
    return citations_from(json.loads(path.read_text(encoding="utf-8")), path)


def citations_from(items, path):
    citations = {}
    for item in items:
        values = fields_from_csl(item, where=str(path))
        values.pop("imported_hash")
        citations[values["key"]] = Citation(**values)
    return citations


class Command(BaseCommand):
    help = "Check content/: citation keys, uncited records, numbers without a source."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "content"))

    def handle(self, *args, dir=None, **options):
        root = Path(dir)
        problems = []
        self.warnings = 0
        try:
            items = json.loads((root / "citations.json").read_text(encoding="utf-8"))
            citations = citations_from(items, root / "citations.json")
        except (CSLError, json.JSONDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        # Records reach source pages and the RIS/BibTeX/CSL exports.
        for item in items:
            for field, amount in amounts_in_record(item):
                problems.append(
                    f"citations.json, record “{item['id']}”, {field}: a drug amount “{amount}”."
                )
        cited = set()
        totals = Counter()
        claims = 0
        for path in sorted((root / "articles").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            try:
                article = parse(text, path=str(path))
            except ContentError as exc:
                problems.append(f"{path.name}: {exc}")
                # One typo must not bury itself under "never cited" for every other key.
                cited.update(key for key, _ in scan_markers(text) if key in citations)
                continue
            for name in ("title", "summary"):
                for amount in amounts_in(article.front.get(name)):
                    problems.append(f"{path.name}, {name}: a drug amount “{amount}”.")
            for line, message in file_problems(article):
                problems.append(
                    f"{path.name}, line {line}: {message}" if line else f"{path.name}: {message}"
                )
            try:
                context = claim_context(root, article, citations)
            except FileContextError as exc:
                problems.append(str(exc))
                context = None
            for section in article.sections:
                section.claim_context = context
            # The admin's rules, with the admin's messages (articles.validation).
            found, rendered = check_sections(article.sections, citations)
            sections = {section.key: section for section in article.sections}
            for problem in found:
                section = sections[problem.section]
                where = f"{path.name}, section “{section.title}”"
                if problem.line:
                    where = (
                        f"{path.name}, line {section.file_line(problem.line)} "
                        f"(section “{section.title}”, line {problem.line})"
                    )
                problems.append(f"{where}: {problem.message}")
            if rendered is None:
                cited.update(key for key, _ in scan_markers(text) if key in citations)
                continue
            if context is not None:
                self.print_claims(path, article.sections, rendered, context)
            for result in rendered:
                cited.update(claim.key for claim in result.claims)
                summary = summarise(result.claims, citations)
                claims += summary["claims"]
                totals.update(summary["levels"])
        for key in sorted(set(citations) - cited):
            problems.append(f"citations.json: “{key}” is never cited.")

        self.stdout.write("Claims per evidence level (each under its strongest source):")
        for level in EvidenceLevel:
            if totals[level.value]:
                self.stdout.write(f"  {level.badge}: {totals[level.value]}")
        not_located = sum(1 for key in cited if not citations[key].located)
        self.stdout.write(
            f"Total: {claims} claims citing {len(cited)} sources, "
            f"{not_located} of them not located."
        )
        if self.warnings:
            self.stdout.write(f"{self.warnings} claim-source pair(s) not yet checked (a warning).")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) in content/.")
        self.stdout.write(self.style.SUCCESS("content/ is consistent."))

    def print_claims(self, path, sections, rendered, context):
        """Every claim with its outcome's certainty and each source's support."""
        self.stdout.write(f"{path.name}: claims, their outcome and what each source says:")
        for section, result in zip(sections, rendered, strict=True):
            for line, sentence, outcome, checks in claim_statuses(section, result, context):
                where = f"line {section.file_line(line)}" if line else f"section {section.key}"
                said = "; ".join(f"{key} {support.label.lower()}" for key, support in checks)
                outcome = f" [{outcome}]" if outcome else ""
                self.stdout.write(f"  {where}{outcome}: {said}: “{sentence[:70]}”")
                self.warnings += sum(1 for _, support in checks if support == "unchecked")
