"""Registered LTI platforms, their deployments, pending logins, linked accounts, resource links and scores."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.auth.models import User
from survey.db import TimestampMixin
from survey.extensions import db


class LtiPlatform(TimestampMixin, db.Model):
    """A learning platform an admin registered: what the spec calls the platform's registration of this tool."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(255))  #: the ``iss`` of its ID tokens
    client_id: Mapped[str] = mapped_column(String(255))  #: the ``aud`` it gives this tool
    auth_login_url: Mapped[str] = mapped_column(String(500))  #: its OIDC authorisation endpoint
    auth_token_url: Mapped[str] = mapped_column(String(500))  #: its OAuth 2 token endpoint (services)
    jwks_url: Mapped[str] = mapped_column(String(500))  #: its public keys

    deployments: Mapped[list["LtiDeployment"]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="LtiDeployment.deployment_id")


class LtiDeployment(db.Model):
    """One installation of the tool on the platform; a launch naming any other deployment is refused."""

    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str] = mapped_column(String(255))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiLogin(db.Model):
    """A login the platform started: its state and nonce, each good for one launch, for a few minutes."""

    __tablename__ = "lti_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)  #: SHA-256 of the state; the browser holds it
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    target_link_uri: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  #: set by the launch that spent it; a second launch is refused


class LtiAccount(TimestampMixin, db.Model):
    """The link between a platform's user (``sub``) and our account, made on their first launch."""

    __tablename__ = "lti_accounts"
    __table_args__ = (UniqueConstraint("platform_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class LtiResourceLink(TimestampMixin, db.Model):
    """A placement of a campaign (or one of its modules) in a platform's course, as last launched."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (UniqueConstraint("platform_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str] = mapped_column(String(255))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str | None] = mapped_column(String(255))
    campaign_slug: Mapped[str] = mapped_column(String(80))
    module_slug: Mapped[str | None] = mapped_column(String(80))  #: None: the whole campaign
    #: The Assignment and Grade Services line item scores go to (None: the platform offers no gradebook).
    lineitem_url: Mapped[str | None] = mapped_column(String(500))
    ags_scopes: Mapped[list] = mapped_column(JSON, default=list)
    #: The Names and Role Provisioning Services roster URL of the course, when the platform offers it.
    memberships_url: Mapped[str | None] = mapped_column(String(500))

    platform: Mapped[LtiPlatform] = relationship()


class LtiScore(db.Model):
    """A score sent to a line item; ``accepted_at`` is set only when the platform answered 2xx."""

    __tablename__ = "lti_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_id: Mapped[int] = mapped_column(ForeignKey("lti_resource_links.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("lti_accounts.id", ondelete="CASCADE"), index=True)
    score_given: Mapped[int]
    score_maximum: Mapped[int]
    attempted_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)  #: why the platform did not take it
