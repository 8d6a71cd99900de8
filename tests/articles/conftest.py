from tests.articles.helpers import article_page  # noqa: F401
