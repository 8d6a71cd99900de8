"""What kind of publication a source is, as a choice, with its CSL, RIS and BibTeX names.

The value is the CSL 1.0.2 type (what citations.json and the CSL-JSON export hold); the
RIS type (RIS specification, as Zotero and EndNote read it) and the BibTeX entry type
follow from it here and nowhere else.
"""

import re

from django.db import models


class SourceType(models.TextChoices):
    ARTICLE_JOURNAL = "article-journal", "Journal article"
    BOOK = "book", "Book"
    CHAPTER = "chapter", "Book chapter"
    REPORT = "report", "Report"
    WEBPAGE = "webpage", "Web page"
    THESIS = "thesis", "Thesis"
    DATASET = "dataset", "Dataset"
    PREPRINT = "article", "Preprint"
    PAPER_CONFERENCE = "paper-conference", "Conference paper"
    ARTICLE_NEWSPAPER = "article-newspaper", "Newspaper article"
    ARTICLE_MAGAZINE = "article-magazine", "Magazine article"
    LEGISLATION = "legislation", "Law or regulation"
    POST = "post", "Forum or social media post"
    POST_WEBLOG = "post-weblog", "Blog post"
    DOCUMENT = "document", "Other document"

    @property
    def ris(self):
        return RIS_TYPES[self]

    @property
    def bibtex(self):
        return BIBTEX_TYPES[self]

    @property
    def in_journal(self):
        """Its container is a periodical (BibTeX `journal`), not a book or a site."""
        return self in (self.ARTICLE_JOURNAL, self.ARTICLE_NEWSPAPER, self.ARTICLE_MAGAZINE)


RIS_TYPES = {
    SourceType.ARTICLE_JOURNAL: "JOUR",
    SourceType.BOOK: "BOOK",
    SourceType.CHAPTER: "CHAP",
    SourceType.REPORT: "RPRT",
    SourceType.WEBPAGE: "ELEC",
    SourceType.THESIS: "THES",
    SourceType.DATASET: "DATA",
    SourceType.PREPRINT: "UNPB",
    SourceType.PAPER_CONFERENCE: "CPAPER",
    SourceType.ARTICLE_NEWSPAPER: "NEWS",
    SourceType.ARTICLE_MAGAZINE: "MGZN",
    SourceType.LEGISLATION: "STAT",
    SourceType.POST: "BLOG",
    SourceType.POST_WEBLOG: "BLOG",
    SourceType.DOCUMENT: "GEN",
}
BIBTEX_TYPES = {
    SourceType.ARTICLE_JOURNAL: "article",
    SourceType.BOOK: "book",
    SourceType.CHAPTER: "incollection",
    SourceType.REPORT: "techreport",
    SourceType.WEBPAGE: "misc",
    SourceType.THESIS: "phdthesis",
    SourceType.DATASET: "misc",
    SourceType.PREPRINT: "unpublished",
    SourceType.PAPER_CONFERENCE: "inproceedings",
    SourceType.ARTICLE_NEWSPAPER: "article",
    SourceType.ARTICLE_MAGAZINE: "article",
    SourceType.LEGISLATION: "misc",
    SourceType.POST: "misc",
    SourceType.POST_WEBLOG: "misc",
    SourceType.DOCUMENT: "misc",
}

# What people (and Crossref's and PubMed's type lists) call each type.
SYNONYMS = {
    "journal article": SourceType.ARTICLE_JOURNAL,
    "journal-article": SourceType.ARTICLE_JOURNAL,
    "article journal": SourceType.ARTICLE_JOURNAL,
    "journal": SourceType.ARTICLE_JOURNAL,
    "paper": SourceType.ARTICLE_JOURNAL,
    "review": SourceType.ARTICLE_JOURNAL,
    "jour": SourceType.ARTICLE_JOURNAL,
    "monograph": SourceType.BOOK,
    "edited-book": SourceType.BOOK,
    "edited book": SourceType.BOOK,
    "book chapter": SourceType.CHAPTER,
    "book-chapter": SourceType.CHAPTER,
    "book-section": SourceType.CHAPTER,
    "book section": SourceType.CHAPTER,
    "guideline": SourceType.REPORT,
    "technical report": SourceType.REPORT,
    "web page": SourceType.WEBPAGE,
    "web-page": SourceType.WEBPAGE,
    "website": SourceType.WEBPAGE,
    "web site": SourceType.WEBPAGE,
    "web": SourceType.WEBPAGE,
    "dissertation": SourceType.THESIS,
    "posted-content": SourceType.PREPRINT,
    "preprint": SourceType.PREPRINT,
    "proceedings-article": SourceType.PAPER_CONFERENCE,
    "conference paper": SourceType.PAPER_CONFERENCE,
    "newspaper article": SourceType.ARTICLE_NEWSPAPER,
    "news": SourceType.ARTICLE_NEWSPAPER,
    "magazine article": SourceType.ARTICLE_MAGAZINE,
    "law": SourceType.LEGISLATION,
    "regulation": SourceType.LEGISLATION,
    "statute": SourceType.LEGISLATION,
    "bill": SourceType.LEGISLATION,
    "forum post": SourceType.POST,
    "blog post": SourceType.POST_WEBLOG,
    "blog": SourceType.POST_WEBLOG,
}


def source_type(text):
    """The SourceType a type written by hand (or by Crossref) means, or None."""
    text = re.sub(r"[\s_]+", " ", str(text or "")).strip().lower()
    if text in SourceType.values:
        return SourceType(text)
    for label_type in SourceType:
        if text == label_type.label.lower():
            return label_type
    return SYNONYMS.get(text) or SYNONYMS.get(text.replace("-", " "))
