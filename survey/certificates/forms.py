"""The reflection that UK CPD asks for before credits are claimed."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

REFLECTION_MAX = 5000


class ReflectionForm(FlaskForm):
    text = TextAreaField(
        "Your reflection",
        description="What did you learn, and what will you do differently in your consultations? "
                    "This is for your appraisal; it is not used in research reports.",
        validators=[DataRequired("Please write your reflection."),
                    Length(min=20, max=REFLECTION_MAX, message=f"Write between 20 and {REFLECTION_MAX} characters.")],
    )
