"""Reading grades for editors: of rendered text, without citation markers, per section
and for the whole article, with the longest sentences where a rewrite helps most."""

from articles.readability import article_readability, readability, sentences


def test_sentences_come_from_each_block_without_markers():
    html = (
        '<p>It may help a little <sup class="cite"><a href="#ref-1">1</a></sup>. '
        "Ask a doctor!</p><ul><li>A list item without a full stop</li></ul>"
        "<table><tr><td>A cell</td><td>Another cell.</td></tr></table>"
    )
    assert list(sentences(html)) == [
        "It may help a little.",
        "Ask a doctor!",
        "A list item without a full stop",
        "A cell",
        "Another cell.",
    ]


def test_the_whole_article_is_graded_and_its_longest_sentences_listed():
    short = "<p>The cat sat. The dog ran.</p>"
    long = (
        "<p>Notwithstanding considerable methodological heterogeneity, contemporary "
        "investigations have demonstrated inconsistent neurocognitive consequences. "
        "Short one.</p>"
    )
    result = article_readability([("Easy", short), ("Hard", long)])
    assert [title for title, _ in result["sections"]] == ["Easy", "Hard"]
    easy, hard = (grade for _, grade in result["sections"])
    assert easy["words"] == 6 and not easy["hard"]
    assert hard["hard"] and hard["grade"] > easy["grade"]
    assert result["whole"]["words"] == easy["words"] + hard["words"]
    assert easy["grade"] < result["whole"]["grade"] < hard["grade"]
    assert result["longest"][0]["section"] == "Hard"
    assert result["longest"][0]["sentence"].startswith("Notwithstanding")
    assert len(result["longest"]) == 3


def test_no_text_has_no_grade():
    assert readability("<p> </p>") is None
    assert article_readability([])["whole"] is None
