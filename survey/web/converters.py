"""URL converters: a path id is a database id, so one beyond the database's integer range is simply not found."""
from flask import Flask
from werkzeug.routing import IntegerConverter

#: PostgreSQL's INTEGER (the type of every primary key here) stops at 2^31 - 1; a larger id would make
#: the database raise instead of answering "no such row".
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` everywhere: a value above ``MAX_ID`` does not match the rule, so the answer is 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        ceiling = MAX_ID if max is None else max if max < MAX_ID else MAX_ID
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=ceiling, signed=signed)


def register(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
