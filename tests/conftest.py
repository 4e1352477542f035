"""Shared fixtures: where the real list files are, and where small extracts live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_LISTS = ROOT.parent / "shared" / "data" / "lists"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """Small real extracts committed with the tests."""
    return FIXTURES


@pytest.fixture(scope="session")
def lists() -> Path:
    """The full official files in ``../shared/data/lists`` (beside the project root)."""
    if not SHARED_LISTS.is_dir():
        pytest.skip(f"full list files not found at {SHARED_LISTS}")
    return SHARED_LISTS


# --- stores: every store test runs on SQLite and on PostgreSQL ------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402

_PG_SCRIPT = ROOT / "scripts" / "throwaway-postgres"
_pg_state: dict[str, object] = {}


def _postgres_server() -> str:
    """URL of a PostgreSQL server for tests: ``TAMGA_TEST_PG_URL``, else a throwaway cluster.

    Skips (with the reason) only when no server can be started on this machine.
    """
    if "url" in _pg_state:
        return str(_pg_state["url"])
    if "error" in _pg_state:
        pytest.skip(str(_pg_state["error"]))
    url = os.environ.get("TAMGA_TEST_PG_URL")
    if not url:
        workdir = tempfile.mkdtemp(prefix="tamga-pg-")
        proc = subprocess.run([str(_PG_SCRIPT), "start", workdir], capture_output=True, text=True)
        if proc.returncode != 0:
            _pg_state["error"] = (
                f"PostgreSQL half skipped: no server could be started ({proc.stderr.strip()})"
            )
            pytest.skip(str(_pg_state["error"]))
        url = proc.stdout.strip()
        _pg_state["workdir"] = workdir
    _pg_state["url"] = url
    return url


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workdir = _pg_state.get("workdir")
    if workdir:
        subprocess.run([str(_PG_SCRIPT), "stop", str(workdir)], capture_output=True)


def _fresh_pg_database(server_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    name = f"tamga_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name, name


def _drop_pg_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tamga.db'}"
        return
    server = _postgres_server()
    url, name = _fresh_pg_database(server)
    yield url
    _drop_pg_database(server, name)


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    from tamga.store import Store

    s = Store(db_url)
    yield s
    s.close()
