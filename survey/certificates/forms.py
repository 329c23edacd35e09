"""The reflection that UK CPD asks for before credits are claimed; verifying and revoking certificates;
choosing an appraisal year."""
from datetime import date

from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from survey.certificates.reflection_prompts import ANSWER_MAX, ANSWER_MIN, PROMPTS, Prompt
from survey.certificates.services import CODE_LENGTH
from survey.codes import normalise_code
from survey.web.forms import Form

REFLECTION_MAX = 5000


def _answer(prompt: Prompt) -> TextAreaField:
    length = Length(min=ANSWER_MIN if prompt.required else 0, max=ANSWER_MAX,
                    message=f"Write between {ANSWER_MIN} and {ANSWER_MAX} characters."
                    if prompt.required else f"Keep this under {ANSWER_MAX} characters.")
    required = [DataRequired(f"Please answer \u201c{prompt.question}\u201d (at least {ANSWER_MIN} characters).")]
    return TextAreaField(prompt.question, description=prompt.hint + ("" if prompt.required else " Optional."),
                         validators=(required if prompt.required else [Optional()]) + [length])


class ReflectionForm(Form):
    """The structured reflection (reflection_prompts.py): three required answers, one optional."""

    learned = _answer(PROMPTS[0])
    change = _answer(PROMPTS[1])
    next_steps = _answer(PROMPTS[2])
    impact = _answer(PROMPTS[3])

    def answers(self) -> dict[str, str]:
        return {prompt.key: getattr(self, prompt.key).data or "" for prompt in PROMPTS}


class VerifyForm(Form):
    """An appraiser types a certificate code; case, spaces and hyphens do not matter."""

    class Meta:
        csrf = False  # a public look-up that changes nothing, sent by GET; tokens would only expire

    code = StringField(
        "Certificate code", description="20 letters and digits, as printed on the certificate, e.g. ABCDE-FGHJK-MNPQR-STUVW.",
        validators=[DataRequired("Please type the certificate code.")],
    )

    def validate_code(self, field):
        if len(normalise_code(field.data)) != CODE_LENGTH:
            raise ValidationError(f"A certificate code has {CODE_LENGTH} letters and digits; "
                                  f"this one has {len(normalise_code(field.data))}. Check it against the certificate.")


class RevokeForm(Form):
    reason = TextAreaField(
        "Reason for revoking", description="Recorded in the audit log with your name. It is not shown on the public page.",
        validators=[DataRequired("Please give the reason for revoking this certificate."),
                    Length(max=2000, message="Keep the reason under 2000 characters.")],
    )
    #: Pressed only on the confirmation page: the first submit shows what revoking does and asks again.
    confirm = SubmitField("Revoke the certificate")


class AppraisalYearForm(Form):
    """The first day of the GP's appraisal year (appraisal years start on each doctor's own date)."""

    class Meta:
        csrf = False  # a GET that only chooses what to show

    start = DateField("First day of your appraisal year",
                      description="For example 1 April 2026. The summary covers the 12 months from this day.",
                      validators=[InputRequired("Please give the first day of your appraisal year, as a date.")])

    def validate_start(self, field):
        if field.data is not None and not date(1990, 1, 1) <= field.data <= date.today():
            raise ValidationError("Please give a date between 1 January 1990 and today.")
