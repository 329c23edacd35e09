"""OpenID Connect providers an admin configured, and the provider identities linked to accounts."""
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import TimestampMixin
from survey.extensions import db


class OidcProvider(TimestampMixin, db.Model):
    """An organisation's OpenID Connect provider, shown as a "Sign in with <name>" button when enabled."""

    __tablename__ = "oidc_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))  #: on the button: "Sign in with <name>"
    #: The issuer identifier; its discovery document is at <issuer>/.well-known/openid-configuration.
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    #: The client secret encrypted with a key derived from SECRET_KEY (see ``survey.oidc.secret_box``).
    client_secret_encrypted: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(default=True)


class OidcIdentity(TimestampMixin, db.Model):
    """A provider's account (its ``sub``) linked to one of ours: signing in with it signs in as ``user``."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("oidc_providers.id", ondelete="CASCADE"))
    #: The provider's ``sub`` claim: stable and unique per provider, unlike the email address.
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()
