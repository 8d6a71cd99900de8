"""What changed in an article since its last signed medical review, for the reviewer.

The baseline is the article as it stood when the last review was signed: each section,
outcome, cited source and claim check is looked up in its history (django-simple-history)
as of the signature's time, and compared with what readers see now. With no signed review,
everything is new. The page shows the differences as escaped word-level diffs, and the
reviewer's signature covers exactly what the page showed (`ArticleChanges.digest`).
"""

import difflib
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.safestring import mark_safe

from certainty.models import CONTENT_FIELDS, Outcome
from citations.markdown_ext import scan_markers
from citations.models import Citation, ClaimSupport
from core.revisions import inline_diff

from .models import Section

NEW, CHANGED, UNCHANGED, REMOVED = "new", "changed", "unchanged", "removed"
LABELS = {NEW: "New", CHANGED: "Changed", UNCHANGED: "Unchanged", REMOVED: "Removed"}
# A source's fields a reviewer checks; the rest (imported CSL extras, version) is not shown.
CITATION_SKIP = {"id", "key", "version", "csl_extra", "imported_hash"}


@dataclass
class Change:
    """One thing the reviewer checks: its text then and now, and their diff."""

    label: str
    old: str | None  # None: it did not exist at the last review
    new: str | None  # None: it was removed since
    anchor: str = ""
    # A section now in another place among the others: (position then, position now).
    moved: tuple | None = None

    @property
    def status(self):
        if self.old is None:
            return NEW
        if self.new is None:
            return REMOVED
        return UNCHANGED if self.old == self.new and not self.moved else CHANGED

    @property
    def status_label(self):
        if self.moved:
            return "Moved" if self.old == self.new else "Changed and moved"
        return LABELS[self.status]

    @property
    def text_changed(self):
        return self.old != self.new

    @property
    def changed(self):
        return self.status != UNCHANGED

    @property
    def diff(self):
        return accessible(inline_diff(self.old or "", self.new or ""))

    @property
    def text(self):
        return self.new if self.new is not None else self.old


@dataclass
class Group:
    title: str
    changes: list = field(default_factory=list)

    @property
    def changed(self):
        return [c for c in self.changes if c.changed]

    @property
    def unchanged(self):
        return [c for c in self.changes if not c.changed]


@dataclass
class ArticleChanges:
    review: object  # the last signed Review, or None
    groups: list

    @property
    def count(self):
        return sum(len(g.changed) for g in self.groups)

    @property
    def digest(self):
        """What the reviewer was shown, as one value: a signature posted from a page whose
        digest no longer matches would cover text the reviewer has not seen."""
        state = [(g.title, i, c.label, c.new) for g in self.groups for i, c in enumerate(g.changes)]
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]


def accessible(diff_html):
    """The diff with its insertions and deletions announced in words, not only shown by
    colour and line style (the markup from inline_diff is escaped text in fixed tags)."""
    return mark_safe(
        diff_html.replace("<del>", '<span class="visually-hidden">[removed: </span><del>')
        .replace("</del>", '</del><span class="visually-hidden">]</span>')
        .replace("<ins>", '<span class="visually-hidden">[added: </span><ins>')
        .replace("</ins>", '</ins><span class="visually-hidden">]</span>')
    )


def as_of(history, when):
    """{id: historical record} of the records that existed at `when`: one query, which
    reads only each record's last revision before `when`, however long its history."""
    if when is None:
        return {}
    last = (
        history.model.objects.filter(id=OuterRef("id"), history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    found = history.filter(history_date__lte=when, history_id=Subquery(last))
    return {r.id: r for r in found if r.history_type != "-"}


def value_text(model, record, name):
    """A field's value as a reviewer reads it: choice labels, lists as JSON."""
    model_field = model._meta.get_field(name)
    value = getattr(record, model_field.attname)
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list):  # one item a line, so that a changed item is one line
        return "".join("\n- " + json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    choices = dict(model_field.flatchoices)
    if value in choices:
        return str(choices[value])
    return str(value)


def record_text(model, record, names):
    lines = []
    for name in names:
        value = value_text(model, record, name)
        if value:
            lines.append(f"{model._meta.get_field(name).verbose_name.capitalize()}: {value}")
    return "\n".join(lines)


def section_text(record):
    return f"## {record.title} {{#{record.key}}}\n\n{record.body_markdown}"


def pair(label, old, new, anchor=""):
    return Change(label=label, old=old, new=new, anchor=anchor)


def article_group(article, when):
    old = as_of(type(article).history.filter(id=article.pk), when).get(article.pk)

    def crisis(record):
        return f"In the section #{record.crisis_section}" if record.crisis_section else "None"

    return Group(
        "The article",
        [
            pair("Title", old and old.title, article.title),
            pair("Summary", old and old.summary, article.summary),
            pair("Crisis box", old and crisis(old), crisis(article)),
        ],
    )


def moved_sections(then, now):
    """{pk: (position then, position now)} of the sections that changed places among
    the others (not those only pushed along by a section added or removed before them)."""
    before = [r.id for r in sorted(then.values(), key=lambda r: (r.order, r.id))]
    after = [s.pk for s in now]
    both = set(before) & set(after)
    before, after = [pk for pk in before if pk in both], [pk for pk in after if pk in both]
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    stayed = {after[b.b + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
    return {pk: (before.index(pk) + 1, after.index(pk) + 1) for pk in both - stayed}


def section_group(article, when):
    now = list(article.sections.order_by("order", "pk"))
    then = as_of(Section.history.filter(article_id=article.pk), when)
    moved = moved_sections(then, now)
    changes = [
        Change(
            s.title,
            section_text(then[s.pk]) if s.pk in then else None,
            section_text(s),
            anchor=f"section-{s.pk}",
            moved=moved.get(s.pk),
        )
        for s in now
    ]
    live = {s.pk for s in now}
    gone = sorted((r for pk, r in then.items() if pk not in live), key=lambda r: r.order)
    changes += [pair(r.title, section_text(r), None, anchor=f"section-{r.id}") for r in gone]
    return Group("Sections", changes), now, [then[s.pk] for s in now if s.pk in then] + gone


def outcome_group(article, when):
    names = [*CONTENT_FIELDS, "certainty"]
    now = list(Outcome.objects.filter(article=article).order_by("order", "pk"))
    then = as_of(Outcome.history.filter(article_id=article.pk), when)
    changes = [
        pair(
            o.question,
            record_text(Outcome, then[o.pk], names) if o.pk in then else None,
            record_text(Outcome, o, names),
        )
        for o in now
    ]
    live = {o.pk for o in now}
    changes += [
        pair(r.question, record_text(Outcome, r, names), None)
        for pk, r in then.items()
        if pk not in live
    ]
    return Group("Outcomes (how sure are we?)", changes)


def cited_keys(sections):
    return {key for s in sections for key, _line in scan_markers(s.body_markdown)}


def citation_group(now_keys, then_keys, when):
    names = [
        f.name for f in Citation._meta.concrete_fields if f.editable and f.name not in CITATION_SKIP
    ]
    records = {c.key: c for c in Citation.objects.filter(key__in=now_keys | then_keys)}
    then = {r.key: r for r in as_of(Citation.history.filter(key__in=then_keys), when).values()}
    changes = []
    for key in sorted(now_keys | then_keys):
        current = records.get(key)
        new = record_text(Citation, current, names) if key in now_keys and current else None
        old = record_text(Citation, then[key], names) if key in then_keys and key in then else None
        if new is not None or old is not None:
            changes.append(pair(key, old, new))
    return Group("Sources cited", changes)


def support_text(record):
    return "\n".join(
        [
            f"Claim: {record.sentence}",
            f"Support: {value_text(ClaimSupport, record, 'support')}",
            f"Pinpoint: {record.pinpoint}",
        ]
    )


def support_group(article, when):
    now = list(ClaimSupport.objects.filter(article=article).order_by("citation_id", "pk"))
    then = as_of(ClaimSupport.history.filter(article_id=article.pk), when)
    ids = {s.citation_id for s in now} | {r.citation_id for r in then.values()}
    keys = dict(Citation.objects.filter(pk__in=ids).values_list("pk", "key"))

    def label(record):
        return f"{keys.get(record.citation_id, 'a deleted source')}: {record.sentence[:80]}"

    changes = [
        pair(label(s), support_text(then[s.pk]) if s.pk in then else None, support_text(s))
        for s in now
    ]
    live = {s.pk for s in now}
    changes += [pair(label(r), support_text(r), None) for pk, r in then.items() if pk not in live]
    return Group("Claim checks (do the sources say it?)", changes)


def changes_since_review(article):
    """Everything a reviewer signs, then (at the last signed review) and now."""
    review = article.last_review
    when = review.signed_at if review is not None else None
    sections, now, then = section_group(article, when)
    return ArticleChanges(
        review=review,
        groups=[
            article_group(article, when),
            sections,
            outcome_group(article, when),
            citation_group(cited_keys(now), cited_keys(then), when),
            support_group(article, when),
        ],
    )
