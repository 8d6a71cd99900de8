"""schema.org JSON-LD for the article page: MedicalWebPage and FAQPage."""

import json

from django.utils.safestring import mark_safe

# As in django.utils.html.json_script: the JSON cannot close the script element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES))


def person(profile):
    data = {"@type": "Person", "name": profile.public_name}
    if profile.role:
        data["jobTitle"] = profile.role
    return data


def article_data(article, sections, url):
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": "en",
        "author": [
            {"@type": "Person", "name": p["name"], **({"jobTitle": p["role"]} if p["role"] else {})}
            for p in article.byline
        ],
        "publisher": {"@type": "Organization", "name": "Evidence Health"},
        "dateModified": article.updated.isoformat(),
    }
    if article.published:
        page["datePublished"] = article.published.isoformat()
    review = article.last_review
    if review is not None:  # only a signed review names a reviewer
        page["lastReviewed"] = review.signed_at.date().isoformat()
        page["reviewedBy"] = person(review.reviewer)
    questions = [q for section in sections for q in section.faq]
    graph = [page]
    if questions:
        graph.append(
            {
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": q["question"],
                        "acceptedAnswer": {"@type": "Answer", "text": q["answer"]},
                    }
                    for q in questions
                ],
            }
        )
    return json_ld(graph)
