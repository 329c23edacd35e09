"""Authlib's OpenID Connect client for one configured provider.

The authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the signed session
cookie until the provider sends the person back; the ID token's signature is checked against the
provider's JWKS, and its issuer, audience, expiry and nonce against what we expect. The discovery
document is read at each step, so an admin's change or the provider's key rotation takes effect at once.
"""
import logging
from contextlib import contextmanager

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from joserfc.errors import JoseError

from survey.oidc.errors import SignInFailed
from survey.oidc.models import OidcProvider
from survey.oidc.secret_box import SecretUnreadable, unseal

log = logging.getLogger(__name__)
SCOPE = "openid email profile"
TIMEOUT_SECONDS = 10
EXPIRED_MESSAGE = "That sign-in link has expired or has already been used. Please start again."


def discovery_url(issuer: str) -> str:
    """OpenID Connect Discovery 1.0, section 4: the issuer's well-known configuration."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def _client(provider: OidcProvider) -> FlaskOAuth2App:
    # A client per request (not Authlib's app-wide registry), so a provider edited by an admin is never stale.
    name = f"oidc{provider.id}"  # the session key of the flow's state: a callback for another provider finds none
    client = FlaskOAuth2App(
        FlaskIntegration(name), name, client_id=provider.client_id,
        client_secret=unseal(provider.client_secret_encrypted), server_metadata_url=discovery_url(provider.issuer),
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS})
    published = client.load_server_metadata().get("issuer")
    if published != provider.issuer:  # Discovery 1.0 section 4.3: the document must name the issuer we asked
        raise SignInFailed("wrong_issuer", _unverified(provider), f"discovery document names issuer {published!r}")
    return client


def _unverified(provider: OidcProvider) -> str:
    return (f"We could not verify your sign-in with {provider.name}, so you are not signed in. "
            "Please try again, or sign in with your email and password.")


@contextmanager
def _failures(provider: OidcProvider):
    """Every way the exchange can fail becomes a SignInFailed with a message for the person."""
    try:
        yield
    except SignInFailed:
        raise
    except SecretUnreadable as error:
        raise SignInFailed("secret_unreadable", f"Sign-in with {provider.name} is not available at the moment. "
                           "Please sign in with your email and password.") from error
    except MismatchingStateError as error:
        raise SignInFailed("state", EXPIRED_MESSAGE) from error
    except OAuthError as error:
        raise SignInFailed("provider_error", f"{provider.name} did not sign you in. Please try again, "
                           "or sign in with your email and password.", f"{error.error}: {error.description}") from error
    except JoseError as error:
        raise SignInFailed("invalid_id_token", _unverified(provider), f"{error.error}: {error.description}") from error
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as error:
        log.warning("OpenID Connect provider %s unreachable or malformed: %r", provider.id, error)
        raise SignInFailed("unreachable", f"We could not reach {provider.name}. Please try again later, "
                           "or sign in with your email and password.", type(error).__name__) from error


def authorization_redirect(provider: OidcProvider, redirect_uri: str):
    """The redirect that sends the person to the provider; state, nonce and PKCE verifier go in the session."""
    with _failures(provider):
        return _client(provider).authorize_redirect(redirect_uri)


def verified_claims(provider: OidcProvider) -> dict:
    """On the person's return: exchange the code and return the ID token's claims, verified.

    The state is spent (a replayed callback finds none); Authlib checks the signature against the
    JWKS and the nonce; the issuer and audience are required here, since Authlib would otherwise
    accept a token without checking its audience.
    """
    with _failures(provider):
        token = _client(provider).authorize_access_token(claims_options={
            "iss": {"essential": True, "value": provider.issuer},
            "aud": {"essential": True, "value": provider.client_id},
        })
        if not token.get("userinfo"):
            raise SignInFailed("no_id_token", _unverified(provider), "the token response had no ID token")
        return dict(token["userinfo"])
