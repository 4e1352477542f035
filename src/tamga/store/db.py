"""Where the store lives and how it is opened: URL resolution, engine set-up, migrations.

The default is an SQLite file in the user's data directory, so a single analyst needs no server;
``--db`` or ``TAMGA_DB`` take any SQLAlchemy URL (``postgresql+psycopg://…`` for a team). The
schema is brought up to date with Alembic every time the store is opened for writing.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

ENV_VAR = "TAMGA_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened or used (bad URL, unreachable server, newer schema…)."""


def default_url() -> str:
    """``TAMGA_DB`` if set, else an SQLite file in the user data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    return f"sqlite:///{Path(user_data_dir('tamga')) / 'tamga.db'}"


def normalise_url(url: str) -> str:
    """Accept a bare file path as an SQLite store, and pick psycopg 3 for ``postgresql://``."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine with the settings the store relies on (foreign keys on in SQLite)."""
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True)
    except Exception as exc:  # bad URL or missing driver
        raise StoreError(f"cannot open store {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a store made by a newer tamga."""
    config = _alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    try:
        current = current_revision(engine)
    except Exception as exc:
        raise StoreError(f"cannot reach store {engine.url!r}: {exc}") from None
    if current is not None and script.get_revision(current) is None:
        raise StoreError(f"store {engine.url!r} has schema revision {current}, newer than this tamga knows")
    if current != script.get_current_head():
        command.upgrade(config, "head")
