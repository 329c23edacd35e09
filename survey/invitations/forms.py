"""Uploading a list of people to invite, confirming the preview, and editing the wording of campaign emails."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from survey.invitations.wording import SUBJECT_MAX, TEXT_MAX, Wording, placeholder_problem
from survey.web.forms import Form, options


def cohort_choices(cohorts, whole_campaign: bool):
    """Where invitations may go: the campaign itself (its own educators only) or one of the cohorts."""
    return options(([("", "The campaign (no cohort)")] if whole_campaign else []) + [(c.id, f"Cohort: {c.name}") for c in cohorts])


class UploadForm(Form):
    cohort_id = SelectField("Invite into", coerce=str)
    people = FileField("List of people (CSV)", description="A CSV file whose first row names the columns 'name' and "
                       "'email'; other columns are ignored. At most 2,000 people.",
                       validators=[FileRequired("Choose the CSV file to upload.")])

    def __init__(self, cohorts, whole_campaign: bool, **kwargs):
        super().__init__(**kwargs)
        self.cohort_id.choices = cohort_choices(cohorts, whole_campaign)


class ConfirmForm(Form):
    """The preview's send button; the rows travel as repeated hidden 'name' and 'email' fields."""

    cohort_id = SelectField("Invite into", coerce=str)

    def __init__(self, cohorts, whole_campaign: bool, **kwargs):
        super().__init__(**kwargs)
        self.cohort_id.choices = cohort_choices(cohorts, whole_campaign)


class WordingForm(Form):
    """The editable part of one kind of campaign email; the kind decides which placeholders it may use."""

    subject = StringField("Subject", validators=[DataRequired("Write the subject."), Length(
        max=SUBJECT_MAX, message=f"Keep the subject to {SUBJECT_MAX} characters or fewer.")],
        description="The subject always ends with a colon and the campaign's title, which you cannot remove.")
    text = TextAreaField("Text of the email", render_kw={"rows": 8}, validators=[
        DataRequired("Write the text of the email."),
        Length(max=TEXT_MAX, message=f"Keep the text to {TEXT_MAX:,} characters or fewer.")],
        description="Plain text. The greeting, the link, who is sending and why, and the unsubscribe link are added "
                    "around it and cannot be removed.")

    def __init__(self, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind

    def wording(self) -> Wording:
        """What was typed, as it is kept: trimmed, with the browser's line breaks as plain newlines."""
        return Wording(self.subject.data.strip(), self.text.data.replace("\r\n", "\n").strip())

    def validate_subject(self, field):
        self._check_placeholders(field)

    def validate_text(self, field):
        self._check_placeholders(field)

    def _check_placeholders(self, field):
        problem = placeholder_problem(field.data or "", self.kind)
        if problem:
            raise ValidationError(problem)
