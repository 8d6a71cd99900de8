from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        # The article page shows the comment section; articles does not depend on comments.
        from articles.page import CommentSection

        from .section import first_page_html, section_html

        CommentSection.for_request = staticmethod(section_html)
        CommentSection.first_page = staticmethod(first_page_html)
