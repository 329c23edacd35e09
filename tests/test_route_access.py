"""Every route of the app against an explicit table of who gets which status code.

A route without an entry in ACCESS fails the suite: add one line per route (key: the endpoint, or
``endpoint#variant`` when one endpoint has several routes), with the status each role gets (anonymous, gp, educator, charity, admin). Placeholders in paths come from
tests/access_world.py. Endpoints that take GET are checked with GET; POST-only ones with an empty
POST (with a CSRF token), which must never reach more than the rules allow.
"""
from dataclasses import dataclass

import pytest

from tests.access_world import MODULE, ROLES, build_world
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Rule:
    path: str
    anonymous: int
    gp: int
    educator: int
    charity: int
    admin: int
    method: str = "GET"


def post(path, *statuses) -> Rule:
    return Rule(path, *statuses, method="POST")


# Reading the columns: 302 for anonymous is "sign in first"; 403 is a role that may never see the page;
# 404 is a role that may, but has nothing there (an admin is enrolled in no campaign).
ACCESS: dict[str, Rule] = {
    #                                  path                                        anon  gp  educ char admin
    "web.healthz": Rule("/healthz", 200, 200, 200, 200, 200),
    "auth.login": Rule("/login", 200, 200, 200, 200, 200),
    "auth.register": Rule("/register", 200, 200, 200, 200, 200),
    "auth.logout": post("/logout", 302, 302, 302, 302, 302),
    "auth.request_reset": Rule("/reset-password", 200, 200, 200, 200, 200),
    "auth.reset": Rule("/reset-password/not-a-token", 200, 200, 200, 200, 200),
    "auth.check_email": Rule("/register/check-email", 200, 200, 200, 200, 200),
    "auth.confirm": Rule("/confirm-email/not-a-token", 200, 200, 200, 200, 200),
    "auth.resend_confirmation": Rule("/confirm-email", 200, 200, 200, 200, 200),
    "auth.session_list": Rule("/sessions", 302, 200, 200, 200, 200),
    "auth.sign_out_everywhere": post("/sessions/end-all", 302, 302, 302, 302, 302),
    # No such provider, and no sign-in under way: both go back to the sign-in page with a message.
    "oidc.start": Rule("/login/oidc/999999", 302, 302, 302, 302, 302),
    "oidc.callback": Rule("/login/oidc/callback", 302, 302, 302, 302, 302),
    "campaigns.home": Rule("/", 200, 200, 302, 200, 302),
    "campaigns.join": Rule("/join", 200, 200, 200, 200, 200),
    "campaigns.join_with_code": Rule("/join/{code}", 200, 200, 200, 200, 200),
    "campaigns.overview": Rule("/c/{campaign}", 302, 200, 403, 403, 404),
    "campaigns.change_nation": post("/c/{campaign}/nation", 302, 400, 403, 403, 404),
    "surveys.resume": Rule("/c/{campaign}/survey/pre", 302, 302, 403, 403, 404),
    "surveys.page": Rule("/c/{campaign}/survey/pre/1", 302, 200, 403, 403, 404),
    "learning.resume": Rule("/c/{campaign}/m/{module}", 302, 302, 403, 403, 404),
    "learning.page": Rule("/c/{campaign}/m/{module}/1", 302, 302, 403, 403, 404),
    "learning.note": post("/c/{campaign}/m/{module}/1/notes/1", 302, 302, 403, 403, 404),
    "learning.study_time": post("/c/{campaign}/m/{module}/time", 302, 302, 403, 403, 404),
    "learning.check": Rule("/c/{campaign}/m/{module}/check", 302, 302, 403, 403, 404),
    "learning.figure": Rule("/modules/{module}/figures/fit-note-outcomes-2018.svg", 302, 200, 200, 200, 200),
    "certificates.reflection": Rule("/c/{campaign}/reflection", 302, 302, 403, 403, 404),
    "certificates.reflection#module": Rule("/c/{campaign}/m/{module}/reflection", 302, 404, 403, 403, 404),
    "certificates.certificate": Rule("/c/{campaign}/certificate", 302, 302, 403, 403, 404),
    "certificates.certificate#module": Rule("/c/{campaign}/m/{module}/certificate", 302, 404, 403, 403, 404),
    "certificates.certificate_pdf": Rule("/c/{campaign}/certificate.pdf", 302, 404, 403, 403, 404),
    "certificates.certificate_pdf#module": Rule("/c/{campaign}/m/{module}/certificate.pdf", 302, 404, 403, 403, 404),
    "certificates.renew": post("/c/{campaign}/certificate/renew", 302, 302, 403, 403, 404),
    "certificates.renew#module": post("/c/{campaign}/m/{module}/certificate/renew", 302, 404, 403, 403, 404),
    "certificates.verify": Rule("/verify/AAAAABBBBBCCCCCDDDDD", 404, 404, 404, 404, 404),
    "educator.index": Rule("/educator/", 302, 403, 200, 403, 200),
    "educator.campaign": Rule("/educator/campaigns/{campaign}", 302, 403, 200, 403, 200),
    "manage.index": Rule("/manage/", 302, 403, 200, 403, 200),
    "manage.new_campaign": Rule("/manage/campaigns/new", 302, 403, 200, 403, 200),
    "manage.campaign": Rule("/manage/campaigns/{campaign}", 302, 403, 200, 403, 200),
    "manage.edit_campaign": Rule("/manage/campaigns/{campaign}/edit", 302, 403, 200, 403, 200),
    "local_routes.edit": Rule("/manage/campaigns/{campaign}/local-routes", 302, 403, 200, 403, 200),
    "evaluation.settings": Rule("/manage/campaigns/{campaign}/evaluation", 302, 403, 200, 403, 200),
    "evaluation.design": post("/manage/campaigns/{campaign}/evaluation/design", 302, 403, 422, 403, 422),
    "evaluation.outcomes": post("/manage/campaigns/{campaign}/evaluation/outcomes", 302, 403, 422, 403, 422),
    "evaluation.retest": post("/manage/campaigns/{campaign}/evaluation/retest", 302, 403, 422, 403, 422),
    "evaluation.planner": Rule("/manage/campaigns/{campaign}/planner", 302, 403, 200, 403, 200),
    "manage.close_campaign": post("/manage/campaigns/{campaign}/close", 302, 403, 302, 403, 302),
    "manage.confirm_close": Rule("/manage/campaigns/{campaign}/close", 302, 403, 200, 403, 200),
    "manage.reopen_campaign": post("/manage/campaigns/{campaign}/reopen", 302, 403, 302, 403, 302),
    "manage.new_cohort": Rule("/manage/campaigns/{campaign}/cohorts/new", 302, 403, 200, 403, 200),
    "manage.cohort": Rule("/manage/cohorts/{cohort}", 302, 403, 200, 403, 200),
    "manage.edit_cohort": Rule("/manage/cohorts/{cohort}/edit", 302, 403, 200, 403, 200),
    "invitations.upload": Rule("/manage/campaigns/{campaign}/invitations", 302, 403, 200, 403, 200),
    "invitations.remind_stopped": Rule("/manage/campaigns/{campaign}/remind", 302, 403, 200, 403, 200),
    "invitations.emails": Rule("/manage/campaigns/{campaign}/emails", 302, 403, 200, 403, 200),
    "invitations.edit_email": Rule("/manage/campaigns/{campaign}/emails/invitation", 302, 403, 200, 403, 200),
    "invitations.send": post("/manage/campaigns/{campaign}/invitations/send", 302, 403, 400, 403, 400),
    "invitations.follow": Rule("/invite/{invite}", 302, 302, 302, 302, 302),
    "invitations.unsubscribe": Rule("/unsubscribe/{unsubscribe}", 200, 200, 200, 200, 200),
    "organisations.index": Rule("/manage/organisations", 302, 403, 403, 403, 200),
    "organisations.new": Rule("/manage/organisations/new", 302, 403, 403, 403, 200),
    "organisations.edit": Rule("/manage/organisations/{organisation}/edit", 302, 403, 403, 403, 200),
    "organisations.logo": Rule("/organisations/{organisation}/logo", 302, 200, 200, 200, 200),
    "privacy.index": Rule("/account/", 302, 200, 403, 403, 200),
    "privacy.export_json": Rule("/account/export.json", 302, 200, 403, 403, 200),
    "privacy.export_csv": Rule("/account/export.csv", 302, 200, 403, 403, 200),
    "privacy.withdraw": Rule("/account/withdraw/{campaign}", 302, 200, 403, 403, 404),
    "privacy.give_consent": post("/account/consent/{campaign}", 302, 302, 403, 403, 404),
    "privacy.notice": Rule("/privacy", 200, 200, 200, 200, 200),
    "privacy.accessibility": Rule("/accessibility", 200, 200, 200, 200, 200),
    "privacy.contact": Rule("/contact", 200, 200, 200, 200, 200),
    "privacy.delete": Rule("/account/delete", 302, 200, 403, 403, 200),
    "admin.users": Rule("/admin/users", 302, 403, 403, 403, 200),
    "admin.user": Rule("/admin/users/{user}", 302, 403, 403, 403, 200),
    "admin.details": post("/admin/users/{user}/details", 302, 403, 403, 403, 200),
    "admin.send_reset": post("/admin/users/{user}/reset", 302, 403, 403, 403, 302),
    "admin.disable": post("/admin/users/{user}/disable", 302, 403, 403, 403, 302),
    "admin.enable": post("/admin/users/{user}/enable", 302, 403, 403, 403, 302),
    "admin.delete": Rule("/admin/users/{user}/delete", 302, 403, 403, 403, 200),
    "admin.new_user": Rule("/admin/users/new", 302, 403, 403, 403, 200),
    "admin.audit": Rule("/admin/audit", 302, 403, 403, 403, 200),
    "oidc_admin.index": Rule("/admin/sign-in-providers/", 302, 403, 403, 403, 200),
    "oidc_admin.new": Rule("/admin/sign-in-providers/new", 302, 403, 403, 403, 200),
    "oidc_admin.edit": Rule("/admin/sign-in-providers/999999", 302, 403, 403, 403, 404),
    "gmc_claims.index": Rule("/admin/gmc-claims/", 302, 403, 403, 403, 200),
    "gmc_claims.resolve": post("/admin/gmc-claims/999999", 302, 403, 403, 403, 404),
    "surveys.autosave": post("/c/{campaign}/survey/pre/1/autosave", 302, 200, 403, 403, 404),
    "catalogue.catalogue": Rule("/modules", 302, 200, 200, 403, 200),
    "catalogue.campaign_catalogue": Rule("/c/{campaign}/modules", 302, 200, 403, 403, 404),
    "learning.references": Rule("/c/{campaign}/m/{module}/references", 302, 302, 403, 403, 404),
    "preview.index": Rule("/educator/modules/", 302, 403, 200, 403, 200),
    "preview.page": Rule("/educator/modules/{module}/1", 302, 403, 200, 403, 200),
    "preview.check": Rule("/educator/modules/{module}/check", 302, 403, 200, 403, 200),
    "preview.references": Rule("/educator/modules/{module}/references", 302, 403, 200, 403, 200),
    "instruments.index": Rule("/educator/instruments/", 302, 403, 200, 403, 200),
    "instruments.versions": Rule("/educator/instruments/gp-work-health-attitudes", 302, 403, 200, 403, 200),
    "instruments.preview": Rule("/educator/instruments/gp-work-health-attitudes/1/pre", 302, 403, 200, 403, 200),
    "reports.codebook": Rule("/educator/instruments/gp-work-health-attitudes/1/codebook", 302, 403, 200, 403, 200),
    "certificates.verify_form": Rule("/verify", 200, 200, 200, 200, 200),
    "certificate_admin.index": Rule("/admin/certificates/", 302, 403, 403, 403, 200),
    "certificate_admin.detail": Rule("/admin/certificates/AAAAABBBBBCCCCCDDDDD", 302, 403, 403, 403, 404),
    "certificate_bundles.start": post("/educator/campaigns/{campaign}/certificates/zip", 302, 403, 302, 403, 302),
    # Only the staff member who asked sees a ZIP job; there is none with this id in this world.
    "certificate_bundles.progress": Rule("/educator/campaigns/{campaign}/certificates/zip/999999", 302, 403, 404, 403, 404),
    "certificate_bundles.download": Rule("/educator/campaigns/{campaign}/certificates/zip/999999/download",
                                         302, 403, 404, 403, 404),
    "record.my_learning": Rule("/my-learning", 302, 200, 403, 403, 200),
    "record.log_pdf": Rule("/my-learning/log.pdf", 302, 200, 403, 403, 200),
    "record.log_csv_export": Rule("/my-learning/log.csv", 302, 200, 403, 403, 200),
    "record.year": Rule("/my-learning/year", 302, 200, 403, 403, 200),
    "record.year#file": Rule("/my-learning/year.pdf", 302, 200, 403, 403, 200),
    "record.evidence_pdf": Rule("/my-learning/evidence/AAAAABBBBBCCCCCDDDDD.pdf", 302, 404, 403, 403, 404),
    "badges.issuer": Rule("/badges/issuer", 200, 200, 200, 200, 200),
    "badges.keys": Rule("/badges/keys.json", 200, 200, 200, 200, 200),
    "badges.status_list": Rule("/badges/status/revocation/no-such-key", 404, 404, 404, 404, 404),
    "badges.my_badge": Rule("/my-learning/badge/AAAAABBBBBCCCCCDDDDD.jwt", 302, 404, 403, 403, 404),
    "badges.public_badge": Rule("/verify/AAAAABBBBBCCCCCDDDDD/badge.jwt", 404, 404, 404, 404, 404),
    # LTI: the platform's own requests carry no session; without a registered platform's launch they are refused.
    "lti.jwks": Rule("/lti/jwks.json", 200, 200, 200, 200, 200),
    "lti.login": Rule("/lti/login", 400, 400, 400, 400, 400),
    "lti.launch": post("/lti/launch", 400, 400, 400, 400, 400),
    "lti.deep_link": post("/lti/deep-link", 400, 400, 400, 400, 400),
    "lti.platforms": Rule("/admin/lti/", 302, 403, 403, 403, 200),
    "lti.edit_platform": Rule("/admin/lti/new", 302, 403, 403, 403, 200),
    "lti.edit_platform#existing": Rule("/admin/lti/987654", 302, 403, 403, 403, 404),
    "lti.dynamic_registration": Rule("/lti/register/not-a-token", 400, 400, 400, 400, 400),
    "lti.course_rosters": Rule("/educator/campaigns/{campaign}/courses", 302, 403, 200, 403, 200),
    "reports.educator_report": Rule("/educator/campaigns/{campaign}/report", 302, 403, 200, 403, 200),
    "reports.educator_report#cohort": Rule("/educator/campaigns/{campaign}/cohorts/{cohort}/report",
                                           302, 403, 200, 403, 200),
    "reports.educator_pdf": Rule("/educator/campaigns/{campaign}/report.pdf", 302, 403, 200, 403, 200),
    "reports.educator_pdf#cohort": Rule("/educator/campaigns/{campaign}/cohorts/{cohort}/report.pdf",
                                        302, 403, 200, 403, 200),
    "reports.export": Rule("/educator/campaigns/{campaign}/export/long.csv", 302, 403, 200, 403, 200),
    "reports.export#cohort": Rule("/educator/campaigns/{campaign}/cohorts/{cohort}/export/long.csv",
                                  302, 403, 200, 403, 200),
    "reports.charity_index": Rule("/charity/reports", 302, 403, 403, 200, 200),
    "reports.charity_report": Rule("/charity/reports/{campaign}", 302, 403, 403, 200, 200),
    # The world's campaign has no published release: its charity PDF and CSV do not exist yet.
    "reports.charity_pdf": Rule("/charity/reports/{campaign}/report.pdf", 302, 403, 403, 404, 404),
    "reports.charity_csv": Rule("/charity/reports/{campaign}/summary.csv", 302, 403, 403, 404, 404),
    "reports.publish": post("/educator/campaigns/{campaign}/releases", 302, 403, 302, 403, 302),
    "reports_api.campaign_report": Rule("/api/v1/campaigns/{campaign}/report", 401, 403, 200, 404, 200),
}
UNCHECKED = {"static"}  #: served by Flask itself, public by design
SAMPLE = {"campaign": "c", "code": "C0DE", "cohort": "1", "module": MODULE, "organisation": "1", "user": "1",
          "invite": "token", "unsubscribe": "token"}


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


def _reached(app) -> dict[str, str]:
    """The URL rule each ACCESS entry's path reaches, checking it belongs to the entry's endpoint."""
    adapter = app.url_map.bind("localhost")
    reached = {}
    for key, rule in ACCESS.items():
        matched, _ = adapter.match(rule.path.format(**SAMPLE), method=rule.method, return_rule=True)
        assert matched.endpoint == key.split("#")[0], f"{rule.path} reaches {matched.endpoint}, not {key}"
        reached[key] = matched.rule
    return reached


def test_every_route_has_an_access_rule(app):
    """Each URL rule of the app (an endpoint may have several, e.g. campaign and module variants) has an entry."""
    routes = {(rule.endpoint, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint not in UNCHECKED}
    covered = {(key.split("#")[0], path) for key, path in _reached(app).items()}
    missing = sorted(f"{endpoint} {path}" for endpoint, path in routes - covered)
    assert not missing, f"No access rule for route(s) {', '.join(missing)}: add them to ACCESS in {__file__}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_in_the_table(app, make_client, role):
    values, users = build_world()
    client = make_client()
    if role != "anonymous":
        client.login(users[role].email, PASSWORD)
    wrong = []
    # Signing out last, so it does not sign the client out of the other checks.
    last = ("auth.sign_out_everywhere", "auth.logout")
    for endpoint, rule in sorted(ACCESS.items(), key=lambda item: last.index(item[0]) + 1 if item[0] in last else 0):
        url = rule.path.format(**values)
        response = client.get(url) if rule.method == "GET" else client.post(url)
        response.close()
        if response.status_code != getattr(rule, role):
            wrong.append(f"{endpoint} {rule.method} {url}: expected {getattr(rule, role)}, got {response.status_code}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(app):
    """A POST with no CSRF token never reaches a view, on every route that accepts POST."""
    raw = app.test_client()
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) > 10
    for rule in posts:
        path = rule.rule.replace("<int:", "<").replace("<", "{").replace(">", "}").format(
            **{**SAMPLE, "slug": "c", "module_slug": MODULE, "page": "1", "wave": "pre", "cohort_id": "1",
               "code": "C0DE", "token": "t", "kind": "long.csv", "user_id": "1", "organisation_id": "1",
               "claim_id": "1", "box": "1", "provider_id": "1", "platform_id": "1"})
        response = raw.post(path, data={"anything": "x"})
        assert response.status_code == 400, f"{rule.rule}: {response.status_code}"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
