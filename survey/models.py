"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""
from survey.audit.models import AuditEvent
from survey.auth.models import GmcClaim, PasswordReset, SignInThrottle, User, UserSession
from survey.campaigns.models import Campaign, CampaignModule, Cohort, Enrolment, campaign_educators, cohort_educators
from survey.certificates.models import Certificate, CertificateBundle
from survey.evaluation.models import Allocation, OutcomeChange, RetestDraw
from survey.instruments.models import InstrumentVersion
from survey.invitations.models import Invitation, MailOptOut, SentMessage
from survey.lti.models import LtiAccount, LtiDeployment, LtiLogin, LtiPlatform, LtiResourceLink, LtiScore
from survey.learning.models import ModuleProgress, ModuleVersion, PageView, QuizAttempt, Reflection, ReflectionNote
from survey.oidc.models import OidcIdentity, OidcProvider
from survey.organisations.models import Organisation
from survey.privacy.models import ConsentRecord
from survey.reports.models import ReportRelease
from survey.surveys.models import Answer, Response

__all__ = [
    "Allocation", "Answer", "AuditEvent", "GmcClaim", "SignInThrottle", "UserSession", "Campaign", "CampaignModule",
    "Certificate", "CertificateBundle", "Cohort", "ConsentRecord", "Enrolment", "InstrumentVersion",
    "Invitation", "LtiAccount", "LtiDeployment", "LtiLogin", "LtiPlatform", "LtiResourceLink", "LtiScore",
    "MailOptOut", "ModuleProgress", "ModuleVersion", "OidcIdentity", "OidcProvider", "Organisation", "OutcomeChange",
    "PageView", "PasswordReset",
    "QuizAttempt", "Reflection", "ReflectionNote", "ReportRelease", "Response", "RetestDraw", "SentMessage", "User", "campaign_educators", "cohort_educators",
]
