"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""
from survey.audit.models import AuditEvent
from survey.auth.models import PasswordReset, User
from survey.campaigns.models import Campaign, CampaignModule, Cohort, Enrolment, campaign_educators, cohort_educators
from survey.certificates.models import Certificate
from survey.instruments.models import InstrumentVersion
from survey.invitations.models import Invitation, MailOptOut, SentMessage
from survey.learning.models import ModuleProgress, ModuleVersion, PageView, QuizAttempt, Reflection
from survey.organisations.models import Organisation
from survey.reports.models import ReportRelease
from survey.surveys.models import Answer, Response

__all__ = [
    "Answer", "AuditEvent", "Campaign", "CampaignModule", "Certificate", "Cohort", "Enrolment", "InstrumentVersion",
    "Invitation", "MailOptOut", "ModuleProgress", "ModuleVersion", "Organisation", "PageView", "PasswordReset",
    "QuizAttempt", "Reflection", "ReportRelease", "Response", "SentMessage", "User", "campaign_educators", "cohort_educators",
]
