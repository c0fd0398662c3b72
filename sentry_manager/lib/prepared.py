"""Querysets compiled once and run again with new values, for the hottest request paths.

Compiling a queryset to SQL costs about a millisecond, more than running it. The config
endpoint runs the same query on every request, so it builds it with the ORM (and so with the
access policy) once per database, keeps the SQL, and only swaps the values in.
"""

import re
import uuid
from typing import NamedTuple

from django.db import connections

# Django's positional placeholder (a literal percent sign is written "%%").
POSITIONAL_PLACEHOLDER = re.compile(r"(?<!%)%s")


class Compiled(NamedTuple):
    sql: str  # named ("pyformat") parameters, for Django's cursor
    driver_sql: str  # the same in the database driver's own parameter style
    slots: list[tuple[str | None, object]]  # (placeholder name or None, value) per parameter
    compiler: object
    converters: dict


class PreparedQuery:
    def __init__(self, build, *, converted=None, **placeholders):
        """`build(**placeholders)` returns a `values_list` queryset; each placeholder value
        must be unique in the query (it marks where the real value goes).

        `converted` names the fields whose database values are turned into Python ones (all
        when None); the others come back as the driver gives them (a SQLite boolean is 0/1,
        a UUID is hex text), which saves converting values a caller only tests or passes on.
        """
        self._build = build
        self._converted = converted
        self._placeholders = placeholders
        self._compiled = {}

    @staticmethod
    def _db_value(value, connection):
        if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
            return value.hex
        return value

    def _compile(self, alias) -> Compiled:
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
        # Named parameters: Django's SQLite backend turns positional ones into its own style
        # with a regular expression that costs more than running this query.
        pieces = POSITIONAL_PLACEHOLDER.split(sql)
        if len(pieces) != len(slots) + 1:
            raise RuntimeError("the SQL and its parameters do not line up")
        sql = pieces[0] + "".join(f"%(p{i})s{piece}" for i, piece in enumerate(pieces[1:]))
        names = {f"p{i}": f"p{i}" for i in range(len(slots))}
        # sqlite3 takes `:name`; the other drivers Django supports take pyformat as it is.
        driver_sql = sql % {n: f":{n}" for n in names} if connection.vendor == "sqlite" else sql
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        if self._converted is not None:
            query = compiler.query  # the order of the SELECT, as values_list reads it
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            wanted = {names.index(name) for name in self._converted}
            converters = {i: convs for i, convs in converters.items() if i in wanted}
        compiled = Compiled(sql, driver_sql, slots, compiler, converters)
        self._compiled[(alias, connection.vendor)] = compiled
        return compiled

    def rows(self, alias="default", **values) -> list[tuple]:
        connection = connections[alias]
        compiled = self._compiled.get((alias, connection.vendor)) or self._compile(alias)
        params = {}
        for i, (name, param) in enumerate(compiled.slots):
            if name is not None:
                param = values[name]
                if isinstance(param, uuid.UUID):
                    param = self._db_value(param, connection)
            params[f"p{i}"] = param
        if connection.queries_logged:
            # DEBUG or a test counting queries: through Django's cursor, which records it.
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, params)
                rows = cursor.fetchall()
        else:
            # Straight to the driver: Django's cursor wrapper costs about as much as the
            # query. Errors still become Django's and mark the connection as Django does.
            if connection.connection is None:  # (ensure_connection's async check costs ~1 µs)
                connection.ensure_connection()
            try:
                cursor = connection.connection.cursor()
                try:
                    cursor.execute(compiled.driver_sql, params)
                    rows = cursor.fetchall()
                finally:
                    cursor.close()
            except Exception:
                with connection.wrap_database_errors:  # only on the way out of a failure
                    raise
        if compiled.converters:
            rows = [self._convert(row, compiled.converters, connection) for row in rows]
        return rows

    @staticmethod
    def _convert(row, converters: dict, connection) -> tuple:
        """Django's converters, on the values that are not NULL (a NULL stays None through
        them: skipping it saves the calls)."""
        row = list(row)
        for index, (functions, expression) in converters.items():
            value = row[index]
            if value is not None:
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
        return tuple(row)
