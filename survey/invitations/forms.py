"""Uploading a list of people to invite, and confirming the preview."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

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
