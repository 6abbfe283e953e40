"""The interface language: Chinese unless the user chose another one with the language switch."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_from_cookie(request: HttpRequest) -> str:
    """The language the user picked with the switch (Django's `set_language` stores it in the
    language cookie), or the default language.

    The browser's Accept-Language is ignored on purpose: the programme's working language is
    Chinese, and an English-language browser must not turn the pages English by itself.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class CookieLocaleMiddleware:
    """Replaces Django's LocaleMiddleware: activates the language of the cookie (or Chinese),
    sets `request.LANGUAGE_CODE` and answers with `Content-Language` and `Vary: Cookie`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_from_cookie(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
