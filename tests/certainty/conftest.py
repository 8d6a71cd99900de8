from tests.articles.helpers import article_page, imported  # noqa: F401
