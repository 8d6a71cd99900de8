"""The article file format of content/articles/*.md (content/README.md describes it).

parse() and serialize() are exact inverses on files in canonical form, which is what
export_content writes: import then export gives back the same bytes.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from .models import section_key_problem

# No reviewer and no review dates, ever: only a review signed in the admin sets them.
# `crisis` is the key of the section that shows the crisis lines, or empty for none.
FRONT_MATTER_KEYS = ["title", "slug", "summary", "authors", "published", "updated", "crisis"]
REQUIRED_KEYS = {"title", "slug", "summary", "authors", "updated"}
DATE_KEYS = {"published", "updated"}
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
NOT_IN_FILES = "is never written in a file: only a review signed in the admin sets it."
RETIRED_KEYS = {
    "author": "“author” is now “authors”: staff usernames, comma-separated.",
    "reviewer": f"the reviewer {NOT_IN_FILES}",
    "reviewed": f"the review date {NOT_IN_FILES}",
    "next_review": f"the next review date {NOT_IN_FILES}",
}
HEADING = re.compile(r"^## (?P<title>.+?) \{#(?P<key>[^}]*)\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}, line {line}: {reason}")


@dataclass
class SectionText:
    key: str
    title: str
    body: str
    line: int = 0  # of the heading
    body_line: int = 0  # of the body's first line

    def file_line(self, body_line_number):
        """Line in the file of the body's line N (1-based)."""
        return self.body_line + body_line_number - 1

    @property
    def hash(self):
        return text_hash(self.title, self.body)

    @property
    def body_markdown(self):  # the name Section uses, so both render the same way
        return self.body


@dataclass
class ArticleText:
    front: dict
    sections: list = field(default_factory=list)

    @property
    def hash(self):
        parts = [str(self.front.get(k) or "") for k in FRONT_MATTER_KEYS]
        # Before the choice existed every article showed the box in "risks": that value
        # leaves the hash as it was, so sites imported then do not see an admin edit.
        if parts[-1] == "risks":
            parts.pop()
        return text_hash(*parts)


def text_hash(*parts):
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def parse(text, path="<text>"):
    lines = text.split("\n")
    if not lines or lines[0] != "---":
        raise ContentError(path, 1, "the file must start with a front matter line “---”.")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ContentError(path, 1, "the front matter is not closed with a “---” line.") from None
    front = {}
    for number, line in enumerate(lines[1:end], start=2):
        key, sep, value = line.partition(":")
        key = key.strip()
        if sep and key in RETIRED_KEYS:
            raise ContentError(path, number, RETIRED_KEYS[key])
        if not sep or key not in FRONT_MATTER_KEYS:
            raise ContentError(
                path,
                number,
                f"“{line[:40]}” is not a front matter field; expected one of "
                f"{', '.join(FRONT_MATTER_KEYS)}.",
            )
        if key in front:
            raise ContentError(path, number, f"“{key}” is given twice.")
        value = value.strip()
        if key in DATE_KEYS and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                raise ContentError(
                    path, number, f"“{key}” must be a date written YYYY-MM-DD, not “{value}”."
                ) from None
        if key == "slug" and not SLUG.match(value):
            raise ContentError(path, number, f"the slug “{value}” may hold only a-z, 0-9 and -.")
        if key == "authors" and value:
            names = [name.strip() for name in value.split(",")]
            odd = next((name for name in names if not USERNAME.match(name)), None)
            if odd is not None:
                raise ContentError(
                    path, number, f"“{odd}” is not a staff username (authors: a, b)."
                )
            if len(set(names)) != len(names):
                raise ContentError(path, number, "an author is named twice.")
            # One canonical order, so import then export gives back the same bytes.
            value = ", ".join(sorted(names))
        front[key] = value or None
    missing = [k for k in FRONT_MATTER_KEYS if k in REQUIRED_KEYS and not front.get(k)]
    if missing:
        raise ContentError(path, end + 1, f"the front matter lacks {', '.join(missing)}.")

    article = ArticleText(front=front)
    current, body, in_fence = None, [], False
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match is None and not in_fence and line.startswith("## "):
            raise ContentError(
                path, number, "a section heading must end with its key, e.g. “## Title {#key}”."
            )
        if match:
            if current:
                finish(current, body)
            key = match["key"]
            problem = section_key_problem(key)
            if problem:
                raise ContentError(path, number, problem)
            if any(s.key == key for s in article.sections):
                raise ContentError(path, number, f"the section key “{key}” is used twice.")
            current, body = SectionText(key=key, title=match["title"], body="", line=number), []
            current.body_line = number + 1
            article.sections.append(current)
        elif current is None:
            if line.strip():
                raise ContentError(path, number, "text before the first “## Title {#key}” heading.")
        else:
            body.append(line)
    if current:
        finish(current, body)
    if not article.sections:
        raise ContentError(path, end + 1, "the article has no sections.")
    crisis = front.get("crisis")
    if crisis and not any(s.key == crisis for s in article.sections):
        raise ContentError(
            path,
            2 + [line.partition(":")[0].strip() for line in lines[1:end]].index("crisis"),
            f"“crisis: {crisis[:40]}” names no section of this article: give the key of the "
            "section that shows the crisis lines, or leave it empty for none.",
        )
    return article


def finish(section, lines):
    leading = len(lines) - len("\n".join(lines).lstrip("\n").split("\n")) if lines else 0
    section.body_line += leading
    section.body = "\n".join(lines).strip("\n")


def serialize(article):
    out = ["---"]
    for key in FRONT_MATTER_KEYS:
        value = article.front.get(key)
        value = value.isoformat() if isinstance(value, datetime.date) else (value or "")
        out.append(f"{key}: {value}".rstrip())
    out.append("---")
    text = "\n".join(out) + "\n"
    for section in article.sections:
        text += f"\n## {section.title} {{#{section.key}}}\n"
        if section.body:
            text += f"\n{section.body}\n"
    return text


def author_usernames(front):
    return [name.strip() for name in (front.get("authors") or "").split(",") if name.strip()]


def from_models(article, sections):
    front = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "authors": ", ".join(
            sorted(p.user.username for p in article.authors.select_related("user"))
        ),
        # Only a published article has a publication date in its file (see import).
        "published": article.published if article.is_public else None,
        "updated": article.updated,
        "crisis": article.crisis_section or None,
    }
    return ArticleText(
        front=front,
        sections=[SectionText(key=s.key, title=s.title, body=s.body_markdown) for s in sections],
    )


def model_fields(front):
    """Front matter values as Article field values."""
    return {
        "title": front["title"],
        "slug": front["slug"],
        "summary": front["summary"],
        "published": front.get("published"),
        "updated": front["updated"],
        "crisis_section": front.get("crisis") or "",
    }
