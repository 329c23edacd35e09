"""``Cache-Control: no-store`` on every response that holds personal data, decided in one place.

A response is personal when a view marks it (``personal(response)``), when its endpoint is one that shows
personal data without a sign-in (a certificate's verification page names the holder), or when it is
answered to a signed-in user: every page then carries at least their name, and exports, PDFs, participant
lists and "Your data" pages carry much more. Static files and images (logos, module figures) hold none and
keep their own caching rules.
"""
from flask import Response, g, request
from flask_login import current_user

#: Endpoints that show personal data to anyone holding the link.
PERSONAL_ENDPOINTS = frozenset({"certificates.verify", "invitations.unsubscribe", "invitations.follow"})
NOT_PERSONAL_ENDPOINTS = frozenset({"static"})


def personal(response: Response) -> Response:
    """Mark a response as holding personal data (for responses built outside a signed-in request)."""
    g.personal_response = True
    return response


def is_personal(endpoint: str | None, mimetype: str | None, signed_in: bool, marked: bool) -> bool:
    """The rule (pure): marked, or a personal endpoint, or anything but a static file or image to a signed-in user."""
    if marked or endpoint in PERSONAL_ENDPOINTS:
        return True
    if endpoint in NOT_PERSONAL_ENDPOINTS or (mimetype or "").startswith("image/"):
        return False
    return signed_in


def apply(response: Response) -> Response:
    """after_request: forbid every cache (browser, proxy, back button) to keep a personal response.

    Signed in means a user was loaded for this request (the loader returns active users only):
    ``is_authenticated`` would read the user's row again after the view's commit expired it, one
    more query on every page, to answer the same question.
    """
    signed_in = not getattr(current_user, "is_anonymous", True)
    if is_personal(request.endpoint, response.mimetype, signed_in, g.get("personal_response", False)):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response
