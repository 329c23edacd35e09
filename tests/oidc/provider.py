"""A real OpenID Connect provider for tests, on a loopback port in a thread.

Built from Authlib's server components (AuthorizationServer, the authorization code grant with
PKCE and the OpenID Connect extension): the protocol is theirs, only the storage is a few dicts here.
It serves discovery, JWKS, authorize and token endpoints and signs ID tokens with its own RSA key.
A test chooses who is signed in at the provider (``person``), and can make it misbehave: claims in
``id_token_overrides`` replace what Authlib would put in the ID token (a wrong issuer, audience or
nonce), still signed with the provider's real key, as a malicious or misconfigured provider would.
"""
import secrets
import threading
import time
from dataclasses import dataclass

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import Flask, jsonify
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "survey-platform", "provider-given-secret-3f9a"
REDIRECT_URI = "http://localhost/login/oidc/callback"


@dataclass
class Person:
    """Who is signed in at the provider."""

    sub: str
    email: str
    email_verified: bool = True
    name: str = "Dr Ada Provider"


class _Client(ClientMixin):
    """The one client registered at this provider: our platform, with a secret and one redirect URI."""

    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return REDIRECT_URI

    def get_allowed_scope(self, scope):
        return " ".join(item for item in scope.split() if item in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == REDIRECT_URI

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    person: Person
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class Provider:
    """Start with ``with Provider() as provider:``; ``issuer`` is its address on a free loopback port."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-key-1", "use": "sig", "alg": "RS256"})
        self.person: Person | None = None
        self.id_token_overrides: dict = {}
        self.codes: dict[str, _Code] = {}
        self.nonces_used: set[str] = set()  #: by an issued code: a second request with one is a replay
        self.app = self._app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)

    def metadata(self) -> dict:
        """The discovery document, checked by Authlib's own validator of OpenID Provider Metadata."""
        document = OpenIDProviderMetadata({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        })
        document.validate()
        return dict(document)

    def _app(self) -> Flask:
        provider = self
        app = Flask("test_oidc_provider")
        server = AuthorizationServer(app, query_client=lambda client_id: _Client() if client_id == CLIENT_ID else None,
                                     save_token=lambda token, request: None)

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code, request):
                data = request.payload.data
                if data.get("code_challenge_method") != "S256":  # Authlib requires PKCE of public clients only
                    raise InvalidRequestError("This provider requires PKCE with S256.")
                provider.nonces_used.add(data.get("nonce"))
                provider.codes[code] = _Code(code, request.user, request.payload.redirect_uri, request.payload.scope,
                                             data.get("nonce"), data.get("code_challenge"),
                                             data.get("code_challenge_method"), int(time.time()))

            def query_authorization_code(self, code, client):
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        class IdTokens(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return nonce in provider.nonces_used

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.key.kid}

            def generate_user_info(self, user, scope):
                # Applied after iss, aud and nonce: the test's overrides replace them.
                return UserInfo(sub=user.sub, name=user.name, email=user.email, email_verified=user.email_verified,
                                **provider.id_token_overrides)

        server.register_grant(CodeGrant, [CodeChallenge(required=True), IdTokens(require_nonce=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(provider.metadata())

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([provider.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            # No login or consent page: the test decides who is signed in (nobody: the person refused).
            grant = server.get_consent_grant(end_user=provider.person)
            return server.create_authorization_response(grant=grant, grant_user=provider.person)

        @app.post("/token")
        def token():
            return server.create_token_response()

        return app
