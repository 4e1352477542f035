"""Watchlists: filled from CSV, kept current by adding the file again, refused with the line named
when a row is bad; and the `tamga watch` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tamga.cli import app
from tamga.monitor import audit, rescreen, watchlists
from tamga.monitor.alerts import list_alerts
from tamga.monitor.watchlists import WatchlistError, load_rows
from tamga.sources.base import ParseError
from tamga.store import Store

runner = CliRunner()


def rows_of(store: Store) -> dict[str | None, tuple]:
    with store.engine.connect() as conn:
        return {r.ref: (r.id, r.name, r.birth_date, r.country, r.screened_at) for r in load_rows(conn)}


def test_adding_a_file_again_updates_known_ids_and_adds_new_rows(small_store: Store, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        "case_id,name,schema,birth_date,country,identifier\n"
        "c1,Erkin Tuniyaz,Person,Dec 1961,China,\n"
        "c2,Hikvision,Organization,,,CNE100000PM8\n",
        encoding="utf-8",
    )
    made = watchlists.add_file(small_store, "suppliers", first, "ana")
    assert (made.created, made.added, made.updated, made.unchanged) == (True, 2, 0, 0)
    stored = rows_of(small_store)
    assert stored["c1"][1:4] == ("Erkin Tuniyaz", "1961-12", "CN")  # dates and countries normalised
    with small_store.engine.connect() as conn:
        loaded = {r.ref: r for r in watchlists.load_rows(conn)}
    assert loaded["c2"].identifiers == ("CNE100000PM8",) and loaded["c1"].identifiers == ()
    assert loaded["c2"].query.schema == "Organization" and loaded["c1"].screened_at is None
    assert rescreen.run(small_store, actor="ana").raised == 2
    assert all(r[4] is not None for r in rows_of(small_store).values())

    second = tmp_path / "second.csv"
    second.write_text(
        "case_id,name,schema\nc1,Erkin Tuniyaz,Person\nc2,Hikvision,Organization\nc3,Zhu Hailun,Person\n",
        encoding="utf-8",
    )
    again = watchlists.add_file(small_store, "suppliers", second, "ana")
    assert (again.created, again.added, again.updated, again.unchanged) == (False, 1, 2, 0)
    after = rows_of(small_store)
    assert after["c1"][0] == stored["c1"][0]  # the same row, its fields replaced
    assert after["c1"][2] is None and after["c1"][4] is None  # to be screened again in full
    run = rescreen.run(small_store, actor="ana")
    assert run.rows_full == 3 and run.raised == 1  # Zhu Hailun; the others' pairs are known
    found, _ = list_alerts(small_store, "open", "suppliers")
    assert {a.row.ref for a in found} == {"c1", "c2", "c3"}
    summary = watchlists.summaries(small_store)[0].to_dict()
    assert (summary["name"], summary["rows"], summary["open_alerts"]) == ("suppliers", 3, 3)

    assert watchlists.add_file(small_store, "suppliers", second, "ana").unchanged == 3
    counts = watchlists.remove(small_store, "suppliers", "ana")
    assert counts == {"rows": 3, "alerts": 3}
    assert watchlists.summaries(small_store) == [] and list_alerts(small_store, "all") == ([], 0)
    actions = [r["action"] for r in audit.rows(small_store)]
    assert actions.count("watchlist.rows_added") == 3 and actions[-1] == "watchlist.removed"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("id,who\n1,A\n", "line 1", "no 'name' column"),
        ("id,name\n1,Erkin Tuniyaz\n2,\n", "line 3", "field 'name' is empty"),
        ("id,name\n1,A\n1,B\n", "line 3", "id '1' is already on line 2"),
        ("id,name,birth_date\n1,A,soon\n", "line 2", "'soon' is not a date"),
        ("id,name,country\n1,A,Atlantis\n", "line 2", "'Atlantis' is not a country"),
        ("id,name,schema\n1,A,Company\n", "line 2", "field 'schema'"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(
    sqlite_store: Store, tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as refused:
        watchlists.add_file(sqlite_store, "suppliers", path, "ana")
    assert refused.value.location == where and message in refused.value.message
    assert watchlists.summaries(sqlite_store) == []  # nothing was kept
    result = runner.invoke(app, ["watch", "add", "suppliers", str(path), "--db", sqlite_store.url])
    assert result.exit_code == 2 and where in result.output


def test_watchlist_names_and_the_watch_commands(sqlite_store: Store, tmp_path: Path) -> None:
    with pytest.raises(WatchlistError):
        watchlists.check_name("my list")
    path = tmp_path / "names.csv"
    path.write_text("name\nErkin Tuniyaz\nErkin Tuniyaz\nJane Q. Example\n", encoding="utf-8")
    db = ["--db", sqlite_store.url]
    added = runner.invoke(app, ["watch", "add", "eu-customers", str(path), *db])
    assert (
        added.exit_code == 0
        and "eu-customers (new watchlist): 2 added, 0 updated, 1 unchanged" in added.output
    )
    assert runner.invoke(app, ["watch", "add", "bad name", str(path), *db]).exit_code == 2
    ran = runner.invoke(app, ["monitor", "run", "--json", "--workers", "1", *db])
    assert ran.exit_code == 0 and '"raised": 1' in ran.output
    listed = runner.invoke(app, ["watch", "list", *db])
    assert "eu-customers" in listed.output and "1" in listed.output
    assert runner.invoke(app, ["watch", "remove", "nowhere", *db]).exit_code == 2
    removed = runner.invoke(app, ["watch", "remove", "eu-customers", *db])
    assert removed.exit_code == 0 and "2 rows, 1 alerts" in removed.output
