"""Providers an admin configures, and the account a verified provider sign-in belongs to. Callers commit."""
import secrets
from urllib.parse import urlsplit

from authlib.common.security import is_secure_transport
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.auth.models import User
from survey.auth.services import EMAIL_MAX, NAME_MAX, normalise_email
from survey.db import utcnow
from survey.extensions import db
from survey.oidc.errors import SignInFailed
from survey.oidc.models import OidcIdentity, OidcProvider
from survey.oidc.secret_box import seal
from survey.web.text import SINGLE_LINE_FORBIDDEN


class ProviderError(Exception):
    """A provider's settings broke a rule; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def all_providers() -> list[OidcProvider]:
    return list(db.session.scalars(select(OidcProvider).order_by(OidcProvider.name)))


def enabled_providers() -> list[OidcProvider]:
    """The providers offered on the sign-in page."""
    return list(db.session.scalars(select(OidcProvider).where(OidcProvider.enabled).order_by(OidcProvider.name)))


def _issuer_problem(issuer: str) -> str | None:
    parts = urlsplit(issuer)
    if not is_secure_transport(issuer) or not parts.hostname:
        return "The issuer must be an https:// address (http:// only on this machine's loopback, for testing)."
    if parts.query or parts.fragment:
        return "The issuer has no query (?) or fragment (#): copy it exactly as the provider publishes it."
    return None


def save_provider(provider: OidcProvider | None, name: str, issuer: str, client_id: str, client_secret: str,
                  enabled: bool) -> OidcProvider:
    """Create (``provider`` None) or update a provider. A blank secret keeps the stored one; a new
    provider needs one. The secret is stored encrypted and never given back."""
    name, issuer, client_id = name.strip(), issuer.strip(), client_id.strip()
    if not name:
        raise ProviderError("name", "Give the name shown on the sign-in button, e.g. OpenAthens.")
    problem = _issuer_problem(issuer)
    if problem:
        raise ProviderError("issuer", problem)
    if not client_id:
        raise ProviderError("client_id", "Give the client ID the provider gave you for this service.")
    if provider is None and not client_secret:
        raise ProviderError("client_secret", "Give the client secret the provider gave you for this service.")
    provider = provider or OidcProvider()
    provider.name, provider.issuer, provider.client_id, provider.enabled = name, issuer, client_id, enabled
    if client_secret:
        provider.client_secret_encrypted = seal(client_secret)
    db.session.add(provider)
    db.session.flush()
    return provider


def provider_for_sign_in(provider_id: int) -> OidcProvider:
    """The provider, if it exists and is enabled: a disabled one signs nobody in, even mid-flow."""
    provider = db.session.get(OidcProvider, provider_id)
    if provider is None or not provider.enabled:
        raise SignInFailed("disabled", "That sign-in option is not available. Please sign in with your email and "
                           "password.", f"provider {provider_id}")
    return provider


def _verified_email(claims: dict) -> str | None:
    """The claimed address, if the provider says it verified it (some send the JSON string "true")."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") not in (True, "true"):
        return None
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return email if len(email) <= EMAIL_MAX else None


def _display_name(claims: dict, email: str) -> str:
    """The provider's name for the person, on one line, else the address's local part."""
    name = claims.get("name") or " ".join(str(claims.get(part) or "") for part in ("given_name", "family_name"))
    name = " ".join(SINGLE_LINE_FORBIDDEN.sub(" ", str(name)).split())[:NAME_MAX]
    return name or email.split("@")[0][:NAME_MAX]


def _refuse_inactive(user: User) -> User:
    if not user.is_active:
        raise SignInFailed("account_disabled", "This account has been disabled. Please contact the platform's "
                           "administrators.", f"user {user.id}")
    return user


def account_for(provider: OidcProvider, claims: dict) -> tuple[User, str]:
    """The account a verified sign-in belongs to, and how it was found ("linked", "linked_by_email", "created").

    An identity already linked signs in. Otherwise the provider must vouch for the email address:
    an existing account is linked only if we too have confirmed that address (else whoever
    controls a provider account with an unverified address could take over ours); with no account
    for it, a new GP account is made, its address confirmed by the provider, its password random
    (the GP may set one through "Forgotten your password?").
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise SignInFailed("no_subject", f"{provider.name} did not say who you are. Please sign in with your email "
                           "and password.")
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.provider_id == provider.id,
                                                            OidcIdentity.subject == subject))
    if identity is not None:
        return _refuse_inactive(identity.user), "linked"
    email = _verified_email(claims)
    if email is None:
        raise SignInFailed("email_unverified", f"{provider.name} did not confirm your email address, so we cannot "
                           "link it to an account. Please sign in with your email and password.")
    user = db.session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    how = "linked_by_email"
    if user is None:
        user = User(name=_display_name(claims, email), email=email, role="gp", email_confirmed_at=utcnow())
        user.set_password(secrets.token_urlsafe(32))
        db.session.add(user)
        how = "created"
    elif user.role != "gp":
        # A provider vouches for people, not for our staff roles: an educator's or admin's account taken through
        # a compromised or misconfigured provider would open every campaign it can see.
        raise SignInFailed("staff_account", "Staff accounts sign in with their email and password.",
                           f"user {user.id}")
    elif user.email_confirmed_at is None:
        raise SignInFailed("account_unconfirmed", "An account uses this email address but has not confirmed it "
                           "yet. Please sign in with your email and password first: we will send you a link.",
                           f"user {user.id}")
    _refuse_inactive(user)
    try:
        with db.session.begin_nested():
            db.session.add(OidcIdentity(provider_id=provider.id, subject=subject, user_id=user.id))
    except IntegrityError:  # the same first sign-in finished a moment ago in another request
        raise SignInFailed("concurrent", "You were signed in from another window at the same moment. Please try "
                           "again.", f"subject {subject}") from None
    return user, how
