"""Persian first: the site speaks the configured language (Persian by default) whatever the
browser's Accept-Language says — officials' browsers are often set to English — unless the user
chose another language with the switch in the footer (Django's language cookie)."""

from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class FriendlyNotFoundMiddleware:
    """The Persian 404 page even while DEBUG is on (the demo): Django would show its technical
    "Page not found" there, listing the site's URL patterns, to anyone who mistypes an address.
    The API and the static files keep their own answers; the 500 page stays technical under
    DEBUG, for the developer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "ronagh_page", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(("/api/", settings.STATIC_URL))
        ):
            from .views import not_found

            response = not_found(request)
        return response
