"""Forms for managing campaigns and cohorts."""
from flask import current_app
from wtforms import DateField, EmailField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from survey.campaigns.admin_services import CampaignSettings
from survey.campaigns.fields import CATALOGUE
from survey.codes import is_number_text
from survey.web.forms import Form, options


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes, one per choice; values are ids or keys."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _days(label: str, lowest: int, highest: int, hint: str) -> IntegerField:
    message = f"Enter a whole number of days from {lowest} to {highest}."
    return IntegerField(label, description=hint, validators=[InputRequired(message), NumberRange(lowest, highest, message)])


class CampaignForm(Form):
    organisation_id = SelectField("Run by", coerce=str, description="The charity that commissions it, or the platform itself.")
    title = StringField("Title", validators=[DataRequired("Give the campaign a title."), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    instrument_slug = SelectField("Survey instrument", validators=[DataRequired("Choose the survey.")])
    opens_on = DateField("Enrolment opens on", validators=[Optional()], description="Leave empty to open now.")
    closes_on = DateField("Enrolment closes on", validators=[Optional()], description="The last day GPs may join; leave empty for no end.")
    post_delay_days = IntegerField(
        "Post-course survey after (days)",
        description="Days after the last module before the post-course survey opens; empty or 0 opens it at once. "
                    "A delay of about 7 days measures what lasts rather than the immediate afterglow.",
        validators=[Optional(), NumberRange(0, 90, "Enter a whole number of days from 0 to 90.")])
    follow_up_days = _days("Follow-up after (days)", 1, 730, "Days after the post-course survey when the follow-up survey opens.")
    reminder_days = _days("Remind after (days)", 1, 90, "Days without progress on a step before a GP gets one reminder.")
    certificate_rule = SelectField("Certificates", choices=options([("campaign", "One certificate for the whole campaign"),
                                                                    ("module", "One certificate per completed module")]))
    validity_months = IntegerField(
        "Certificates valid for (months)",
        description="Leave empty for certificates that never expire. GPs are reminded before expiry and may repeat the course for a new certificate.",
        validators=[Optional(), NumberRange(1, 120, "Enter a whole number of months from 1 to 120, or leave it empty.")])
    min_cell_size = IntegerField("Smallest group shown to the charity",
                                 description="Groups smaller than this are hidden in charity reports; it may be raised, never lowered.",
                                 validators=[InputRequired("Enter a whole number.")])
    enrolment_fields = CheckboxesField("Questions asked when GPs join",
                                       choices=options((key, field.label) for key, field in CATALOGUE.items()))
    consent_text = TextAreaField("Consent text", description="Changing it makes a new consent version; GPs who already agreed keep theirs.",
                                 validators=[DataRequired("Write the text GPs agree to."), Length(max=10000)])
    consent_version = StringField("Consent version", default="1", validators=[DataRequired(), Length(max=20)])
    educator_ids = CheckboxesField("Educators", coerce=int)
    add_educator = EmailField("Add another educator by email", validators=[Optional(), Length(max=254)],
                              description="Only educators you already work with are listed; add anyone else by their exact address.")

    def __init__(self, organisations, instruments, modules, educators, **kwargs):
        super().__init__(**kwargs)
        self.organisation_id.choices = options([("", "The platform")] + [(o.id, o.name) for o in organisations])
        self.instrument_slug.choices = options((slug, i.title) for slug, i in instruments.items())
        self.educator_ids.choices = options((u.id, f"{u.name} ({u.email})") for u in educators)
        self.module_titles = {slug: m.title for slug, m in modules.items()}
        self.module_positions: dict[str, str] = {}
        self.module_errors: list[str] = []

    def validate_min_cell_size(self, field):
        floor = current_app.config["MIN_CELL_SIZE"]
        if field.data is not None and not floor <= field.data <= 1000:
            raise ValidationError(f"Use a number from {floor} (the platform's minimum) to 1000.")

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("The closing date must be on or after the opening date.")

    def read_modules(self, formdata) -> list[str]:
        """Module slugs in study order from the position boxes ("1", "2", ... ; empty = not in the campaign)."""
        self.module_positions = {slug: formdata.get(f"module-{slug}", "").strip() for slug in self.module_titles}
        chosen = {}
        for slug, text in self.module_positions.items():
            if not text:
                continue
            if not is_number_text(text) or not 1 <= int(text) <= 99:
                self.module_errors.append(f"{self.module_titles[slug]}: use a whole number from 1 to 99.")
            elif int(text) in chosen:
                self.module_errors.append(f"{self.module_titles[slug]}: two modules have position {text}.")
            else:
                chosen[int(text)] = slug
        if not chosen and not self.module_errors:
            self.module_errors.append("Choose at least one module by giving it a position.")
        return [chosen[p] for p in sorted(chosen)]

    def show_modules(self, slugs: list[str]) -> None:
        self.module_positions = {slug: str(slugs.index(slug) + 1) if slug in slugs else "" for slug in self.module_titles}

    def settings(self, module_slugs: list[str]) -> CampaignSettings:
        return CampaignSettings(
            title=self.title.data.strip(), description=(self.description.data or "").strip(),
            organisation_id=int(self.organisation_id.data) if self.organisation_id.data else None,
            module_slugs=module_slugs, instrument_slug=self.instrument_slug.data, opens_on=self.opens_on.data,
            closes_on=self.closes_on.data, follow_up_days=self.follow_up_days.data,
            post_delay_days=self.post_delay_days.data or 0, reminder_days=self.reminder_days.data,
            certificate_rule=self.certificate_rule.data, min_cell_size=self.min_cell_size.data,
            validity_months=self.validity_months.data,
            enrolment_fields=[k for k in CATALOGUE if k in (self.enrolment_fields.data or [])],
            consent_text=self.consent_text.data.strip(), educator_ids=self.educator_ids.data or [],
        )


class CohortForm(Form):
    name = StringField("Cohort name", description="For example a training scheme, a region or a practice network.",
                       validators=[DataRequired("Give the cohort a name."), Length(max=200)])
    educator_ids = CheckboxesField("Educators", coerce=int)
    add_educator = EmailField("Add another educator by email", validators=[Optional(), Length(max=254)],
                              description="Only educators you already work with are listed; add anyone else by their exact address.")

    def __init__(self, educators, **kwargs):
        super().__init__(**kwargs)
        self.educator_ids.choices = options((u.id, f"{u.name} ({u.email})") for u in educators)


class CloseForm(Form):
    """An empty form: the button and its CSRF token."""
