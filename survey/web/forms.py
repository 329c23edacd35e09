"""Small helpers for WTForms, and the base class every form of the app derives from."""
from flask_wtf import FlaskForm
from wtforms import Field, FormField, PasswordField, SelectChoice, StringField, TextAreaField

from survey.web.text import multi_line_problem, single_line_problem


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3+ expects."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def text_problem(field: Field) -> str | None:
    """The control-character rule for one field: single-line text fields (titles, names, emails, codes,
    hidden values) hold no line break or control character; a text area holds no control character but
    tabs and line breaks. Passwords are exempt: they are only hashed, never shown or put in an email."""
    if not isinstance(field, StringField) or isinstance(field, PasswordField) or not isinstance(field.data, str):
        return None
    if isinstance(field, TextAreaField):
        return multi_line_problem(field.data)
    return single_line_problem(field.data)


class Form(FlaskForm):
    """A FlaskForm that applies :func:`text_problem` to every field, so no form can forget it.

    The error is shown beside the field like any other, and what was typed stays in the form.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _fields(self):
            problem = text_problem(field)
            if problem:
                field.errors = [*field.errors, problem]
                valid = False
        return valid


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        else:
            yield field
