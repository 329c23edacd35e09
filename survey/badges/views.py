"""Open Badges endpoints: the issuer profile and keys, the revocation list, and each certificate's
credential (the GP's download, and the public copy the verification page links)."""
from flask import Blueprint, Response, abort, current_app, jsonify
from flask_login import current_user

from survey.badges import services
from survey.badges.credential import MEDIA_TYPE
from survey.badges.keys import NoKeys
from survey.extensions import limiter
from survey.web.access import role_required

bp = Blueprint("badges", __name__)


@bp.errorhandler(NoKeys)
def not_configured(_error):
    return Response("Digital badges are not set up on this server yet.", status=503, mimetype="text/plain")


def _public_json(document: dict) -> Response:
    response = jsonify(document)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers in browsers fetch these
    return response


@bp.get("/badges/issuer")
def issuer():
    return _public_json(services.issuer_profile())


@bp.get("/badges/keys.json")
def keys():
    return _public_json(services.public_keys())


@bp.get("/badges/status/revocation/<kid>")
def status_list(kid: str):
    """Never cached: a revocation counts from the moment it is made."""
    return Response(services.signed_status_list(kid) or abort(404), mimetype=MEDIA_TYPE,
                    headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


def _credential(certificate, attachment: bool) -> Response:
    headers = {"Cache-Control": "no-store"}
    if attachment:
        headers["Content-Disposition"] = f'attachment; filename="CPD-badge-{certificate.code[:5]}.jwt"'
    return Response(services.signed_credential(certificate), mimetype=MEDIA_TYPE, headers=headers)


@bp.get("/my-learning/badge/<code>.jwt")
@role_required("gp")
def my_badge(code: str):
    """The GP's own credential, to keep in a wallet or portfolio; 404 for anyone else's."""
    certificate = services.owned_certificate(code, current_user) or abort(404)
    return _credential(certificate, attachment=True)


@bp.get("/verify/<code>/badge.jwt")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def public_badge(code: str):
    """Public, like the verification page it sits under, and saying no more than it does."""
    certificate = services.find_by_code(code) or abort(404)
    return _credential(certificate, attachment=False)
