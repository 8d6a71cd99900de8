"""Characters that HTML and XML do not allow in text.

C0 controls other than tab, line feed and carriage return, DEL, the C1 controls, lone
surrogates and the Unicode noncharacters are parse errors in HTML or forbidden in XML 1.0
(Django refuses to build a feed with one: the feed would answer 500). They are invisible,
so they only ever arrive by accident (a vertical tab pasted from a word processor) or on
purpose.
"""

import re

# U+FFFE and U+FFFF of every plane.
_NONCHARACTERS = "".join(
    chr(plane << 16 | last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
)
INVALID_CHARACTERS = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
INVALID_WITH_NUL = re.compile("\x00|" + INVALID_CHARACTERS.pattern)


def without_invalid_characters(text, keep_nul=False):
    """The text without the characters above (and without NUL unless keep_nul: a form
    refuses NUL with a message instead, see comments.forms)."""
    if not isinstance(text, str):
        return text
    return (INVALID_CHARACTERS if keep_nul else INVALID_WITH_NUL).sub("", text)
