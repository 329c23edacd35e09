"""Joining a campaign."""
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from survey.campaigns.fields import CATALOGUE
from survey.nations import NATION_QUESTION, NATIONS
from survey.privacy.consent import RESEARCH_WORDING
from survey.web.forms import Form, options


def nation_field() -> SelectField:
    """The core enrolment question: every campaign asks it, and it is always required."""
    return SelectField(NATION_QUESTION, description="Modules show the referral routes and rules of this nation first.",
                       choices=options([("", "Choose…"), *NATIONS.items()]),
                       validators=[DataRequired("Choose the UK nation you mainly practise in.")])


class NationForm(Form):
    """Changing the nation after joining (on the campaign overview)."""

    nation = nation_field()


class CodeForm(Form):
    code = StringField("Enrolment code", description="The code your educator or charity gave you, for example 7KQ4-M2XP.",
                       validators=[DataRequired(), Length(max=40)])


class ConsentForm(Form):
    agree = BooleanField("I have read the information above and agree to take part.",
                         validators=[DataRequired("Please tick to confirm you agree to take part.")])
    #: Unticked by default: under UK GDPR consent is a clear affirmative act, never a pre-ticked box.
    research_consent = BooleanField(RESEARCH_WORDING, default=False, description=(
        "Optional. You can take the course either way, and change your mind later under 'Your data'."))
    nation = nation_field()

    def profile(self, keys: list[str]) -> dict:
        """The answers to the campaign's enrolment fields, keyed as in the catalogue (None if an
        optional question was left blank)."""
        return {key: None if self[key].data == "" else self[key].data for key in keys}


def consent_form(field_keys: list[str], nation: str | None = None) -> ConsentForm:
    """The consent form with the campaign's enrolment fields (from the catalogue) added, required unless the
    catalogue says otherwise; ``nation`` (from the GP's earlier enrolment) is offered as the default."""

    class CampaignConsentForm(ConsentForm):
        pass

    for key in field_keys:
        spec = CATALOGUE[key]
        if spec.kind == "number":
            message = f"Enter a whole number from {spec.minimum} to {spec.maximum}."
            field = IntegerField(spec.label, description=spec.hint, validators=[
                InputRequired(message), NumberRange(spec.minimum, spec.maximum, message)])
        else:
            required = DataRequired(f"Choose {spec.label[0].lower()}{spec.label[1:]}.") if spec.required else Optional()
            field = SelectField(spec.label, description=spec.hint, choices=options([("", "Choose…"), *spec.choices]),
                                validators=[required])
        setattr(CampaignConsentForm, key, field)
    return CampaignConsentForm(nation=nation) if nation else CampaignConsentForm()
