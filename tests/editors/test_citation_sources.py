"""Sources the way editors have them: identifiers pasted as links, authors typed as people
write them, the type chosen from a list, the record fetched by its DOI or PubMed ID for
the editor to check, and a new source added beside the text being written."""

import pytest

from citations.models import Citation, Verification
from tests.editors.conftest import (
    change_url,
    form_data,
    form_errors,
    parse,
    post,
    post_change,
    text_of,
    textarea,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/citations/citation/add/"
DOI = "10.3390/nu9050429"
EXPORTS = ["ris", "bib", "json"]


def messages_on(response):
    """The admin's messages on the page, as {level: [text]}."""
    found = {}
    for ul in parse(response.content).iter("ul"):
        if "messagelist" in (ul.get("class") or ""):
            for li in ul.iter("li"):
                found.setdefault(li.get("class"), []).append(text_of(li))
    return found


def field(response, name):
    """A field's value in the admin form as the browser shows it."""
    return form_data(response).get(name)


def add_data(client, **values):
    data = form_data(client.get(ADD))
    data.update(
        {
            "key": "boyle2017",
            "title": "The Effects of Magnesium Supplementation on Subjective Anxiety",
            "study_design": "systematic-review",
            "verification": "verified",
            "year": "2017",
            "change_note": "Added the magnesium review.",
        }
    )
    data.update(values)
    return data


def test_a_doi_pasted_as_a_link_is_stored_as_the_doi_and_linked_once(editor_client, reader):
    data = add_data(
        editor_client,
        doi=f"https://doi.org/{DOI}",
        pmid="https://pubmed.ncbi.nlm.nih.gov/28445426/",
        pmcid="https://pmc.ncbi.nlm.nih.gov/articles/PMC5452159/",
    )
    response = post(editor_client, ADD, data)
    assert response.status_code == 302, form_errors(response)

    citation = Citation.objects.get(key="boyle2017")
    assert (citation.doi, citation.pmid, citation.pmcid) == (DOI, "28445426", "PMC5452159")
    page = reader.get("/citations/boyle2017/").content.decode()
    assert f'href="https://doi.org/{DOI}"' in page
    assert "doi.org/https" not in page and "doi.org/http" not in page
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC5452159/"' in page

    # And in the article's references and every export: the DOI, linked once.
    from tests.articles.factories import article_with

    article_with({"overview": "Magnesium may ease anxiety a little [@boyle2017]."}, slug="mg")
    article = reader.get("/articles/mg/").content.decode()
    assert article.count(f'href="https://doi.org/{DOI}"') == 1
    exports = {fmt: reader.get(f"/citations/export/mg.{fmt}").content.decode() for fmt in EXPORTS}
    assert f"DO  - {DOI}" in exports["ris"]
    assert f"doi = {{{DOI}}}" in exports["bib"]
    assert f'"DOI": "{DOI}"' in exports["json"] and '"PMCID": "PMC5452159"' in exports["json"]
    assert not any("doi.org/http" in text for text in [article, *exports.values()])


def test_a_doi_link_pasted_under_url_becomes_the_doi(editor_client):
    data = add_data(editor_client, url=f"https://dx.doi.org/{DOI}")
    response = post(editor_client, ADD, data)
    assert response.status_code == 302, form_errors(response)
    citation = Citation.objects.get(key="boyle2017")
    assert (citation.doi, citation.url) == (DOI, "")


def test_a_pasted_link_finds_the_source_in_the_list(editor_client):
    """Before adding a source, an editor checks with the link they have."""
    Citation.objects.create(
        key="boyle2017", doi=DOI, pmid="28445426", study_design="rct", verification="verified"
    )
    Citation.objects.create(key="other", study_design="rct", verification="verified")
    for pasted in [f"https://doi.org/{DOI.upper()}", "https://pubmed.ncbi.nlm.nih.gov/28445426/"]:
        response = editor_client.get("/admin/citations/citation/", {"q": pasted})
        rows = [
            text_of(a)
            for a in parse(response.content).iter("a")
            if "/change/" in (a.get("href") or "")
        ]
        assert "boyle2017" in rows and "other" not in rows, pasted


def test_an_identifier_in_the_wrong_box_says_where_it_goes(editor_client):
    data = add_data(editor_client, doi="https://pubmed.ncbi.nlm.nih.gov/28445426/", pmid="PMC1")
    response = post(editor_client, ADD, data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert "This is a PubMed ID: put it under PMID." in errors
    assert "This is a PMC ID: put it under PMCID." in errors
    # What was typed is shown again as typed.
    assert field(response, "doi") == "https://pubmed.ncbi.nlm.nih.gov/28445426/"
    assert not Citation.objects.filter(key="boyle2017").exists()


def test_authors_typed_as_on_pubmed_are_stored_as_names_and_shown_the_same_way(
    editor_client, reader
):
    data = add_data(editor_client, authors="Hunter ECM, Sierra M, David AS")
    response = post(editor_client, ADD, data)
    assert response.status_code == 302, form_errors(response)

    citation = Citation.objects.get(key="boyle2017")
    assert citation.authors == [
        {"family": "Hunter", "given": "E. C. M."},
        {"family": "Sierra", "given": "M."},
        {"family": "David", "given": "A. S."},
    ]
    assert textarea(editor_client.get(change_url(citation)), "authors") == (
        "Hunter ECM, Sierra M, David AS"
    )
    assert "Hunter ECM, Sierra M, David AS." in reader.get("/citations/boyle2017/").content.decode()


def test_authors_one_per_line_in_either_order(editor_client):
    data = add_data(editor_client, authors="Ellen C. M. Hunter\r\nSierra, Mauricio\r\n{Cochrane}")
    response = post(editor_client, ADD, data)
    assert response.status_code == 302, form_errors(response)
    citation = Citation.objects.get(key="boyle2017")
    assert citation.authors == [
        {"family": "Hunter", "given": "Ellen C. M."},
        {"family": "Sierra", "given": "Mauricio"},
        {"literal": "Cochrane"},
    ]
    assert textarea(editor_client.get(change_url(citation)), "authors") == (
        "Hunter, Ellen C. M.\nSierra, Mauricio\n{Cochrane}"
    )


def test_authors_that_cannot_be_read_are_refused_and_kept_as_typed(editor_client):
    data = add_data(editor_client, authors="Hunter ECM, Sierra M, et al.")
    response = post(editor_client, ADD, data)
    assert response.status_code == 200
    assert any("et al" in error for error in form_errors(response))
    assert textarea(response, "authors") == "Hunter ECM, Sierra M, et al."


def test_the_type_is_a_choice(editor_client):
    form = parse(editor_client.get(ADD).content)
    [select] = [s for s in form.iter("select") if s.get("name") == "csl_type"]
    options = {o.get("value"): text_of(o) for o in select.iter("option")}
    assert options["article-journal"] == "Journal article"
    assert {"book", "chapter", "report", "webpage", "thesis", "dataset", "article"} <= set(options)

    response = post(editor_client, ADD, add_data(editor_client, csl_type="journal article"))
    assert response.status_code == 200
    assert any("Select a valid choice" in error for error in form_errors(response))

    response = post(editor_client, ADD, add_data(editor_client, csl_type="chapter"))
    assert response.status_code == 302, form_errors(response)
    assert Citation.objects.get(key="boyle2017").get_csl_type_display() == "Book chapter"


def test_a_drug_amount_in_a_record_is_refused(editor_client):
    """A title fetched or typed with a dose would reach the source page and the exports."""
    data = add_data(editor_client, title="Microdosing 10 mg psilocybin", finding="Took 0.5 g.")
    response = post(editor_client, ADD, data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert any("“10 mg”" in e for e in errors) and any("“0.5 g”" in e for e in errors)
    assert not Citation.objects.filter(key="boyle2017").exists()


# Fill from DOI/PubMed ----------------------------------------------------------------


def fill(client, url, data):
    return post(client, url, {**data, "_fill": "Fill from DOI/PubMed"})


def test_fill_from_a_pasted_doi_link_fills_the_form_without_saving(editor_client, recorded_sources):
    blank = form_data(editor_client.get(ADD))
    response = fill(editor_client, ADD, {**blank, "doi": f"https://doi.org/{DOI}"})

    assert response.status_code == 200
    assert recorded_sources.requests == [f"/crossref/works/{DOI}"]
    assert field(response, "doi") == DOI
    assert textarea(response, "title") == (
        "The Effects of Magnesium Supplementation on Subjective Anxiety and Stress—A "
        "Systematic Review"
    )
    assert textarea(response, "authors") == "Boyle, Neil Bernard\nLawton, Clare\nDye, Louise"
    assert field(response, "container_title") == "Nutrients"
    assert (field(response, "year"), field(response, "volume"), field(response, "issue")) == (
        "2017",
        "9",
        "5",
    )
    assert field(response, "pages") == "429"
    assert field(response, "csl_type") == "article-journal"
    assert field(response, "key") == "boyle2017"
    # The editor decides these: fetching is not verifying.
    assert not field(response, "verification")
    assert not field(response, "study_design")
    assert form_errors(response) == []
    [note] = messages_on(response)["success"]
    assert note.startswith("From Crossref: filled")
    assert "fetching does not verify a source" in note
    assert not Citation.objects.filter(key="boyle2017").exists()

    # The editor checks, chooses the design and verification, and saves.
    data = form_data(response)
    data.update(study_design="systematic-review", verification="verified", change_note="Added.")
    response = post(editor_client, ADD, data)
    assert response.status_code == 302, form_errors(response)
    citation = Citation.objects.get(key="boyle2017")
    assert citation.doi == DOI and citation.authors[0] == {
        "family": "Boyle",
        "given": "Neil Bernard",
    }


def test_fill_from_a_pubmed_link_adds_the_doi_and_pmc_id(editor_client, recorded_sources):
    blank = form_data(editor_client.get(ADD))
    response = fill(editor_client, ADD, {**blank, "pmid": "pubmed.ncbi.nlm.nih.gov/28445426/"})
    assert (
        recorded_sources.requests[0] == "/eutils/esummary.fcgi?db=pubmed&id=28445426&retmode=json"
    )
    assert (field(response, "pmid"), field(response, "doi"), field(response, "pmcid")) == (
        "28445426",
        DOI,
        "PMC5452159",
    )
    assert textarea(response, "authors") == "Boyle, Neil Bernard\nLawton, Clare\nDye, Louise"
    assert "From Crossref and PubMed" in messages_on(response)["success"][0]


def test_fill_keeps_what_the_editor_typed_and_says_what_differs(editor_client, recorded_sources):
    blank = form_data(editor_client.get(ADD))
    typed = {**blank, "doi": DOI, "title": "My own title", "key": "mine"}
    response = fill(editor_client, ADD, typed)
    assert textarea(response, "title") == "My own title"
    assert field(response, "key") == "mine"
    assert field(response, "volume") == "9"
    [kept] = messages_on(response)["warning"]
    assert kept.startswith("Kept what you typed in Title (the record says “The Effects")


def test_fill_on_a_chapter_chooses_the_type_and_keeps_an_organisation(
    editor_client, recorded_sources
):
    blank = form_data(editor_client.get(ADD))
    response = fill(editor_client, ADD, {**blank, "doi": "doi:10.5555/chapter.example"})
    assert field(response, "csl_type") == "chapter"
    assert textarea(response, "title") == (
        "Living with depersonalisation & derealisation: A practical guide"
    )
    assert textarea(response, "authors") == "de la Cruz, Ana\nWorking Group on Dissociation"


@pytest.mark.parametrize(
    "setup, message",
    [
        ("unreachable", "Crossref could not be reached (no network connection?)."),
        ("slow", "Crossref did not answer in time."),
        ("unknown", "Crossref has no record of the DOI 10.3390/unknown."),
    ],
)
def test_without_the_record_the_editor_is_told_and_nothing_typed_is_lost(
    editor_client, request, settings, setup, message
):
    doi = "10.3390/unknown" if setup == "unknown" else DOI
    if setup == "unreachable":
        request.getfixturevalue("sources_unreachable")
    else:
        server = request.getfixturevalue("recorded_sources")
        if setup == "slow":
            settings.SOURCE_LOOKUP_TIMEOUT = 0.2
            server.delay = 1
    typed = {
        **form_data(editor_client.get(ADD)),
        "doi": f"https://doi.org/{doi}",
        "key": "hand-typed",
        "title": "Typed by hand <b>&amp;</b>",
        "authors": "Boyle NB, Lawton C, Dye L",
        "finding": "Some evidence of benefit in anxious people.",
        "change_note": "Adding by hand.",
    }
    response = fill(editor_client, ADD, typed)

    assert response.status_code == 200
    [error] = messages_on(response)["error"]
    assert message in error and "Fill in the fields by hand" in error
    assert textarea(response, "title") == "Typed by hand <b>&amp;</b>"
    assert textarea(response, "authors") == "Boyle NB, Lawton C, Dye L"
    assert textarea(response, "finding") == "Some evidence of benefit in anxious people."
    assert field(response, "key") == "hand-typed"
    assert field(response, "change_note") == "Adding by hand."
    assert field(response, "doi") == f"https://doi.org/{doi}"
    assert form_errors(response) == []
    assert not Citation.objects.filter(key="hand-typed").exists()


def test_when_one_service_answers_its_values_fill_and_the_other_is_named(
    editor_client, recorded_sources
):
    blank = form_data(editor_client.get(ADD))
    response = fill(editor_client, ADD, {**blank, "pmid": "28445426", "doi": "10.3390/unknown"})
    assert textarea(response, "authors") == "Boyle NB, Lawton C, Dye L"  # PubMed's names
    assert field(response, "container_title") == "Nutrients"
    assert field(response, "doi") == "10.3390/unknown"  # typed: kept
    assert messages_on(response)["success"][0].startswith("From PubMed: filled")
    assert "Crossref has no record of the DOI 10.3390/unknown." in messages_on(response)["warning"]


def test_a_pubmed_id_with_no_record_is_named(editor_client, recorded_sources):
    blank = form_data(editor_client.get(ADD))
    response = fill(editor_client, ADD, {**blank, "pmid": "PMID: 99999999"})
    [error] = messages_on(response)["error"]
    assert "PubMed has no record of the PubMed ID 99999999." in error


def test_fill_on_a_change_form_saves_nothing_and_leaves_verification_alone(
    editor_client, recorded_sources
):
    citation = Citation.objects.create(
        key="magnesium",
        title="",
        doi=DOI,
        study_design="systematic-review",
        verification=Verification.PARTIAL,
    )
    opened = editor_client.get(change_url(citation))
    response = fill(editor_client, change_url(citation), form_data(opened))
    assert response.status_code == 200
    assert field(response, "verification") == "partial"
    assert textarea(response, "title").startswith("The Effects of Magnesium")
    citation.refresh_from_db()
    assert citation.title == "" and citation.version == 1 and citation.history.count() == 1

    response = post_change(editor_client, citation, opened=response, change_note="Filled in.")
    assert response.status_code == 302, form_errors(response)
    citation.refresh_from_db()
    assert citation.title.startswith("The Effects of Magnesium")
    assert citation.verification == Verification.PARTIAL


def test_fill_without_an_identifier_asks_for_one(editor_client, recorded_sources):
    response = fill(editor_client, ADD, form_data(editor_client.get(ADD)))
    assert messages_on(response)["error"] == ["Type or paste a DOI, PubMed ID or PMC ID first."]
    assert recorded_sources.requests == []


# A new source from the section editor --------------------------------------------------


@pytest.mark.parametrize("screen", ["article", "section"])
def test_a_new_source_opens_beside_the_text_and_says_its_key(editor_client, overview, screen):
    """On the article screen (sections inline) and on a section's own screen."""
    edited = overview.article if screen == "article" else overview
    page = parse(editor_client.get(change_url(edited)).content)
    [link] = [a for a in page.iter("a") if text_of(a) == "Add a new source"]
    assert link.get("href") == ADD and link.get("target") == "_blank"

    response = editor_client.post(ADD, add_data(editor_client), follow=True)
    assert "Cite this source in a section as [@boyle2017]." in messages_on(response)["success"]
