from django.conf import settings


def site(request):
    """Site-wide values for templates. Never touches request.user: reading the session
    would make anonymous pages vary on Cookie and defeat shared caches."""
    return {
        "SITE_NAME": "Evidence Health",
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "SITE_OWNER": settings.SITE_OWNER,
        "SITE_FUNDING": settings.SITE_FUNDING,
    }
