"""The citation form: identifiers as pasted, authors as typed, and "Fill from DOI/PubMed"."""

import json
import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify

from core.revisions import RevisionForm
from core.text import without_invalid_characters

from .amounts import amounts_in
from .identifiers import NORMALISERS, IdentifierError, identify, is_doi_link, normalise_doi
from .lookup import fetch
from .models import Citation, Verification
from .names import AuthorsError, format_authors, parse_authors

# json.loads reads each [ or { by recursion: thousands of them exhaust Python's stack.
# A list of authors nests two levels; deeper is refused before parsing.
MAX_JSON_DEPTH = 8
AUTHORS_FORMAT = (
    "Write one author per line (“Hunter, Ellen C. M.”), or several on a line as PubMed "
    "does (“Hunter ECM, Sierra M, David AS”); an organisation as its name, in braces if "
    "it could be read as a person’s: {Cochrane}."
)
# For authors typed as CSL-JSON (still accepted: it is what Zotero and Pandoc write).
AUTHORS_JSON = 'Write authors as a list like [{"family": "Szigeti", "given": "Balázs"}].'
AUTHORS_MESSAGES = {
    "format": AUTHORS_FORMAT,
    "control": "Each author's name must be plain text, without invisible control characters "
    "such as \\u0000.",
    "et al": "Name every author rather than “et al”: references and exports list them all "
    "(“Fill from DOI/PubMed” fetches the full list).",
    "too many": "That is more authors than a record can hold.",
}
# The fields readers read on source pages and in exports (identifiers and links aside).
READABLE = ["title", "authors", "container_title", "volume", "issue", "pages", "sample_size",
            "finding", "verification_note", "described_as"]  # fmt: skip
KIND_NAMES = {"doi": "DOI", "pmid": "PubMed ID", "pmcid": "PMC ID"}
# The fields "Fill from DOI/PubMed" may fill: the publication's details, never the
# evidence fields or the verification an editor decides.
FILLABLE = ["csl_type", "title", "authors", "container_title", "year", "volume", "issue",
            "pages", "doi", "pmid", "pmcid"]  # fmt: skip


def json_depth(text):
    """How deep [ and { nest in JSON text, strings skipped, without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def too_deep(value):
    if not isinstance(value, str) or value.count("[") + value.count("{") <= MAX_JSON_DEPTH:
        return False
    return json_depth(value) > MAX_JSON_DEPTH


def suggested_key(found):
    """ "hunter2005" from the first author and the year; "hunter2005b" if that is taken."""
    first = (found.get("authors") or [{}])[0]
    name = first.get("family") or first.get("literal") or found.get("title") or "source"
    base = slugify(unidecode_ascii(name)).replace("-", "")[:40] or "source"
    base += str(found.get("year") or "")
    taken = set(Citation.objects.filter(key__startswith=base).values_list("key", flat=True))
    for suffix in ["", *"bcdefghijklmnopqrstuvwxyz"]:
        if base + suffix not in taken:
            return base + suffix
    return base


def unidecode_ascii(text):
    """ "Müller" → "Muller": a key is typed by editors on any keyboard."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class AuthorsField(forms.Field):
    """Authors as people type them, stored as CSL names (see citations/names.py)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        if too_deep(value):
            raise forms.ValidationError(AUTHORS_JSON, code="invalid")
        text = str(value)
        as_json = text.lstrip().startswith(("[", "{"))
        if not as_json:
            # As for every other text field: invisible controls pasted with a name go.
            text = without_invalid_characters(text)
        try:
            return parse_authors(text)
        except AuthorsError as error:
            message = AUTHORS_MESSAGES[str(error)]
            if as_json and str(error) == "format":
                message = AUTHORS_JSON
            raise forms.ValidationError(message, code="invalid") from None
        except (ValueError, RecursionError):  # JSON that does not parse
            raise forms.ValidationError(AUTHORS_JSON, code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, str):
            return value  # shown again as typed
        text = format_authors(value or [])
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate cannot go back to the browser as UTF-8.
            return json.dumps(value, ensure_ascii=True)
        return text

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True


class CitationForm(RevisionForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")
    authors = AuthorsField(
        required=False,
        help_text="As in the paper or on PubMed: “Hunter ECM, Sierra M, David AS”, or one "
        "per line (“Ellen C. M. Hunter” or “Hunter, Ellen”). Organisations by name.",
    )
    fill_requested = False

    class Meta:
        model = Citation
        fields = [
            "key", "csl_type", "title", "authors", "container_title", "year", "volume",
            "issue", "pages", "doi", "pmid", "pmcid", "url", "study_design", "sample_size",
            "finding", "verification", "verification_note", "described_as",
        ]  # fmt: skip
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "finding": forms.Textarea(attrs={"rows": 3}),
            "verification_note": forms.Textarea(attrs={"rows": 2}),
            "described_as": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in NORMALISERS:
            # A link is longer than the identifier it becomes: the model's limit applies
            # to the identifier once it is read.
            identifier = self.fields[name]
            identifier.max_length = 1000
            identifier.validators = [
                v for v in identifier.validators if not isinstance(v, MaxLengthValidator)
            ]
            identifier.widget.attrs["maxlength"] = "1000"

    def _clean_identifier(self, field):
        value = self.cleaned_data[field]
        try:
            return NORMALISERS[field](value)
        except IdentifierError as error:
            try:
                kind, _found = identify(value)
            except IdentifierError:
                raise forms.ValidationError(str(error)) from None
            raise forms.ValidationError(
                f"This is a {KIND_NAMES[kind]}: put it under {self.fields[kind].label}."
            ) from None

    def clean_doi(self):
        return self._clean_identifier("doi")

    def clean_pmid(self):
        return self._clean_identifier("pmid")

    def clean_pmcid(self):
        return self._clean_identifier("pmcid")

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url") or ""
        if url and not cleaned.get("doi") and "doi" in cleaned and is_doi_link(url):
            # A doi.org link pasted under URL is the DOI: stored as such, linked once.
            cleaned["doi"], cleaned["url"] = normalise_doi(url), ""
        for name in READABLE:
            value = cleaned.get(name)
            text = format_authors(value) if name == "authors" else str(value or "")
            found = amounts_in(text)
            if found:
                # A fetched title can carry one too: it would reach the source page and
                # every export (content/README.md: no drug amounts anywhere).
                self.add_error(
                    name,
                    f"No drug amounts in a source's record (“{found[0]}”): write the dose in "
                    "words, e.g. “a low dose”.",
                )
        if cleaned.get("verification") == Verification.NOT_LOCATED:
            if not cleaned.get("described_as"):
                self.add_error(
                    "described_as", "Say how the original text describes a study nobody found."
                )
            for field in ("authors", "container_title", "doi", "pmid", "pmcid"):
                if cleaned.get(field):
                    self.add_error(
                        field,
                        "A study we could not find has no authors, journal or identifiers: "
                        "never invent them.",
                    )
        return cleaned

    # "Fill from DOI/PubMed": the form is shown again with the fetched values, never
    # validated or saved (the editor checks them, writes a change note and saves).

    def full_clean(self):
        if not self.fill_requested:
            return super().full_clean()
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        if not hasattr(self, "fill_report"):
            self.fill_report = self.fill()

    def is_valid(self):
        return super().is_valid() and not self.fill_requested

    def typed(self, name):
        return str(self.data.get(self.add_prefix(name), "")).strip()

    def fill(self):
        """Fetch the record for the identifiers typed and put its values into the empty
        fields. Returns (level, message) pairs for the editor."""
        identifiers, report = {}, []
        for field in ("doi", "pmid", "pmcid"):
            try:
                identifiers[field] = NORMALISERS[field](self.typed(field))
            except IdentifierError as error:
                report.append(("error", f"{self.fields[field].label}: {error}"))
        if report:
            return report
        if not any(identifiers.values()):
            return [("error", "Type or paste a DOI, PubMed ID or PMC ID first.")]
        found, sources, problems = fetch(**identifiers)
        if not found:
            return [
                (
                    "error",
                    f"Nothing was filled in: {' '.join(problems)} Fill in the fields by hand "
                    "from the publication; what you typed is kept.",
                )
            ]
        data = self.data.copy()
        filled, kept = [], []
        for field in FILLABLE:
            value = found.get(field)
            if value in (None, "", []):
                continue
            text = format_authors(value) if field == "authors" else str(value)
            current = self.typed(field)
            unchanged = field == "authors" and current and self._same_authors(current, value)
            if field in identifiers and current:
                data[self.add_prefix(field)] = identifiers[field]  # the link as its identifier
            elif not current:
                data[self.add_prefix(field)] = text
                filled.append(str(self.fields[field].label))
            elif current != text and not unchanged:
                if field == "csl_type" and not self.instance.pk and current == "article-journal":
                    data[self.add_prefix(field)] = text  # the add form's default, not a choice
                    filled.append(str(self.fields[field].label))
                    continue
                kept.append(f"{self.fields[field].label} (the record says “{text}”)")
        if not self.instance.pk and not self.typed("key"):
            data[self.add_prefix("key")] = suggested_key(found)
        self.data = data
        report.append(
            (
                "success" if filled else "info",
                f"From {' and '.join(sources)}: "
                + (f"filled {', '.join(filled)}." if filled else "nothing new to fill in.")
                + " Check every field against the publication, then save: fetching does not "
                "verify a source.",
            )
        )
        if kept:
            report.append(("warning", "Kept what you typed in " + "; ".join(kept) + "."))
        report += [("warning", problem) for problem in problems]
        return report

    @staticmethod
    def _same_authors(text, authors):
        try:
            return parse_authors(text) == authors
        except (AuthorsError, ValueError, RecursionError):
            return False
