"""An article's references as RIS, BibTeX and CSL-JSON."""

import re

from .csl import dumps, to_csl
from .source_types import SourceType


def source_type(citation):
    # A value the database's constraint would refuse is exported as a generic document.
    return SourceType(citation.csl_type) if citation.csl_type in SourceType.values else None


def evidence_note(citation):
    level = citation.level
    note = f"Evidence: {level.label}"
    if level.value.isdigit():
        note += f" (level {level.value})"
    if not citation.located:
        note += f". Not located; the original article describes it as: {citation.described_as}"
    return note


def ris_line(tag, value):
    value = " ".join(str(value).split())  # one line per field
    return f"{tag}  - {value}"


def to_ris(citations):
    lines = []
    for c in citations:
        kind = source_type(c)
        lines.append(ris_line("TY", kind.ris if kind else "GEN"))
        lines.append(ris_line("ID", c.key))
        for author in c.authors:
            name = author.get("literal") or f"{author.get('family', '')}, {author.get('given', '')}"
            lines.append(ris_line("AU", name.strip(", ")))
        lines.append(ris_line("TI", c.title or c.described_as or c.key))
        for tag, value in [
            ("T2", c.container_title),
            ("PY", c.year),
            ("VL", c.volume),
            ("IS", c.issue),
            ("SP", c.pages),
            ("DO", c.doi),
            ("UR", c.url),
            ("AN", f"PMID:{c.pmid}" if c.pmid else ""),
            ("C2", c.pmcid),
            ("N1", evidence_note(c)),
        ]:
            if value:
                lines.append(ris_line(tag, value))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
# BibTeX counts braces even after a backslash: a lone "}" written "\}" would still close
# the field, and what follows it would become fields of its own. Lone braces are written
# as commands that contain no unbalanced brace.
LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def unmatched_braces(value):
    """Positions of the braces in value that have no partner."""
    opened, lone = [], set()
    for position, char in enumerate(value):
        if char == "{":
            opened.append(position)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                lone.add(position)
    return lone | set(opened)


def bibtex_escape(value):
    value = " ".join(str(value).split())
    lone = unmatched_braces(value)

    def escape(match):
        char = match.group(1)
        if match.start() in lone:
            return LONE_BRACES[char]
        return BIBTEX_ESCAPES.get(char, "\\" + char)

    return BIBTEX_SPECIAL.sub(escape, value)


def container_field(kind):
    """The BibTeX field that names what the source appeared in."""
    if kind is not None and kind.in_journal:
        return "journal"
    return {
        SourceType.CHAPTER: "booktitle",
        SourceType.PAPER_CONFERENCE: "booktitle",
        SourceType.REPORT: "institution",
        SourceType.THESIS: "school",
        SourceType.BOOK: "publisher",
    }.get(kind, "howpublished")


def to_bibtex(citations):
    entries = []
    for c in citations:
        kind = source_type(c)
        fields = []
        names = [
            a.get("literal") or f"{a.get('family', '')}, {a.get('given', '')}".strip(", ")
            for a in c.authors
        ]
        for name, value in [
            ("author", " and ".join(names)),
            ("title", c.title or c.described_as),
            (container_field(kind), c.container_title),
            ("year", c.year),
            ("volume", c.volume),
            ("number", c.issue),
            ("pages", c.pages),
            ("doi", c.doi),
            ("url", c.url),
            ("pmid", c.pmid),
            ("pmcid", c.pmcid),
            ("note", evidence_note(c)),
        ]:
            if value:
                fields.append(f"  {name} = {{{bibtex_escape(value)}}}")
        key = re.sub(r"[^A-Za-z0-9_:-]", "", c.key)
        entries.append(
            f"@{kind.bibtex if kind else 'misc'}{{{key},\n" + ",\n".join(fields) + "\n}\n"
        )
    return "\n".join(entries)


def to_csl_json(citations):
    return dumps([to_csl(c) for c in citations])


FORMATS = {
    "ris": (to_ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": (to_bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "json": (to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}
