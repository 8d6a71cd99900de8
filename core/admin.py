"""The admins the site does not write (Django's users and groups, django-axes' sign-in
logs) get the site's list rules (core/changelist.py).

Their apps come before core in INSTALLED_APPS, so the admin's autodiscovery has
registered them when this module runs; the project's apps come after and subclass
core.changelist.ModelAdmin themselves.
"""

from django.apps import apps
from django.contrib import admin

from .changelist import register_safely

for model in apps.get_models():
    if admin.site.is_registered(model):
        register_safely(admin.site, model)
