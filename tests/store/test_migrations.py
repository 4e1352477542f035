"""The Alembic migrations build exactly the schema the code declares, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tamga.store import Store
from tamga.store.db import current_revision, head_revision
from tamga.store.schema import metadata


def test_migrations_match_the_declared_schema(db_url: str) -> None:
    store = Store(db_url)
    engine = store.engine  # opening runs the migrations
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []
    store.close()


def test_reading_does_not_create_an_sqlite_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "absent.db"
    store = Store(f"sqlite:///{path}")
    assert store.sources() == []
    assert store.entity("ofac-sdn:1") is None
    assert not path.exists()


def test_a_bare_path_is_an_sqlite_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(str(tmp_path / "x.db"))
    assert store.url.startswith("sqlite:///")
    assert Store("postgresql://u@h/db").url.startswith("postgresql+psycopg://")


def test_tamga_db_names_the_default_store(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TAMGA_DB", f"sqlite:///{tmp_path / 'from-env.db'}")
    assert Store().url == f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.delenv("TAMGA_DB")
    assert Store().url.endswith("/tamga/tamga.db")  # the user data directory
