"""LTI endpoints: the tool's keys, login initiation, launch, deep linking, and the admin's platform registrations.

Framing: every page keeps ``frame-ancestors 'none'`` but the instructor's deep-linking choice, which Moodle
opens in an iframe: those pages may be framed by the requesting platform's origin alone. Learners' launches
open in a new window (README, "LTI"), where the session cookie's SameSite=Lax works as on any other sign-in.
Only the state cookie is SameSite=None: it must come back with the platform's cross-site form POST.
"""
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from survey.audit import services as audit
from survey.auth.views import sign_in
from survey.badges.keys import NoKeys
from survey.campaigns import access
from survey.campaigns import services as campaigns
from survey.extensions import csrf, db
from survey.auth.models import User
from survey.lti import deep_linking, linking, registration, roster, services
from survey.lti.claims import InvalidLaunch
from survey.lti.forms import DeepLinkForm, PlatformForm
from survey.lti.models import LtiPlatform
from survey.web.access import role_required
from survey.web.security import CSP
from survey.web.urls import external_url

bp = Blueprint("lti", __name__)
STATE_COOKIE = "lti_state"


@bp.errorhandler(InvalidLaunch)
def refused(error: InvalidLaunch):
    """The spent state (or anything else recorded) is kept: a refused launch cannot be retried."""
    db.session.commit()
    current_app.logger.warning("LTI launch refused: %s", error)
    return render_template("lti/refused.html", reason=str(error)), 400


@bp.errorhandler(NoKeys)
def not_configured(_error):
    return Response("LTI is not set up on this server yet: it has no signing key (README, \"LTI 1.3\").",
                    status=503, mimetype="text/plain")


@bp.get("/lti/jwks.json")
def jwks():
    response = jsonify(services.public_tool_keys())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt  # the platform starts it; nothing is changed but a new single-use state
def login():
    started = services.start_login(request.values.to_dict())
    db.session.commit()
    response = redirect(started.url)
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    # Partitioned (CHIPS): inside the platform's frame (deep linking), where third-party cookies are blocked,
    # the cookie is still kept for the frame's own next request; in a new window it behaves as any cookie.
    response.set_cookie(STATE_COOKIE, started.state, max_age=services.LOGIN_MINUTES * 60, path=url_for("lti.launch"),
                        httponly=True, secure=secure, samesite="None" if secure else "Lax", partitioned=secure)
    return response


@bp.post("/lti/launch")
@csrf.exempt  # the platform's form POST: protected by the single-use state, the nonce and the signature
def launch():
    verified = services.complete_launch(request.form.get("state", ""), request.form.get("id_token", ""),
                                        request.cookies.get(STATE_COOKIE))
    if verified.message_type == "LtiDeepLinkingRequest":
        settings = deep_linking.settings_of(verified)
        db.session.commit()
        response = _choice_page(_choice_form(formdata=None, choice_request=deep_linking.sealed(settings)), settings)
    else:
        landing = linking.land(verified)
        sign_in(landing.user, via="lti")  # commits
        response = redirect(_destination(landing))
    response.delete_cookie(STATE_COOKIE, path=url_for("lti.launch"))
    return response


def _destination(landing: linking.Landing) -> str:
    """The module or campaign placed, or its consent page first when the GP has not joined it."""
    link = landing.link
    if campaigns.enrolment_for(landing.user, link.campaign_slug) is None:
        return url_for("campaigns.join_with_code", code=campaigns.campaign_by_slug(link.campaign_slug).enrolment_code)
    if link.module_slug:
        return url_for("learning.resume", slug=link.campaign_slug, module_slug=link.module_slug)
    return url_for("campaigns.overview", slug=link.campaign_slug)


@bp.post("/lti/deep-link")
@csrf.exempt  # framed by the platform, so without our session: the sealed request stands in for the CSRF token
def deep_link():
    """The instructor's choice, then a page whose button posts the signed response back to the platform."""
    form = _choice_form()
    settings = deep_linking.unsealed(form.choice_request.data or "")
    if not form.validate():
        return _choice_page(form, settings)
    label = dict(form.item.choices)[form.item.data]
    response = current_app.make_response(render_template(
        "lti/deep_link_return.html", return_url=settings["return_url"], label=label,
        token=deep_linking.response_jwt(settings, form.item.data, label)))
    # The one page whose form leaves this site: for the platform's return URL only.
    return _framed_by_platform(response, settings["return_url"], form_action=True)


def _choice_form(**values) -> DeepLinkForm:
    form = DeepLinkForm(**values)
    form.item.choices = deep_linking.placeable()
    return form


def _choice_page(form: DeepLinkForm, settings: dict) -> Response:
    return _framed_by_platform(current_app.make_response(render_template("lti/deep_link.html", form=form)),
                               settings["return_url"])


def _framed_by_platform(response: Response, return_url: str, form_action: bool = False) -> Response:
    """Let the platform that asked (the origin of its signed return URL) frame this page, and no one else."""
    origin = _origin(return_url)
    policy = CSP.replace("frame-ancestors 'none'", f"frame-ancestors {origin}")
    if form_action:
        policy = policy.replace("form-action 'self'", f"form-action {origin}")
    response.headers["Content-Security-Policy"] = policy
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@bp.get("/admin/lti/")
@role_required("admin")
def platforms():
    """The registrations, the addresses an admin enters in the platform's tool settings, and a dynamic
    registration address for platforms that register tools by themselves."""
    return render_template("lti/platforms.html", platforms=services.platforms(),
                           registration_hours=registration.INVITATION_HOURS,
                           registration_url=external_url("lti.dynamic_registration", token=registration.invitation(current_user.id)))


@bp.get("/lti/register/<token>")
def dynamic_registration(token: str):
    """Opened by the platform, in its own frame, with ``openid_configuration`` and ``registration_token``; the
    address's signed invitation says which admin allowed it (our session cookie is not sent to the frame)."""
    configuration_url = request.args.get("openid_configuration", "")
    try:
        admin = db.session.get(User, registration.invited_admin(token))
        if admin is None or admin.role != "admin" or not admin.is_active:
            raise registration.RegistrationRefused("The admin who made this registration address can no longer register platforms.")
        registered = registration.register(configuration_url, request.args.get("registration_token"))
    except registration.RegistrationRefused as error:
        db.session.rollback()
        response = current_app.make_response((render_template("lti/registration_result.html", problem=str(error)), 400))
    else:
        platform = registered.platform
        audit.record(admin, "lti.platform_registered", target=platform.name, issuer=platform.issuer,
                     client_id=platform.client_id, deployments=len(platform.deployments))
        db.session.commit()
        response = current_app.make_response(render_template("lti/registration_result.html", registered=registered))
    return _framed_by_platform(response, configuration_url)


@bp.route("/admin/lti/new", methods=["GET", "POST"], defaults={"platform_id": None})
@bp.route("/admin/lti/<int:platform_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_platform(platform_id: int | None):
    platform = db.get_or_404(LtiPlatform, platform_id) if platform_id else LtiPlatform()
    form = PlatformForm(obj=platform, deployment_ids="\n".join(d.deployment_id for d in platform.deployments))
    if form.validate_on_submit():
        with db.session.no_autoflush:
            for name in ("name", "issuer", "client_id", "auth_login_url", "auth_token_url", "jwks_url"):
                setattr(platform, name, getattr(form, name).data.strip())
            try:
                services.register_platform(platform, form.deployment_list())
            except services.RegistrationError as error:
                db.session.rollback()
                getattr(form, error.field).errors.append(str(error))
            else:
                audit.record(current_user, "lti.platform_saved", target=platform.name, issuer=platform.issuer,
                             client_id=platform.client_id, deployments=len(platform.deployments))
                db.session.commit()
                return redirect(url_for("lti.platforms"))
    return render_template("lti/platform_form.html", form=form, platform=platform)


@bp.get("/educator/campaigns/<slug>/courses")
@role_required("educator")
def course_rosters(slug: str):
    """The campaign's educators see who is in each course that placed it (read from the platform each time)."""
    campaign = access.editable_campaign(current_user, slug) or abort(404)
    return render_template("lti/rosters.html", campaign=campaign,
                           rosters=[roster.course_roster(link) for link in roster.placements(campaign.slug)])
