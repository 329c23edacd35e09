"""Forms for a campaign's evaluation design, its pre-specified outcomes and the sample-size planner."""
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from survey.campaigns.admin_forms import CheckboxesField
from survey.evaluation import retest
from survey.evaluation.services import DESIGNS, OUTCOME_WAVES, Outcome
from survey.web.forms import Form, options

DELAY_MESSAGE = "Enter a whole number of days from 7 to 365."


class DesignForm(Form):
    design = RadioField("Design", choices=options(DESIGNS.items()), default="uncontrolled",
                        validators=[InputRequired("Choose a design.")])
    start_delay_days = IntegerField("Delay for the later group (days)", validators=[Optional(), NumberRange(7, 365, DELAY_MESSAGE)],
                                    description="How long GPs allocated to start later wait before their course opens.")
    stratify_by_cohort = BooleanField("Randomise within each cohort",
                                      description="Keeps the two groups balanced inside every cohort, not only overall.")

    def validate(self, extra_validators=None) -> bool:
        """The delay is optional for an uncontrolled campaign, required for a delayed start (``Optional``
        ends a field's checks when it is empty, so the rule lives here)."""
        valid = super().validate(extra_validators)
        if self.design.data == "delayed-start" and self.start_delay_days.data is None and not self.start_delay_days.errors:
            self.start_delay_days.errors = [*self.start_delay_days.errors, DELAY_MESSAGE]
            return False
        return valid


PERCENT_MESSAGE = (f"Enter a whole percentage from {retest.PERCENT_MIN} to {retest.PERCENT_MAX}, "
                   f"in steps of {retest.PERCENT_STEP}.")
DAYS_MESSAGE = f"Enter a whole number of days from {retest.DAYS_MIN} to {retest.DAYS_MAX}."


class RetestForm(Form):
    retest_enabled = BooleanField("Run a retest for a random subsample",
                                  description="Drawn GPs answer the baseline's rating questions again before opening a "
                                              "module, so the report can show each scale's test-retest ICC.")
    retest_percent = IntegerField("Share of GPs drawn (%)", default=20,
                                  validators=[InputRequired(PERCENT_MESSAGE),
                                              NumberRange(retest.PERCENT_MIN, retest.PERCENT_MAX, PERCENT_MESSAGE)])
    retest_days = IntegerField("Days after their baseline", default=retest.DAYS_DEFAULT,
                               validators=[InputRequired(DAYS_MESSAGE), NumberRange(retest.DAYS_MIN, retest.DAYS_MAX, DAYS_MESSAGE)],
                               description="Long enough that few GPs remember their answers, short enough that few "
                                           "have started the course.")

    def validate_retest_percent(self, field):
        if field.data is not None and field.data % retest.PERCENT_STEP:
            raise ValidationError(PERCENT_MESSAGE)


def outcome_choices(scales) -> list[tuple[str, str]]:
    """Every (scale, time point) an outcome may be, as form values "scale|wave" with readable labels."""
    return [(f"{scale.key}|{wave}", f"{scale.label}, {when}") for wave, when in OUTCOME_WAVES.items() for scale in scales]


def parse_outcome(value: str) -> Outcome:
    scale, wave = value.split("|", 1)
    return Outcome(scale, wave)


class OutcomesForm(Form):
    primary = SelectField("Primary outcome", validators=[InputRequired("Choose the primary outcome.")],
                          description="The one scale, at one time point, that answers the campaign's main question.")
    secondary = CheckboxesField("Secondary outcomes",
                                description="Reported with an adjustment for testing several; leave empty for none.")

    def __init__(self, scales, **kwargs):
        super().__init__(**kwargs)
        choices = outcome_choices(scales)
        self.primary.choices = options([("", "Choose…")] + choices)
        self.secondary.choices = options(choices)

    def validate_primary(self, field):
        if not field.data:
            raise ValidationError("Choose the primary outcome.")

    def outcomes(self) -> tuple[Outcome, list[Outcome]]:
        return parse_outcome(self.primary.data), [parse_outcome(v) for v in self.secondary.data or []]


class PlannerForm(Form):
    """Read from the query string: the planner changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    effect = DecimalField("Expected effect", validators=[InputRequired("Enter the effect you expect."),
                                                         NumberRange(0.01, 100, "Enter an effect above 0 and up to 100.")])
    unit = RadioField("The effect is in", choices=options([("points", "scale points"), ("d", "standard deviations (d)")]),
                      default="points")
    sd = DecimalField("Standard deviation of the scale (points)", default=1,
                      validators=[Optional(), NumberRange(0.01, 100, "Enter a standard deviation above 0 and up to 100.")])
    correlation = DecimalField("Correlation between waves", default=0.5,
                               validators=[InputRequired("Enter the correlation."), NumberRange(0, 0.95, "Enter a correlation from 0 to 0.95.")])
    attrition = IntegerField("Expected attrition (%)", default=20,
                             validators=[InputRequired("Enter the attrition."), NumberRange(0, 80, "Enter a whole percentage from 0 to 80.")])
    power = RadioField("Power", choices=options([("0.8", "80%"), ("0.9", "90%")]), default="0.8")

    def validate(self, extra_validators=None) -> bool:
        """An effect in scale points needs the scale's SD to become d (``Optional`` skips inline checks)."""
        valid = super().validate(extra_validators)
        if self.unit.data == "points" and self.sd.data is None and not self.sd.errors:
            self.sd.errors = [*self.sd.errors, "Enter the standard deviation, or give the effect as d."]
            return False
        return valid
