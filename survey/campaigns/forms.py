"""Joining a campaign."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    code = StringField("Enrolment code", description="The code your educator or charity gave you, for example 7KQ4-M2XP.",
                       validators=[DataRequired(), Length(max=40)])


class ConsentForm(FlaskForm):
    agree = BooleanField("I have read the information above and agree to take part.",
                         validators=[DataRequired("Please tick to confirm you agree to take part.")])
    research_consent = BooleanField(
        "My answers may be used, without my name, for research and evaluation of this training.", default=True
    )
