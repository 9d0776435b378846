from django.conf import settings


def ronagh(request):
    """What every page's navigation needs: the user's role and whether the site is a demo."""
    user = getattr(request, "user", None)
    return {
        "role": getattr(user, "role", None) if user and user.is_authenticated else None,
        "is_demo": settings.DEBUG,
    }
