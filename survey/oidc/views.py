"""Sign in through an organisation's OpenID Connect provider: send the person there, and take them back."""
from flask import Blueprint, flash, redirect, request, session, url_for

from survey.audit import services as audit
from survey.auth.views import login_rate_limit, sign_in
from survey.extensions import db, limiter
from survey.oidc import client, services
from survey.oidc.errors import SignInFailed
from survey.web.safety import safe_next_url
from survey.web.urls import external_url

bp = Blueprint("oidc", __name__, url_prefix="/login/oidc")
#: The provider the person was sent to, and where to go after signing in, kept across the trip.
PROVIDER_KEY, NEXT_KEY = "oidc_provider", "oidc_next"


def _failed(failure: SignInFailed, provider_id: int | None):
    """Back to the sign-in page with the reason; the admin finds the detail in the audit log."""
    audit.record(None, "sign_in.failed", reason=f"oidc.{failure.reason}", provider=provider_id,
                 detail=failure.detail, ip=request.remote_addr)
    db.session.commit()
    flash(failure.message, "error")
    return redirect(url_for("auth.login"))


# A link, not a form: the site's CSP (form-action 'self') would stop a form's redirect to another origin.
@bp.get("/<int:provider_id>")
@limiter.limit(login_rate_limit)  # each start and return costs requests to the provider
def start(provider_id: int):
    try:
        provider = services.provider_for_sign_in(provider_id)
        response = client.authorization_redirect(provider, external_url("oidc.callback"))
    except SignInFailed as failure:
        return _failed(failure, provider_id)
    session[PROVIDER_KEY], session[NEXT_KEY] = provider.id, safe_next_url(request.args.get("next"))
    return response


# One redirect URI for every provider, so an admin can register it before the provider exists here.
@bp.get("/callback")
@limiter.limit(login_rate_limit)
def callback():
    provider_id = session.get(PROVIDER_KEY)
    try:
        if not isinstance(provider_id, int):
            raise SignInFailed("state", client.EXPIRED_MESSAGE, "no sign-in was started in this browser")
        provider = services.provider_for_sign_in(provider_id)
        claims = client.verified_claims(provider)
        user, how = services.account_for(provider, claims)
    except SignInFailed as failure:
        db.session.rollback()
        return _failed(failure, provider_id)
    if how == "created":
        audit.record(user, "account.register", via="oidc", provider=provider.id)
    elif how == "linked_by_email":
        audit.record(user, "oidc.link", provider=provider.id, subject=claims["sub"])
    after = session.get(NEXT_KEY)
    sign_in(user, f"oidc:{provider.id}")  # a new server-side session, cookie and CSRF token
    return redirect(after or url_for("campaigns.home"))
