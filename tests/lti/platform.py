"""A spec-conformant LTI 1.3 platform running in the test, built on lti1p3platform (OpenLearning's platform
library): it initiates logins, signs launches and deep-linking requests, verifies the tool's deep-linking
response, and serves its keys, OAuth 2 token endpoint, AGS score endpoint and NRPS roster over real HTTP
(a Werkzeug server on 127.0.0.1), which the tool reaches with ``requests`` as it would reach Moodle."""
from __future__ import annotations

import threading
import typing as t
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, request
from lti1p3platform.exceptions import LtiServiceException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService
from werkzeug.serving import make_server

TOOL = "http://localhost"
CLIENT_ID = "tool-client-1"
DEPLOYMENT_ID = "deployment-1"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_pem(private: str) -> str:
    key = serialization.load_pem_private_key(private.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class PlainRequest(Request):
    """lti1p3platform's request interface over a plain dict (a Flask request, or a parsed redirect)."""

    def build_metadata(self, request: dict) -> dict:
        return {"method": "GET", "form_data": {}, "json": None, "headers": {}, "content_type": None, "path": "/",
                "get_data": {}, **request}


class Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration: Registration) -> None:
        self._registration = registration

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict, **kwargs: t.Any) -> dict:
        return launch_data


class Platform:
    """One platform with one registration of the tool; ``scores`` and ``members`` are its gradebook and roster."""

    def __init__(self):
        self.app = Flask("platform")
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.key = private_pem()
        self.registration = (Registration().set_iss(self.url).set_client_id(CLIENT_ID).set_deployment_id(DEPLOYMENT_ID)
                             .set_oidc_login_url(f"{TOOL}/lti/login").set_launch_url(f"{TOOL}/lti/launch")
                             .set_deeplink_launch_url(f"{TOOL}/lti/launch")
                             .set_platform_private_key(self.key).set_platform_public_key(public_pem(self.key)))
        self.config = Config(registration=self.registration)
        self.scores: dict[str, list[dict]] = {}
        self.members: list[dict] = []
        self.refuse_scores = False
        self.registrations: list[tuple[str | None, dict]] = []  #: (Authorization header, body) of each dynamic registration
        self.announced_issuer = self.url  #: the issuer its openid-configuration names
        self._routes()
        self._registration_routes()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()

    def _registration_routes(self) -> None:
        """LTI Dynamic Registration 1.0, the platform's side: its openid-configuration and registration endpoint."""
        @self.app.get("/.well-known/openid-configuration")
        def openid_configuration():
            return jsonify({"issuer": self.announced_issuer, "authorization_endpoint": f"{self.url}/auth",
                            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                            "registration_endpoint": f"{self.url}/register",
                            "https://purl.imsglobal.org/spec/lti-platform-configuration": {"product_family_code": "moodle"}})

        @self.app.post("/register")
        def register():
            self.registrations.append((request.headers.get("Authorization"), request.get_json()))
            if request.headers.get("Authorization") != "Bearer one-time-token":
                return jsonify(error="invalid_token"), 401
            return jsonify({**request.get_json(), "client_id": "registered-client-9",
                            "https://purl.imsglobal.org/spec/lti-tool-configuration": {"deployment_id": "7"}})

    # What an admin copies into the tool's registration form.
    def registration_form(self) -> dict:
        return {"name": "Test Moodle", "issuer": self.url, "client_id": CLIENT_ID, "auth_login_url": f"{self.url}/auth",
                "auth_token_url": f"{self.url}/token", "jwks_url": f"{self.url}/jwks", "deployment_ids": DEPLOYMENT_ID}

    def trust_tool_keys(self, jwks: dict) -> None:
        """What the platform fetches from the tool's public keyset URL."""
        self.registration.set_tool_key_set(jwks)

    def login_initiation(self, hint: str = "resource-link-1", user: str = "moodle-user-7") -> str:
        """The tool's login URL the platform sends the browser to (core 5.1.1), as a path with its query."""
        login = Login(PlainRequest({}), self.config)
        login.set_lti_message_hint(hint=hint)
        url = login.initiate_login(user)
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    def authorise(self, authentication_request: str, *, deep_linking: bool = False, roles=(LEARNER,),
                  custom: dict | None = None, user: str = "moodle-user-7", expires_in: int = 300,
                  extra: dict | None = None) -> dict:
        """The platform's authorisation endpoint answering the tool's authentication request: the form it
        would post to the tool (``launch_url``, ``state``, ``id_token``)."""
        params = dict(parse_qsl(urlsplit(authentication_request).query))
        assert urlsplit(authentication_request).netloc == urlsplit(self.url).netloc
        assert params["response_type"] == "id_token" and params["scope"] == "openid" and params["prompt"] == "none"
        launch = MessageLaunch(PlainRequest({"get_data": params}), self.config)
        launch.set_user_data(user, list(roles), full_name="Dr Ann Example", email_address="ann@practice.example")
        launch.set_resource_link_claim("resource-link-1", title="Work and health")
        launch.set_launch_context_claim("course-1", context_title="GP training 2026")
        if custom:
            launch.set_custom_parameters_claim(custom)
        launch.set_ags(f"{self.url}/lineitems", f"{self.url}/lineitems/1", scores_service_enabled=True)
        launch.set_nrps(f"{self.url}/memberships")
        if deep_linking:
            launch.set_dl(f"{self.url}/deep-link-return", accept_types={"ltiResourceLink"}, extra_data={"course-state": "opaque-42"})
        if extra:
            launch.set_extra_claims(extra)
        launch.set_id_token_expiration(expires_in)
        return launch.lti_launch()

    def accept_deep_link(self, jwt: str) -> list[dict]:
        """The platform's deep-link return endpoint: the content items, once the tool's signature verifies."""
        return self.config.validate_deeplinking_resp({"JWT": jwt})

    def _routes(self) -> None:
        platform = self

        class Grades(AssignmentsGradesService):
            def update_score(self, line_item_id, score):
                if platform.refuse_scores:
                    raise LtiServiceException("The gradebook is closed", 403)
                platform.scores.setdefault(line_item_id, []).append(score)
                return UpdateScoreStatus.SUCCESS

            def find_lineitems(self, *a, **k): raise NotImplementedError
            def find_lineitem(self, *a, **k): raise NotImplementedError
            def create_lineitem(self, *a, **k): raise NotImplementedError
            def update_lineitem(self, *a, **k): raise NotImplementedError
            def delete_lineitem(self, *a, **k): raise NotImplementedError
            def get_results(self, *a, **k): raise NotImplementedError

        class Roster(NamesRoleProvisioningService):
            def get_member_data_page(self, **kwargs):
                return {"content": list(platform.members), "has_next": False}

            def get_context_by_id(self):
                return Context(id="course-1", label="GP2026", title="GP training 2026")

        def answer(service_call):
            try:
                response = service_call()
            except LtiServiceException as error:
                return jsonify(error=str(error)), error.status_code
            return jsonify(response.result), response.code

        def flask_request() -> PlainRequest:
            return PlainRequest({"method": request.method, "headers": request.headers, "json": request.get_json(silent=True),
                                 "get_data": request.args.to_dict(), "form_data": request.form.to_dict(),
                                 "content_type": request.content_type, "path": request.path})

        @self.app.get("/jwks")
        def jwks():
            return jsonify(self.config.get_jwks())

        @self.app.post("/token")
        def token():
            try:
                return jsonify(self.config.get_access_token(request.form.to_dict()))
            except Exception as error:  # noqa: BLE001 - the library raises several kinds; each is a refusal
                return jsonify(error="invalid_client", detail=str(error)), 400

        @self.app.post("/lineitems/<line_item_id>/scores")
        def scores(line_item_id):
            service = Grades(flask_request(), self.config, f"{self.url}/lineitems", f"{self.url}/lineitems/{line_item_id}")
            return answer(lambda: service.handle_update_score(line_item_id))

        @self.app.get("/memberships")
        def memberships():
            return answer(lambda: Roster(flask_request(), self.config, f"{self.url}/memberships").handle_get_members())
