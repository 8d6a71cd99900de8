from django.apps import AppConfig


class CertaintyConfig(AppConfig):
    name = "certainty"
    verbose_name = "Certainty of evidence"
