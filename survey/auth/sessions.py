"""Server-side sign-in sessions: one row per sign-in; the cookie carries only the row's id.

A session ends when its owner signs out (that device) or signs out everywhere, when the account's
``session_token`` rotates (password change, deletion), after ``SESSION_IDLE_MINUTES`` without a
request, or ``SESSION_MAX_HOURS`` after sign-in. Callers commit.
"""
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from survey.auth.models import User, UserSession
from survey.db import utcnow
from survey.extensions import db

#: last_seen_at is written at most this often: one cheap UPDATE a minute per active session.
TOUCH_EVERY = timedelta(minutes=1)


def start_session(user: User) -> UserSession:
    """A new session for ``user`` (a fresh id at every sign-in, so a planted id is worthless)."""
    row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, account_token=user.session_token)
    db.session.add(row)
    db.session.flush()
    user.login_session_id = row.id
    return row


def _expired(row: UserSession, now) -> bool:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return now - row.last_seen_at > idle or now - row.created_at > lifetime


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: the signed-in user of a live session, or None (signed out)."""
    # Session and user in one statement: this runs before every signed-in request.
    found = db.session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                               .where(UserSession.id == session_id)).first() if session_id else None
    if found is None or found.UserSession.ended_at is not None:
        return None
    row, user = found
    now = utcnow()
    if not user.is_active or not secrets.compare_digest(row.account_token, user.session_token):
        return None
    if _expired(row, now):
        _write(update(UserSession).where(UserSession.id == row.id).values(ended_at=now))
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        # Its own short transaction, so a read-only request stays read-only and nothing else is committed.
        _write(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    user.login_session_id = row.id
    return user


def _write(statement) -> None:
    with db.engine.begin() as connection:
        connection.execute(statement)


def end_session(session_id: str | None) -> None:
    """End one session (signing out of this device)."""
    if session_id:
        db.session.execute(update(UserSession).where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def end_all_sessions(user: User) -> int:
    """End every live session of ``user`` (sign out of every device); returns how many ended."""
    result = db.session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                          UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    return result.rowcount


def live_sessions(user: User) -> list[UserSession]:
    """The account's sessions not yet ended, newest first (expired ones included until next seen)."""
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                             UserSession.ended_at.is_(None))
                                   .order_by(UserSession.created_at.desc())))
