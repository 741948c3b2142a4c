"""The PostgreSQL search backend built from Django's settings: the archive's own database when
it is PostgreSQL, or FANARCHIVE_SEARCH_DATABASE_URL (e.g. beside an SQLite archive)."""

from __future__ import annotations

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from fanarchive.search.postgres_fulltext_backend import DEFAULT_SCHEMA
from fanarchive.search.postgres_fulltext_backend import PostgresBackend as _Backend

# Connection options Django and libpq share; Django's own (pool, isolation_level...) stay out.
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "passfile",
    "service",
)


def conninfo() -> str:
    if settings.SEARCH_DATABASE_URL:
        return str(settings.SEARCH_DATABASE_URL)
    # The live settings of the connection, so a test run reaches the test database.
    database = connections["default"].settings_dict
    if "postgresql" not in str(database["ENGINE"]):
        raise ImproperlyConfigured(
            "FANARCHIVE_SEARCH_BACKEND=postgres needs PostgreSQL: set DATABASE_URL to a PostgreSQL "
            "database, or FANARCHIVE_SEARCH_DATABASE_URL to one for search alone"
        )
    options = database.get("OPTIONS") or {}
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        **{key: options[key] for key in _LIBPQ_OPTIONS if key in options},
    }
    return psycopg.conninfo.make_conninfo(**{key: value for key, value in params.items() if value})


def schema() -> str:
    return str(settings.SEARCH_POSTGRES_SCHEMA or DEFAULT_SCHEMA)


class PostgresBackend(_Backend):
    def __init__(self) -> None:
        super().__init__(conninfo(), schema=schema())
