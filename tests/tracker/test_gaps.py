"""Who is designated where: the gaps, the counts at a date, and as-of dates before and after a
listing, on the real OFAC lists and the curated Xinjiang actions."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tamga.cli import app
from tamga.tracker import Tracker
from tamga.tracker.gaps import Filters, cell, designated, gaps, matrix

runner = CliRunner()
THE_TEN = {
    "Chen Quanguo", "Zhu Hailun", "Wang Mingshan", "Huo Liujun", "Sun Jinlong",
    "Peng Jiarui", "Wang Junzheng", "Chen Mingguo", "Shohrat Zakir", "Erkin Tuniyaz",
}  # fmt: skip


def captions(result: dict) -> set[str]:
    return {row["caption"] for row in result["rows"]}


def test_gaps_us_not_eu_uk_glomag_china(tracker_db: str) -> None:
    result = runner.invoke(
        app,
        [
            "gaps",
            "--of",
            "US",
            "--vs",
            "EU,UK",
            "--country",
            "CN",
            "--program",
            "GLOMAG",
            "--json",
            "--db",
            tracker_db,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["jurisdictions"] == ["US", "EU", "UK"]
    found = captions(data)
    assert {"Chen Quanguo", "Shohrat Zakir", "Erkin Tuniyaz"} <= found
    assert not found & {"Zhu Hailun", "Wang Mingshan", "Chen Mingguo"}
    row = next(r for r in data["rows"] if r["caption"] == "Erkin Tuniyaz")
    assert row["cells"]["US"]["listed_on"] == "2021-12-10"
    assert row["cells"]["EU"] is None and row["cells"]["UK"] is None
    assert set(row["entity_ids"]) == {"curated:erkin-tuniyaz", "ofac-sdn:34119"}
    assert "CN" in row["countries"]
    # the OFAC entries of those listed by the EU and UK are in their subjects, not in the gaps
    assert not {"ofac-sdn:29219", "ofac-sdn:29162", "ofac-sdn:31493"} & {
        i for r in data["rows"] for i in r["entity_ids"]
    }


def test_ten_prc_officials_under_us_treasury_sanctions_at_the_end_of_2021(tracker_db: str) -> None:
    args = ["designated", "--jurisdiction", "US", "--authority", "US-OFAC", "--program", "GLOMAG"]
    args += ["--country", "CN", "--schema", "Person", "--source", "curated", "--as-of", "2021-12-31"]
    result = runner.invoke(app, [*args, "--json", "--db", tracker_db])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["count"] == 10
    assert captions(data) == THE_TEN
    assert all(r["cells"]["US"]["listed_on"] <= "2021-12-31" for r in data["rows"])


def test_as_of_before_and_after_a_listing(tracker: Tracker) -> None:
    filters = Filters(country="CN", program="GLOMAG", schema="Person", authority="US-OFAC")
    before = {r.subject.caption for r in designated(tracker, "US", "2021-12-09", filters).rows}
    after = {r.subject.caption for r in designated(tracker, "US", "2021-12-10", filters).rows}
    assert "Erkin Tuniyaz" not in before and "Erkin Tuniyaz" in after
    assert after - before == {"Erkin Tuniyaz", "Shohrat Zakir"}
    # Zhu Hailun: a US-only gap the day before the EU and UK listed him, none on the day
    zhu = tracker.subject_of("curated:zhu-hailun")
    assert zhu is not None
    assert cell(zhu, "EU", "2021-03-21") is None
    assert cell(zhu, "EU", "2021-03-22") is not None
    gap_before = gaps(tracker, "US", ("EU", "UK"), "2021-03-21", Filters(program="GLOMAG"))
    gap_on = gaps(tracker, "US", ("EU", "UK"), "2021-03-22", Filters(program="GLOMAG"))
    assert zhu.id in {r.subject.id for r in gap_before.rows}
    assert zhu.id not in {r.subject.id for r in gap_on.rows}
    # before any listing there is nothing
    assert not designated(tracker, "US", "2020-07-08", filters).rows


def test_a_record_without_a_printed_date_counts_from_its_first_snapshot(tracker: Tracker) -> None:
    subject = tracker.subject_of("ofac-sdn:34119")
    assert subject is not None
    only_ofac = [r for r in subject.records if r.entity.source == "ofac-sdn"]
    assert only_ofac and not any(d.listed_on for d in only_ofac[0].entity.designations)
    today = cell(subject, "US", None, Filters(source=None))
    assert today is not None and today.listed_on == "2021-12-10" and today.dated_by == "designation"


def test_unverified_curated_rows_are_flagged_in_the_matrix(tracker: Tracker) -> None:
    rows = matrix(tracker, ("US", "EU"), None, Filters(source="curated")).rows
    unverified = [r for r in rows if any(c is not None and not c.verified for c in r.cells.values())]
    assert unverified
    assert all(r.subject.records[0].entity.properties.get("unverified") for r in unverified)


def test_bad_options_name_the_field(tracker_db: str) -> None:
    result = runner.invoke(app, ["gaps", "--of", "US", "--vs", "EU,XX", "--db", tracker_db])
    assert result.exit_code == 2 and "--vs" in result.stderr and "XX" in result.stderr
    result = runner.invoke(
        app, ["designated", "--jurisdiction", "US", "--as-of", "end of 2021", "--db", tracker_db]
    )
    assert result.exit_code == 2 and "--as-of" in result.stderr
