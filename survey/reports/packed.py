"""Integer columns read in bulk as packed bytes, unpacked by numpy: no row per value in Python.

On PostgreSQL a group's integers come back as one ``bytea`` (``string_agg(int4send(x))``,
big-endian 4-byte integers), on SQLite as comma-separated text (``group_concat``). Either way
the database does the grouping and Python sees a handful of rows, each decoded in one numpy call.
"""
import numpy as np
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import NullType


class packed_ints(GenericFunction):
    """An aggregate: the group's integer column as one packed value (decode with :func:`unpack`)."""
    type = NullType()  # bytes on PostgreSQL, text on SQLite: decoded by unpack, not by a type
    inherit_cache = True


@compiles(packed_ints, "postgresql")
def _postgresql(element, compiler, **kw):
    return f"string_agg(int4send({compiler.process(element.clauses, **kw)}), ''::bytea)"


@compiles(packed_ints)
def _default(element, compiler, **kw):
    return f"CAST(group_concat({compiler.process(element.clauses, **kw)}) AS TEXT)"


def unpack(value: bytes | str | None) -> np.ndarray:
    """The integers of one :class:`packed_ints` value, as an int64 array."""
    if value is None:
        return np.empty(0, dtype=np.int64)
    if isinstance(value, str):
        return np.array(value.split(","), dtype=np.int64)
    return np.frombuffer(value, dtype=">i4").astype(np.int64)
