"""The outcomes and claim-support files of an article, beside its Markdown:
content/outcomes/<slug>.json and content/support/<slug>.json (content/README.md).

Import follows the same rule as sections: a record changed in the admin since the last
import is left alone unless --force is given. A missing file changes nothing.
"""

from certainty import content_files as outcome_files
from certainty.models import Outcome
from citations import support_files
from citations.models import Citation, ClaimSupport
from citations.support import sentence_key


def read(folder, slug, parse, **kwargs):
    path = folder / f"{slug}.json"
    if not path.exists():
        return None
    return parse(path.read_text(encoding="utf-8"), path=str(path), **kwargs)


def outcome_hash(outcome):
    return outcome_files.item_hash(outcome_files.to_item(outcome))


def import_outcomes(command, root, article):
    """Create or update the article's outcomes from its file. Returns True on a change."""
    keys = set(Citation.objects.values_list("key", flat=True))
    items = read(root / "outcomes", article.slug, outcome_files.parse, citation_keys=keys)
    if items is None:
        return False
    existing = {o.key: o for o in article.outcomes.all()}
    changed = False
    for order, values in enumerate(items):
        outcome = existing.pop(values["key"], None)
        incoming = Outcome(article=article, order=order, **values)
        file_hash = outcome_hash(incoming)
        label = f"outcome {article.slug}#{values['key']}"
        action = command.decide(
            label,
            outcome is not None,
            file_hash,
            outcome_hash(outcome) if outcome else None,
            outcome.imported_hash if outcome else None,
        )
        if action == "unchanged" and outcome.order != order:
            action = "reorder"
        if action in ("create", "update", "reorder"):
            outcome = outcome or incoming
            for name, value in values.items():
                setattr(outcome, name, value)
            outcome.order, outcome.imported_hash = order, file_hash
            outcome.from_import = True  # the import dates the article's change itself
            outcome.save()
            (command.created if action == "create" else command.updated).append(label)
            changed = changed or action != "reorder"
        elif action == "unchanged" and outcome.imported_hash != file_hash:
            Outcome.objects.filter(pk=outcome.pk).update(imported_hash=file_hash)
    for key in existing:
        command.kept.append(f"outcome {article.slug}#{key}: not in the file, kept")
    return changed


def import_supports(command, root, article):
    """Create or update the article's claim-support checks from its file."""
    citations = {c.key: c for c in Citation.objects.all()}
    records = read(root / "support", article.slug, support_files.parse, citation_keys=citations)
    if records is None:
        return
    existing = {
        (s.citation_id, s.sentence_hash): s
        for s in ClaimSupport.objects.filter(article=article).select_related("citation")
    }
    for values in records:
        citation = citations[values["citation"]]
        record = existing.get((citation.pk, sentence_key(values["sentence"])))
        incoming = ClaimSupport(article=article, **{**values, "citation": citation})
        file_hash = support_files.item_hash(support_files.to_item(incoming))
        label = f"support {article.slug}: {values['citation']} for “{values['sentence'][:40]}”"
        db_hash = support_files.item_hash(support_files.to_item(record)) if record else None
        action = command.decide(
            label, record is not None, file_hash, db_hash, record.imported_hash if record else None
        )
        if action in ("create", "update"):
            record = record or incoming
            for name in ("support", "pinpoint", "checked_by", "checked_on"):
                setattr(record, name, values[name])
            record.imported_hash = file_hash
            record.save()
            (command.created if action == "create" else command.updated).append(label)
        elif action == "unchanged" and record.imported_hash != file_hash:
            ClaimSupport.objects.filter(pk=record.pk).update(imported_hash=file_hash)


def export(root, article, write):
    """Write the article's outcomes and checks (only when it has any). Returns files written."""
    written = 0
    outcomes = list(article.outcomes.order_by("order", "pk"))
    if outcomes:
        (root / "outcomes").mkdir(exist_ok=True)
        items = [outcome_files.to_item(o) for o in outcomes]
        written += write(root / "outcomes" / f"{article.slug}.json", outcome_files.dumps(items))
        for outcome, item in zip(outcomes, items, strict=True):
            Outcome.objects.filter(pk=outcome.pk).update(
                imported_hash=outcome_files.item_hash(item)
            )
    records = list(ClaimSupport.objects.filter(article=article).select_related("citation"))
    if records:
        (root / "support").mkdir(exist_ok=True)
        items = [support_files.to_item(r) for r in sorted(records, key=lambda r: r.pk)]
        written += write(root / "support" / f"{article.slug}.json", support_files.dumps(items))
        for record, item in zip(sorted(records, key=lambda r: r.pk), items, strict=True):
            ClaimSupport.objects.filter(pk=record.pk).update(
                imported_hash=support_files.item_hash(item)
            )
    return written
