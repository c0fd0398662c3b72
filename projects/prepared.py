"""Querysets compiled once and run again with new values, for the hottest request paths.

Compiling a queryset to SQL costs about a millisecond, more than running it. The config
endpoint runs the same two queries on every request, so it builds them with the ORM (and so
with the access policy) once per database, keeps the SQL, and only swaps the values in.
"""

import re
import uuid

from django.db import connections

# Django's positional placeholder (a literal percent sign is written "%%").
POSITIONAL_PLACEHOLDER = re.compile(r"(?<!%)%s")


class PreparedQuery:
    def __init__(self, build, **placeholders):
        """`build(**placeholders)` returns a `values_list` queryset; each placeholder value
        must be unique in the query (it marks where the real value goes)."""
        self._build = build
        self._placeholders = placeholders
        self._compiled = {}

    @staticmethod
    def _db_value(value, connection):
        if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
            return value.hex
        return value

    def _compile(self, alias):
        connection = connections[alias]
        compiler = self._build(**self._placeholders).using(alias).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        marks = {
            self._db_value(value, connection): name for name, value in self._placeholders.items()
        }
        slots = []
        for param in params:
            name = marks.get(param) if isinstance(param, str | int | uuid.UUID) else None
            slots.append((name, param))
        if {name for name, _ in slots if name} != set(self._placeholders):
            raise RuntimeError("a placeholder did not reach the SQL; use distinctive values")
        # Named ("pyformat") parameters: the SQLite backend turns positional ones into its own
        # style with a regular expression that costs more than running this query; named ones
        # it maps with a plain `%`. Every backend Django supports accepts them.
        pieces = POSITIONAL_PLACEHOLDER.split(sql)
        if len(pieces) != len(slots) + 1:
            raise RuntimeError("the SQL and its parameters do not line up")
        sql = pieces[0] + "".join(f"%(p{i})s{piece}" for i, piece in enumerate(pieces[1:]))
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        compiled = (sql, slots, compiler, compiler.get_converters(fields))
        self._compiled[(alias, connection.vendor)] = compiled
        return compiled

    def rows(self, alias="default", **values) -> list[tuple]:
        connection = connections[alias]
        compiled = self._compiled.get((alias, connection.vendor)) or self._compile(alias)
        sql, slots, compiler, converters = compiled
        params = {
            f"p{i}": self._db_value(values[name], connection) if name else param
            for i, (name, param) in enumerate(slots)
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
