"""Charts: designations per quarter by jurisdiction, and a subject's timeline, as SVG and PNG."""

from __future__ import annotations

from lxml import etree
from typer.testing import CliRunner

from tamga.cli import app
from tamga.store import Store
from tamga.tracker import Tracker
from tamga.tracker.charts import designations_chart, designations_per_quarter, quarter, timeline_chart
from tamga.tracker.gaps import Filters
from tamga.tracker.history import timeline

runner = CliRunner()


def test_quarters() -> None:
    assert quarter("2021-03-22") == "2021 Q1"
    assert quarter("2021-12") == "2021 Q4"
    assert quarter("2021") == "2021"


def test_counts_per_quarter_count_each_subject_once_per_jurisdiction(tracker: Tracker) -> None:
    counts = designations_per_quarter(
        tracker, ("US", "EU", "UK", "CA"), Filters(country="CN", program="GLOMAG")
    )
    # 2021-12-10: Shohrat Zakir and Erkin Tuniyaz (each on two records, counted once)
    assert counts["US"]["2021 Q4"] == 2
    # 2020-07-09: Chen Quanguo, Zhu Hailun, Wang Mingshan, Huo Liujun and the XPSB; 2020-07-31: XPCC,
    # Sun Jinlong, Peng Jiarui
    assert counts["US"]["2020 Q3"] == 8
    assert not counts["EU"]  # the EU's program is not GLOMAG


def test_charts_render_as_svg_and_png(tracker: Tracker, tracker_db: str) -> None:
    svg = designations_chart(tracker, "svg", ("US", "EU", "UK", "CA"), Filters(country="CN"))
    root = etree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg == designations_chart(tracker, "svg", ("US", "EU", "UK", "CA"), Filters(country="CN"))
    subject = tracker.subject_of("curated:zhu-hailun")
    assert subject is not None
    png = timeline_chart(subject, timeline(subject, Store(tracker_db)), "png")
    assert png.startswith(b"\x89PNG")


def test_chart_command(tracker_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "per-quarter.svg"
    result = runner.invoke(app, ["chart", str(out), "--country", "CN", "--db", tracker_db])
    assert result.exit_code == 0, result.output
    assert etree.parse(str(out)).getroot().tag.endswith("svg")
    result = runner.invoke(app, ["chart", str(tmp_path / "x.gif"), "--db", tracker_db])
    assert result.exit_code == 2 and "x.gif" in result.stderr
