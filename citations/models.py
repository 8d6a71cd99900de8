import re

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.revision_fields import RevisionFields

from .identifiers import doi_url, pmc_url, pubmed_url
from .source_types import SourceType
from .support import Support, sentence_key

# A sample size that is only a number, perhaps "about" one, before any parenthesis.
_BARE_COUNT = re.compile(r"(?:about |around |approximately |~)?(?P<number>\d[\d,]*)(?=$| \()")


class StudyDesign(models.TextChoices):
    """A study's design, from which its evidence level follows (adapted from the Oxford
    CEBM 2011 levels).

    The mapping from design to level lives here and nowhere else.
    """

    SYSTEMATIC_REVIEW = "systematic-review", "Systematic review or meta-analysis"
    RCT = "rct", "Randomised controlled trial"
    COHORT = "cohort", "Cohort or case-control study"
    SURVEY = "survey", "Survey or self-report"
    CASE_SERIES = "case-series", "Case series or case report"
    MECHANISTIC = "mechanistic", "Mechanism study"
    PRECLINICAL = "preclinical", "Preclinical (cell or animal) study"
    EXPERT_OPINION = "expert-opinion", "Expert opinion or narrative review"
    ANECDOTE = "anecdote", "A person's account"
    REGULATION = "regulation", "Guideline, law or regulation"
    UNKNOWN = "unknown", "Unknown (source not located)"

    @property
    def level(self):
        return DESIGN_LEVELS[self]


class EvidenceLevel(models.TextChoices):
    """What readers see. The value is the short label; the label is the plain wording."""

    L1 = "1", "Review of several studies"
    L2 = "2", "Randomised trial"
    L3 = "3", "Comparison study (not randomised)"
    L4 = "4", "Study without a comparison group"
    L5 = "5", "Lab or animal study, or expert opinion"
    ANECDOTE = "anecdote", "One person's experience"
    REGULATION = "regulation", "Guideline, law or regulation"
    NOT_LOCATED = "not-located", "Source not located"

    @property
    def badge(self):
        """ "Level 2 · Randomised trial", or the plain wording for ungraded sources."""
        return f"Level {self.value} · {self.label}" if self.value.isdigit() else self.label

    @property
    def marker(self):
        """The short label shown next to each citation number: "trial"."""
        return MARKER_LABELS[self]

    @property
    def explanation(self):
        return LEVEL_EXPLANATIONS[self]

    @property
    def rank(self):
        """Strongest first: a claim is counted under the strongest source it rests on."""
        return list(EvidenceLevel).index(self)

    def count_phrase(self, count):
        singular, plural = LEVEL_NOUNS[self]
        return f"{count} {singular if count == 1 else plural}"


DESIGN_LEVELS = {
    StudyDesign.SYSTEMATIC_REVIEW: EvidenceLevel.L1,
    StudyDesign.RCT: EvidenceLevel.L2,
    StudyDesign.COHORT: EvidenceLevel.L3,
    StudyDesign.SURVEY: EvidenceLevel.L4,
    StudyDesign.CASE_SERIES: EvidenceLevel.L4,
    StudyDesign.MECHANISTIC: EvidenceLevel.L5,
    StudyDesign.PRECLINICAL: EvidenceLevel.L5,
    StudyDesign.EXPERT_OPINION: EvidenceLevel.L5,
    StudyDesign.ANECDOTE: EvidenceLevel.ANECDOTE,
    StudyDesign.REGULATION: EvidenceLevel.REGULATION,
    StudyDesign.UNKNOWN: EvidenceLevel.NOT_LOCATED,
}

MARKER_LABELS = {
    EvidenceLevel.L1: "review",
    EvidenceLevel.L2: "trial",
    EvidenceLevel.L3: "comparison",
    EvidenceLevel.L4: "no comparison",
    EvidenceLevel.L5: "lab/opinion",
    EvidenceLevel.ANECDOTE: "anecdote",
    EvidenceLevel.REGULATION: "law",
    EvidenceLevel.NOT_LOCATED: "not found",
}

LEVEL_NOUNS = {
    EvidenceLevel.L1: ("review of studies", "reviews of studies"),
    EvidenceLevel.L2: ("trial", "trials"),
    EvidenceLevel.L3: ("comparison study", "comparison studies"),
    EvidenceLevel.L4: ("survey or case report", "surveys or case reports"),
    EvidenceLevel.L5: ("lab study or expert opinion", "lab studies or expert opinions"),
    EvidenceLevel.ANECDOTE: ("personal account", "personal accounts"),
    EvidenceLevel.REGULATION: ("law or guideline", "laws or guidelines"),
    EvidenceLevel.NOT_LOCATED: ("source not located", "sources not located"),
}

LEVEL_EXPLANATIONS = {
    EvidenceLevel.L1: (
        "Researchers gathered and weighed the results of several studies on the question. "
        "Only as good as the studies it combines."
    ),
    EvidenceLevel.L2: (
        "People were assigned at random to the treatment or to a comparison such as a "
        "placebo, the fairest test of whether a treatment works. One trial is one trial: "
        "small trials can mislead."
    ),
    EvidenceLevel.L3: (
        "Groups of people were compared, but they chose (or happened into) their group, so "
        "other differences between them may explain the result."
    ),
    EvidenceLevel.L4: (
        "People reported their own experiences, or doctors described a few patients. There "
        "was no comparison group, so we cannot tell what would have happened anyway."
    ),
    EvidenceLevel.L5: (
        "Laboratory, brain-imaging or animal work, or the view of experts. It can explain how "
        "something might work, not whether it helps people."
    ),
    EvidenceLevel.ANECDOTE: (
        "What one person said happened to them. It may be true for them; it says little "
        "about anyone else."
    ),
    EvidenceLevel.REGULATION: (
        "A law, regulation or official guideline. It tells you the rules on its date, not "
        "whether something works."
    ),
    EvidenceLevel.NOT_LOCATED: (
        "The original article cites a study we could not find in any journal or database. "
        "Treat what rests on it as unconfirmed."
    ),
}


class Verification(models.TextChoices):
    VERIFIED = "verified", "Verified"
    PARTIAL = "partial", "Partly verified"
    NOT_LOCATED = "not-located", "Not located"

    @property
    def reader_label(self):
        # Partial records are real publications: readers see them as verified; editors
        # see the flag in the admin.
        return "not located" if self == Verification.NOT_LOCATED else "verified"


class Citation(models.Model):
    key = models.SlugField(max_length=100, unique=True)
    csl_type = models.CharField(
        "type", max_length=40, choices=SourceType.choices, default=SourceType.ARTICLE_JOURNAL
    )
    title = models.TextField(blank=True)
    authors = models.JSONField(
        default=list, blank=True, help_text='CSL names: [{"family": "…", "given": "…"}, …]'
    )
    container_title = models.CharField("journal or publisher", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField(
        "DOI", max_length=200, blank=True, help_text="The DOI or its https://doi.org/ link."
    )
    pmid = models.CharField(
        "PMID", max_length=20, blank=True, help_text="The PubMed ID or its PubMed link."
    )
    pmcid = models.CharField(
        "PMCID", max_length=20, blank=True, help_text="PubMed Central: PMC1234567 or its link."
    )
    url = models.URLField("URL", max_length=500, blank=True)
    study_design = models.CharField(max_length=20, choices=StudyDesign.choices)
    sample_size = models.CharField(max_length=200, blank=True)
    finding = models.TextField("key finding", blank=True)
    verification = models.CharField(max_length=20, choices=Verification.choices)
    verification_note = models.TextField(blank=True)
    described_as = models.TextField(
        blank=True, help_text="Not-located records: how the original text describes the study."
    )
    # Other CSL fields kept as imported (issued date parts, publisher, accessed, …).
    csl_extra = models.JSONField(default=dict, blank=True, editable=False)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(bases=[RevisionFields], excluded_fields=["imported_hash"])

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(study_design__in=StudyDesign.values),
                name="citation_design_known",
            ),
            models.CheckConstraint(
                condition=models.Q(verification__in=Verification.values),
                name="citation_verification_known",
            ),
            models.CheckConstraint(
                condition=models.Q(csl_type__in=SourceType.values), name="citation_type_known"
            ),
        ]

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return reverse("articles:source", args=[self.key])

    # Links are built from the stored identifiers here and only here.
    @property
    def doi_url(self):
        return doi_url(self.doi)

    @property
    def pubmed_url(self):
        return pubmed_url(self.pmid)

    @property
    def pmc_url(self):
        return pmc_url(self.pmcid)

    @property
    def level(self):
        return StudyDesign(self.study_design).level

    @property
    def located(self):
        return self.verification != Verification.NOT_LOCATED

    @property
    def sample_size_text(self):
        """The sample size as a reader reads it: a bare count gets its noun ("1,102" →
        "1,102 participants"); a size that already says what it counts is kept."""
        match = _BARE_COUNT.match(self.sample_size)
        if not match:
            return self.sample_size
        number = match.group("number")
        noun = "participant" if number == "1" else "participants"
        return f"{match.group(0)} {noun}{self.sample_size[match.end() :]}"

    @property
    def not_found_text(self):
        """What readers are told about a source nobody could find."""
        if self.study_design == StudyDesign.ANECDOTE:
            return "We could not find this post; the original article quotes it as:"
        return "We could not find this study; the original article cites it as:"

    @property
    def accessible_description(self):
        """How a marker reads aloud: "randomised trial (level 2), verified"."""
        level = self.level
        if level == EvidenceLevel.NOT_LOCATED:
            return "source not located"
        design = level.label.lower()
        if level.value.isdigit():
            design = f"{design} (level {level.value})"
        return f"{design}, {Verification(self.verification).reader_label}"


class ClaimCitation(models.Model):
    """One place a claim cites a source. Rebuilt each time its article's sections render."""

    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="claims")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="claims")
    sentence = models.TextField()
    position = models.PositiveIntegerField(help_text="Order of the marker within its section.")
    number = models.PositiveIntegerField(help_text="The reference's number in the article.")
    anchor = models.CharField(max_length=60, help_text="Element id of the marker on the page.")
    outcome_key = models.CharField(
        max_length=40, blank=True, help_text="The outcome the claim speaks to (“#key”)."
    )

    class Meta:
        ordering = ["section__order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position", "citation"], name="unique_claim_marker"
            )
        ]

    def __str__(self):
        return f"{self.citation.key} in {self.section.key} #{self.position}"


class ClaimSupport(models.Model):
    """Does this source say what this claim says? Checked by an editor, with a pinpoint."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="claim_supports"
    )
    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="supports")
    sentence = models.TextField(help_text="The claim exactly as the page shows it.")
    sentence_hash = models.CharField(max_length=64, editable=False)
    support = models.CharField(max_length=20, choices=Support.choices, default=Support.UNCHECKED)
    pinpoint = models.CharField(
        max_length=300,
        blank=True,
        help_text="A short quote, or the page, table or figure that says it.",
    )
    checked_by = models.CharField(max_length=150, blank=True, help_text="Username.")
    checked_on = models.DateField(null=True, blank=True)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["imported_hash"])

    class Meta:
        ordering = ["article", "citation", "pk"]
        verbose_name = "claim support"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "citation", "sentence_hash"], name="one_support_per_claim"
            ),
            models.CheckConstraint(
                condition=models.Q(support__in=Support.values), name="support_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(support__in=[Support.SUPPORTS, Support.PARTLY], pinpoint=""),
                name="support_has_pinpoint",
            ),
        ]

    def __str__(self):
        return f"{self.citation.key}: {self.get_support_display().lower()}"

    def save(self, *args, **kwargs):
        self.sentence = " ".join(self.sentence.split())
        self.sentence_hash = sentence_key(self.sentence)
        super().save(*args, **kwargs)

    @property
    def support_choice(self):
        return Support(self.support)
