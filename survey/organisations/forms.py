"""Organisation form."""
from flask_wtf.file import FileField
from wtforms import ColorField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from survey.web.forms import Form


class OrganisationForm(Form):
    name = StringField("Name", validators=[DataRequired("Give the organisation's name."), Length(max=200)])
    #: A colour picker; the value is still checked as hex, since any client can send any text.
    colour = ColorField("Brand colour", default="#0b6b66",
                        description="Pick the colour. In the picker you can also type its six-digit hex code, for example #0b6b66.",
                        validators=[DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}$", message="Use the form #rrggbb, for example #0b6b66.")],
                        filters=[lambda value: value.strip() if value else value])
    logo = FileField("Logo", description="PNG, JPEG or SVG, at most 512 KB. Leave empty to keep the current logo.")
