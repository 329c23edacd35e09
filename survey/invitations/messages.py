"""The emails we send about campaigns, built from templates, each with a link to unsubscribe."""
from dataclasses import dataclass

from flask import current_app, render_template
from itsdangerous import BadSignature, URLSafeSerializer

from survey.web.text import one_line
from survey.web.urls import external_url


@dataclass(frozen=True)
class Message:
    """One email and the ledger key that makes sure it goes out once."""

    key: str
    kind: str  #: invitation, reminder, follow_up, second_baseline or retest
    to: str
    subject: str
    body: str
    enrolment_id: int | None = None
    invitation_id: int | None = None


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _loads(purpose: str, token: str, kind: type):
    try:
        value = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, kind) else None


def unsubscribe_token(email: str) -> str:
    """A signed token naming the address: the unsubscribe link works without signing in, and cannot be forged."""
    return _serializer("unsubscribe").dumps(email.lower())


def email_of_unsubscribe_token(token: str) -> str | None:
    return _loads("unsubscribe", token, str)


def invitation_token(invitation_id: int) -> str:
    """The secret part of an invitation link: the invitation's id, signed."""
    return _serializer("invitation").dumps(invitation_id)


def invitation_id_of_token(token: str) -> int | None:
    return _loads("invitation", token, int)


def compose(key: str, kind: str, to: str, subject: str, template: str, enrolment_id: int | None = None,
            invitation_id: int | None = None, **context) -> Message:
    """Render ``templates/invitations/<template>`` with the unsubscribe link every message carries."""
    unsubscribe = external_url("invitations.unsubscribe", token=unsubscribe_token(to))
    body = render_template(f"invitations/{template}", unsubscribe=unsubscribe, **context)
    # A title stored before line breaks were refused must not break the Subject header (and the send).
    return Message(key=key, kind=kind, to=to, subject=one_line(subject), body=body,
                   enrolment_id=enrolment_id, invitation_id=invitation_id)
