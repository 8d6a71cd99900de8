"""Authors typed as people write them, stored as CSL names, and written back the same way.

Accepted (one author per line, or several on one line):

- PubMed/Vancouver: `Hunter ECM, Sierra M, David AS` (the initials become "E. C. M.");
- inverted: `Hunter, Ellen C. M.` (one per line), or `Hunter, E. C. M., Sierra, M.`;
- natural order: `Ellen C. M. Hunter`, or `Ellen Hunter, Mauricio Sierra and Anthony David`;
- organisations: `World Health Organization` (recognised by words such as Organization,
  Society, Institute), or any name in braces: `{Cochrane}`;
- semicolons separate authors too; CSL-JSON (`[{"family": …}]`) is still accepted.

format_authors() writes a list back in one of these forms, and parse_authors() of that
text gives back the same list: what an editor saved is what they see.
"""

import json
import re

from core.text import INVALID_WITH_NUL


class AuthorsError(ValueError):
    pass


MAX_AUTHORS = 1000
ORGANISATION_WORDS = {
    "administration", "agency", "alliance", "association", "authority", "board", "bureau",
    "centre", "center", "college", "collaboration", "commission", "committee", "consortium",
    "council", "department", "foundation", "government", "group", "inc", "inc.", "institute",
    "institution", "league", "ltd", "ministry", "network", "nhs", "office", "organisation",
    "organization", "party", "programme", "program", "service", "services", "society",
    "team", "trust", "union", "university", "working",
}  # fmt: skip
# Lower-case words that belong to an organisation's name, never to a person's.
ORGANISATION_JOINERS = {"of", "for", "and", "the", "on", "&"}
PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le",
             "ten", "ter", "bin", "ibn", "al", "el", "dos", "das", "y"}  # fmt: skip
# One to four capital letters, maybe with dots or a hyphen: "ECM", "E.C.M.", "J-P".
INITIALS = re.compile(r"(?:[^\W\d_]\.?-?){1,4}")
DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.\s*-?\s*)+|[^\W\d_]")
ET_AL = re.compile(r"(?:,\s*|\s+)et\.?\s+al\.?$", re.IGNORECASE)
LIST_AND = re.compile(r"\s*(?:,\s*(?:and|&)\s+|\s+(?:and|&)\s+)", re.IGNORECASE)


def _words(text):
    return " ".join(text.split())


def is_initials(token):
    """ "ECM", "E.C.M.", "J-P": capitals only, at most four letters."""
    letters = token.replace(".", "").replace("-", "")
    return bool(INITIALS.fullmatch(token)) and letters.isupper() and 0 < len(letters) <= 4


def spaced_initials(token):
    """ "ECM" → "E. C. M."; "J-P" → "J.-P." (how CSL writes given names known by initials)."""
    out = []
    for part in token.replace(".", "").split("-"):
        out.append(" ".join(f"{letter}." for letter in part))
    return "-".join(out)


def initials_only(given):
    """ "E. C. M." → "ECM", or None if the given name is more than initials."""
    compact = given.replace(" ", "")
    if not compact or not re.fullmatch(r"(?:[^\W\d_]\.-?)+", compact):
        return None
    letters = compact.replace(".", "")
    return letters if letters.replace("-", "").isupper() else None


def is_organisation(name):
    words = name.lower().split()
    return len(words) > 1 and (
        any(w.strip(",.") in ORGANISATION_WORDS for w in words)
        or any(w in ORGANISATION_JOINERS for w in words[1:-1])
    )


def vancouver(part):
    """{"family", "given"} for "Hunter ECM", or None."""
    tokens = part.split()
    if len(tokens) < 2 or not is_initials(tokens[-1]) or is_initials(tokens[-2]):
        return None
    return {"family": " ".join(tokens[:-1]), "given": spaced_initials(tokens[-1])}


def natural(part):
    """A name in natural order: "Ellen C. M. Hunter", "Michiel van Elk", "{Cochrane}"."""
    if part.startswith("{") and part.endswith("}") and len(part) > 2:
        return {"literal": _words(part[1:-1])}
    if is_organisation(part):
        return {"literal": part}
    tokens = part.split()
    if len(tokens) == 1:
        return {"family": tokens[0]}
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in PARTICLES:
        start -= 1
    return {"family": " ".join(tokens[start:]), "given": " ".join(tokens[:start])}


def inverted(family, given):
    """ "Hunter, ECM" → given "E. C. M."; any other given name ("A", "Ellen C.") as typed."""
    name = {"family": family}
    if given:
        compact = given.isalpha() and given.isupper() and 2 <= len(given) <= 4
        name["given"] = spaced_initials(given) if compact else given
    return name


def parse_line(line, listed=False):
    """The authors on one line (or between semicolons). In a list of several lines,
    a line with one comma is always "Family, Given"."""
    if ET_AL.search(line):
        raise AuthorsError("et al")
    if line.startswith("{") and line.endswith("}"):
        return [natural(line)]
    if "," not in line and not LIST_AND.search(line):
        return [vancouver(line) or natural(line)]
    if is_organisation(line) and "," not in line:
        return [{"literal": line}]
    parts = [_words(p) for p in LIST_AND.sub(", ", line).split(",")]
    parts = [p.rstrip(".") if vancouver(p.rstrip(".")) else p for p in parts if p]
    if all(vancouver(p) for p in parts):
        return [vancouver(p) for p in parts]
    if len(parts) == 2 and (
        listed
        and line.count(",") == 1
        or len(parts[0].split()) == 1
        or parts[0].split()[0] in PARTICLES
    ):
        return [inverted(parts[0], parts[1])]
    pairs = len(parts) % 2 == 0 and all(
        DOTTED_INITIALS.fullmatch(parts[i]) for i in range(1, len(parts), 2)
    )
    if pairs:
        return [inverted(parts[i], parts[i + 1].strip()) for i in range(0, len(parts), 2)]
    return [vancouver(p) or natural(p) for p in parts]


def check_names(authors):
    if not isinstance(authors, list) or not all(
        isinstance(a, dict) and a and set(a) <= {"family", "given", "literal"} for a in authors
    ):
        raise AuthorsError("format")
    for author in authors:
        for value in author.values():
            # JSON can spell a NUL or a control character as \u0000: PostgreSQL refuses
            # to store the first, and pages cannot show either.
            if not isinstance(value, str) or INVALID_WITH_NUL.search(value):
                raise AuthorsError("control")
    if len(authors) > MAX_AUTHORS:
        raise AuthorsError("too many")
    return authors


def parse_authors(text):
    """CSL names from authors as typed. JSON text is read as CSL-JSON (raises ValueError
    or RecursionError as json.loads does); AuthorsError for anything else refused."""
    text = (text or "").strip()
    if text.startswith("[") or re.match(r'\{\s*"', text):
        return check_names(json.loads(text))
    if INVALID_WITH_NUL.search(text.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
        raise AuthorsError("control")
    authors = []
    chunks = re.split(r"[\n;]", text)
    for chunk in chunks:
        chunk = _words(chunk)
        if chunk.lower().strip(".") in ("et al", "et. al"):
            raise AuthorsError("et al")
        if chunk:
            authors += parse_line(chunk, listed=len(chunks) > 1)
    if text and not authors:
        raise AuthorsError("format")
    return check_names([{k: v for k, v in a.items() if v} for a in authors])


def _line(author):
    if "literal" in author:
        name = author["literal"]
        return name if natural(name) == {"literal": name} else "{" + name + "}"
    if "given" not in author:
        return f"{author['family']},"
    return f"{author['family']}, {author['given']}"


def format_authors(authors):
    """The text an editor sees for a list of CSL names: one line in Vancouver style when
    every author is known by initials, else one author per line; JSON when no text form
    would give back the same list."""
    if not authors:
        return ""
    short = [
        f"{a['family']} {initials_only(a['given'])}"
        if set(a) == {"family", "given"} and initials_only(a["given"])
        else None
        for a in authors
    ]
    lines = "\n".join(_line(a) for a in authors)
    # ";" after a lone author makes "Soltanzadeh Zarandi, Sina" one name, not two.
    candidates = [", ".join(short)] if all(short) else []
    candidates += [lines, lines + ";"]
    for text in candidates:
        try:
            if parse_authors(text) == authors:
                return text
        except (AuthorsError, ValueError, KeyError):
            continue
    return json.dumps(authors, ensure_ascii=False)
