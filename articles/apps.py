from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import claim_rules, signals  # noqa: F401
        from .page import page_format

        page_format()  # the templates and static files this process starts with
