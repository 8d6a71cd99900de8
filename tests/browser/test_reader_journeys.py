"""A reader's journeys through the real article in Chromium: on a 375 px phone and a
1280 px desktop, with the keyboard only, and with JavaScript turned off.

Each journey fails on any console error, CSP violation or uncaught exception, and on
any cookie: reading and writing on this site sets none.
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Status

from .a11y import (
    ARTICLE_URL,
    ARTIFACTS,
    DESKTOP,
    PHONE,
    load_reader_site,
    watch_console,
    write_report,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT_NOTICE = "your comment will appear once a moderator has approved it"
FEEDBACK_NOTICE = "Thank you for telling us"


@pytest.fixture
def reader_site(settings, imported):
    return load_reader_site(settings, imported)


def first_marker(page):
    """The first citation marker of the overview, its reference and its own anchor."""
    marker = page.locator("#overview a.cite-link").first
    return marker, marker.get_attribute("href"), marker.get_attribute("id")


def toc_link(page, name):
    return page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name=name, exact=True
    )


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the viewport"


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_reader_journey(browser, live_server, reader_site, device):
    """TOC, a marker to its reference and back, the FAQ, the evidence legend, feedback
    and a comment, on a phone and on a desktop; screenshots saved under artifacts/."""
    context = browser.new_context(**(PHONE if device == "phone" else DESKTOP))
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = watch_console(page)
    try:
        response = page.goto(live_server.url + ARTICLE_URL)
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text(reader_site.title)
        # With JavaScript the share box offers copying the link and printing.
        expect(page.get_by_role("button", name="Copy link")).to_be_visible()
        expect(page.get_by_role("button", name="Print this page")).to_be_visible()
        assert_no_sideways_scroll(page)
        width = PHONE["viewport"]["width"] if device == "phone" else DESKTOP["viewport"]["width"]
        page.screenshot(
            path=str(ARTIFACTS / f"reader-article-{width}.png"), full_page=True, timeout=60_000
        )

        # Table of contents: each entry leads to its section.
        toc_link(page, "Key facts").click()
        expect(page).to_have_url(re.compile(r"#key-facts$"))
        expect(page.locator("#key-facts-title")).to_be_in_viewport()

        # A citation marker: named with its level, leads to its reference, and back.
        marker, ref_href, marker_id = first_marker(page)
        # Named first with what it shows ("1 review"), then with the level in words.
        expect(marker).to_have_accessible_name(
            re.compile(r"^1 [a-z/ ]+, reference: .+ \(level \d\), ")
        )
        marker.click()
        expect(page).to_have_url(re.compile(f"{ref_href}$"))
        reference = page.locator(ref_href)
        expect(reference).to_be_in_viewport()
        expect(reference.locator(".level-badge")).to_be_visible()
        reference.get_by_text(re.compile(r"^Cited in \d+ places$")).click()  # back-links
        reference.locator(f'a[href="#{marker_id}"]').click()
        expect(page).to_have_url(re.compile(f"#{marker_id}$"))
        expect(page.locator(f"#{marker_id}")).to_be_in_viewport()

        # The FAQ: its questions are headings under "Frequently asked questions".
        toc_link(page, "Frequently asked questions").click()
        expect(page.locator("#faq-title")).to_be_in_viewport()
        questions = page.locator("#faq h3")
        assert questions.count() >= 3
        expect(questions.first).to_have_text(re.compile(r"\?$"))

        # The evidence legend, from a section's evidence line.
        page.locator("#mechanism .evidence-line").get_by_role("link", name="Evidence").click()
        expect(page).to_have_url(re.compile(r"#evidence-levels$"))
        legend = page.locator("#evidence-levels")
        expect(
            legend.get_by_role("heading", name="How strong is the evidence?")
        ).to_be_in_viewport()
        expect(legend.locator("dl.levels dt")).to_have_count(8)
        expect(legend).to_contain_text("Randomised trial")

        # Feedback.
        feedback = page.locator("#feedback")
        feedback.get_by_role("radio", name="Yes").check()
        feedback.get_by_label("What could be better?").fill("Clear, thank you.")
        feedback.get_by_role("button", name="Send", exact=True).click()
        expect(page).to_have_url(re.compile(r"\?feedback=thanks#feedback$"))
        expect(feedback.get_by_role("status")).to_contain_text(FEEDBACK_NOTICE)
        assert reader_site.feedback.get().helpful is True

        # A comment.
        body = f"Posted from the {device}.\n\nSecond paragraph."
        page.get_by_label("Name").fill("Robin")
        page.get_by_label("Comment", exact=True).fill(body)
        page.get_by_role("button", name="Send for moderation").click()
        expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
        expect(page.locator("#comment-form").get_by_role("status")).to_contain_text(COMMENT_NOTICE)
        comment = Comment.objects.get(name="Robin")
        assert comment.status == Status.PENDING and comment.body == body
        assert_no_sideways_scroll(page)

        assert context.cookies() == []
        assert problems == []
    finally:
        context.close()


FOCUS_RECORDER = """() => {
  const focusable = 'a[href], button, input:not([type=hidden]), textarea, select, summary, '
    + '[tabindex]';
  window.__order = new Map([...document.querySelectorAll('*')].map((el, i) => [el, i]));
  window.__stops = [];
  const describe = (el) => {
    if (el.id) return '#' + el.id;
    const href = el.getAttribute('href');
    return el.tagName.toLowerCase() + (href ? '[href="' + href + '"]' : '')
      + ':' + (el.textContent || el.value || '').trim().slice(0, 30);
  };
  window.__describe = describe;
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    const style = getComputedStyle(el);
    window.__stops.push({
      what: describe(el),
      order: window.__order.get(el),
      radio: el.type === 'radio' ? el.name : null,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      focusVisible: el.matches(':focus-visible'),
    });
  });
  // Every element a keyboard user should be able to reach: focusable, shown, not inert.
  window.__reachable = () => [...document.querySelectorAll(focusable)]
    .filter((el) => el.tabIndex >= 0 && !el.disabled
      && el.checkVisibility({visibilityProperty: true})
      && !el.closest('[aria-hidden=true], [inert]'))
    .map((el) => ({
      what: describe(el), order: window.__order.get(el),
      radio: el.type === 'radio' ? el.name : null,
    }));
}"""


def active(page):
    return page.evaluate("() => window.__describe(document.activeElement)")


def tab_until(page, predicate, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"no element matching {predicate} within {limit} Tab presses")


def tab_through(page):
    """Press Tab from the top of the page until focus leaves it: every stop, in order.
    Fails if the page has more stops than its focusable elements (a radio group is one)."""
    page.evaluate(FOCUS_RECORDER)
    reachable = page.evaluate("() => window.__reachable()")
    expected = len({r["radio"] or r["order"] for r in reachable})
    for _ in range(expected):
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement === document.body"), active(page)
    return reachable, page.evaluate("() => window.__stops")


def test_tab_stops_are_what_a_keyboard_user_needs(browser, live_server, reader_site):
    """On a phone with a keyboard (or a switch), Tab goes through the article once in
    about 430 presses, not 545: each claim marker, each reference's own links (DOI,
    PubMed, its source page) and one stop for all its back-links, which sit in a closed
    <details> when there are several; and the page's few controls. The back-links are
    still reachable: Enter on "Cited in N places" opens them."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + ARTICLE_URL)
        markers = page.locator("a.cite-link").count()
        references = page.locator("#references li.reference").count()
        _, stops = tab_through(page)
        in_references = page.evaluate(
            """stops => stops.filter(s => [...document.querySelectorAll('*')][s.order]
                .closest('#references')).length""",
            stops,
        )
        assert in_references <= 4 * references, (in_references, references)
        controls = len(stops) - markers - in_references
        assert controls <= 90, [s["what"] for s in stops]
        assert len(stops) <= markers + 4 * references + 90
        write_report(
            "tab-stops.json",
            {"stops": len(stops), "markers": markers, "references": in_references},
        )

        # A reference cited in several places: its back-links open from the keyboard.
        summary = page.locator("#references details.backlinks summary").first
        summary.focus()
        page.keyboard.press("Enter")
        backlink = summary.locator("xpath=..").locator("a").nth(1)
        expect(backlink).to_be_visible()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(backlink).to_be_focused()
        target = backlink.get_attribute("href")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"{target}$"))
        expect(page.locator(target)).to_be_in_viewport()
    finally:
        context.close()


def test_keyboard_only(page, live_server, reader_site):
    """From the top, Tab reaches the skip link first, which moves focus to the main
    content; every link, button and field is reached in document order with a visible
    focus outline; a marker, its reference's backlink and the comment form work from the
    keyboard alone."""
    problems = watch_console(page)
    page.goto(live_server.url + ARTICLE_URL)
    assert page.evaluate(
        "() => [...document.querySelectorAll('[tabindex]')].every(e => e.tabIndex <= 0)"
    )

    # One pass over the whole page, the skip link first: as many Tab presses as there
    # are stops (a radio group is one), then one more leaves the page.
    reachable, stops = tab_through(page)
    assert stops[0]["what"] == 'a[href="#main"]:Skip to main content'
    invisible = [s["what"] for s in stops if not (s["outline"] and s["focusVisible"])]
    assert invisible == [], f"focus not visible on {invisible[:10]}"
    out_of_order = [
        (a["what"], b["what"])
        for a, b in zip(stops, stops[1:], strict=False)
        if b["order"] <= a["order"]
    ]
    assert out_of_order == [], out_of_order[:5]
    reached = {s["order"] for s in stops}
    reached_groups = {s["radio"] for s in stops if s["radio"]}
    missed = [
        r["what"]
        for r in reachable
        if r["order"] not in reached and r["radio"] not in reached_groups
    ]
    assert missed == [], f"{len(missed)} elements never reached by Tab: {missed[:10]}"

    # The skip link: first stop, shown when focused, moves focus to <main>.
    page.goto(live_server.url + ARTICLE_URL)
    page.evaluate(FOCUS_RECORDER)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The first marker from the keyboard: Enter goes to the reference, the next Tab
    # continues inside it, Enter on "Cited in N places" shows the back-links, and the
    # marker's own back-link returns to it.
    tab_until(page, "el.matches('a.cite-link')")
    marker_id = page.evaluate("() => document.activeElement.id")
    ref_href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{ref_href}$"))
    expect(page.locator(ref_href)).to_be_in_viewport()
    page.keyboard.press("Tab")
    assert page.evaluate(f"() => !!document.activeElement.closest('{ref_href}')"), active(page)
    tab_until(page, "el.matches('.backlinks summary')", limit=5)
    page.keyboard.press("Enter")
    tab_until(page, f"el.getAttribute('href') === '#{marker_id}'", limit=20)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#{marker_id}$"))
    expect(page.locator(f"#{marker_id}")).to_be_in_viewport()
    page.keyboard.press("Tab")
    after = page.evaluate("() => window.__stops.at(-1).order")
    marker_order = page.evaluate(
        f"() => window.__order.get(document.getElementById('{marker_id}'))"
    )
    assert after > marker_order, active(page)

    # A comment, typed and sent with the keyboard alone.
    tab_until(page, "el.id === 'comment-name'", limit=1000)
    page.keyboard.type("Kim")
    tab_until(page, "el.id === 'comment-body'", limit=3)  # the privacy link, the email
    expect(page.locator("#comment-body")).to_be_focused()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")  # the honeypot is not a stop
    expect(page.get_by_role("button", name="Send for moderation")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
    assert Comment.objects.get(name="Kim").body == "Typed without a mouse."
    assert problems == []


def test_without_javascript(browser, live_server, reader_site):
    """With JavaScript off the TOC, markers, backlinks, FAQ, legend, feedback and comment
    posting all work; the buttons that need JavaScript (copy, print) are not shown."""
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = watch_console(page)
    try:
        page.goto(live_server.url + ARTICLE_URL)
        assert page.evaluate("matchMedia('(scripting: none)').matches")
        expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
        expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
        expect(page.get_by_role("link", name="Email a link")).to_be_visible()

        toc_link(page, "Risks and side effects").click()
        expect(page.locator("#risks-title")).to_be_in_viewport()
        toc_link(page, "Frequently asked questions").click()
        expect(page.locator("#faq h3").first).to_be_visible()

        marker, ref_href, marker_id = first_marker(page)
        marker.click()
        expect(page.locator(ref_href)).to_be_in_viewport()
        page.locator(ref_href).locator("summary").click()  # back-links, without JS too
        page.locator(ref_href).locator(f'a[href="#{marker_id}"]').click()
        expect(page.locator(f"#{marker_id}")).to_be_in_viewport()
        page.locator("#overview .evidence-line a").click()
        expect(page.locator("#evidence-levels-title")).to_be_in_viewport()

        page.locator("#feedback").get_by_role("radio", name="No").check()
        page.locator("#feedback").get_by_role("button", name="Send", exact=True).click()
        expect(page.locator("#feedback").get_by_role("status")).to_contain_text(FEEDBACK_NOTICE)
        assert reader_site.feedback.get().helpful is False

        page.get_by_label("Name").fill("Noor")
        page.get_by_label("Comment", exact=True).fill("No scripts needed.")
        page.get_by_role("button", name="Send for moderation").click()
        expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
        expect(page.locator("#comment-form")).to_contain_text(COMMENT_NOTICE)
        assert Comment.objects.get(name="Noor").status == Status.PENDING
        assert context.cookies() == []
        assert problems == []
    finally:
        context.close()
