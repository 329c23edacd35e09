"""Admins: the organisations' OpenID Connect providers offered on the sign-in page."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from survey.audit import services as audit
from survey.extensions import db
from survey.oidc import services
from survey.oidc.forms import ProviderForm
from survey.oidc.models import OidcProvider
from survey.web.access import role_required
from survey.web.urls import external_url

bp = Blueprint("oidc_admin", __name__, url_prefix="/admin/sign-in-providers")


@bp.get("/")
@role_required("admin")
def index():
    return render_template("oidc/providers.html", providers=services.all_providers(),
                           redirect_uri=external_url("oidc.callback"))


def _edit(provider: OidcProvider | None):
    """The same page creates and edits; the secret field is always empty (it is never shown again)."""
    form = ProviderForm(obj=provider)
    if form.validate_on_submit():
        try:
            saved = services.save_provider(provider, form.name.data, form.issuer.data, form.client_id.data,
                                           form.client_secret.data, form.enabled.data)
        except services.ProviderError as error:
            form[error.field].errors.append(error.message)
        else:
            # The secret is never in the audit log: only whether it changed.
            audit.record(current_user, "oidc.provider_saved", f"oidc_provider:{saved.id}", name=saved.name,
                         issuer=saved.issuer, client_id=saved.client_id, enabled=saved.enabled,
                         secret_changed=bool(form.client_secret.data))
            db.session.commit()
            flash(f"Saved the sign-in provider {saved.name}.")
            return redirect(url_for("oidc_admin.index"))
    return render_template("oidc/provider.html", form=form, provider=provider,
                           redirect_uri=external_url("oidc.callback"))


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new():
    return _edit(None)


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@role_required("admin")
def edit(provider_id: int):
    return _edit(db.session.get(OidcProvider, provider_id) or abort(404))
