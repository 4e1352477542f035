"""The tracker over HTTP: the gap matrix, counts at a date, the changes feed, a subject's
timeline and the charts. Each route is one call into :mod:`tamga.tracker`, as the CLI's are.

The tracker is built on first use and kept while the store's snapshots and link judgements stay
the same; a new snapshot or judgement makes the next request build it again (re-grouping the
subjects if the stored grouping is out of date). One lock keeps two requests from building it at
once.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from tamga.dates import parse_date
from tamga.store import Store
from tamga.tracker import Tracker
from tamga.tracker.changes import changes as changes_feed
from tamga.tracker.charts import designations_chart, timeline_chart
from tamga.tracker.gaps import Filters, designated, gaps, matrix
from tamga.tracker.history import subject_json, timeline
from tamga.tracker.jurisdictions import JURISDICTIONS, parse_jurisdictions

router = APIRouter(tags=["Tracker"])
_lock = threading.Lock()
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}

Country = Annotated[
    str | None, Query(description="ISO code of a country the subject is tied to.", examples=["CN"])
]
Program = Annotated[str | None, Query(description="Program code or words of its name.", examples=["GLOMAG"])]
Schema = Annotated[str | None, Query(description="Person, Organization, Vessel or Aircraft.")]
Authority = Annotated[str | None, Query(description="Only this authority's designations, e.g. US-OFAC.")]
Source = Annotated[str | None, Query(description="Only subjects with a record from this source.")]
AsOf = Annotated[str | None, Query(description="The state on this date (YYYY-MM-DD); default today.")]


def tracker_for(request: Request) -> Tracker:
    """The tracker for the store's current state, built once per state."""
    store: Store = request.app.state.store
    key = (tuple(store.snapshot_heads()), tuple(store.judgements()))
    cached = getattr(request.app.state, "tracker", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = getattr(request.app.state, "tracker", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        tracker = Tracker.load(store)
        request.app.state.tracker = (key, tracker)
        return tracker


def _codes(text: str, field: str) -> tuple[str, ...]:
    try:
        return parse_jurisdictions(text, field)
    except ValueError as exc:
        raise HTTPException(422, detail=str(exc)) from None


def _date(text: str | None, field: str) -> str | None:
    if text is None:
        return None
    day = parse_date(text)
    if day is None or len(day) != 10:
        raise HTTPException(422, detail=f"{field}: {text!r} is not a date (YYYY-MM-DD)")
    return day


@router.get("/tracker/matrix", summary="Subjects × jurisdictions: who is designated where, since when")
def matrix_route(
    request: Request,
    jurisdictions: Annotated[str, Query(description="Comma-separated codes.")] = ",".join(JURISDICTIONS[:4]),
    country: Country = None,
    program: Program = None,
    schema: Schema = None,
    authority: Authority = None,
    source: Source = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """Every subject designated by at least one of the jurisdictions on `as_of`, with a cell per
    jurisdiction: since when, under which programs and lists, and whether it is verified."""
    codes = _codes(jurisdictions, "jurisdictions")
    filters = Filters(country=country, program=program, schema=schema, authority=authority, source=source)
    return matrix(tracker_for(request), codes, _date(as_of, "as_of"), filters).to_dict()


@router.get("/tracker/gaps", summary="Designated by one jurisdiction and not by the others")
def gaps_route(
    request: Request,
    of: Annotated[str, Query(description="The jurisdiction that designated.", examples=["US"])],
    vs: Annotated[
        str, Query(description="Comma-separated jurisdictions that did not.", examples=["EU,UK,CA"])
    ],
    country: Country = None,
    program: Program = None,
    schema: Schema = None,
    authority: Authority = None,
    source: Source = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """Subjects designated by `of` (under the program and authority asked) and by none of `vs`
    (under any program) on `as_of`."""
    first = _codes(of, "of")
    if len(first) != 1:
        raise HTTPException(422, detail="of: name one jurisdiction")
    others = tuple(j for j in _codes(vs, "vs") if j != first[0])
    filters = Filters(country=country, program=program, schema=schema, authority=authority, source=source)
    return gaps(tracker_for(request), first[0], others, _date(as_of, "as_of"), filters).to_dict()


@router.get("/tracker/count", summary="How many subjects a jurisdiction had designated on a date")
def count_route(
    request: Request,
    jurisdiction: Annotated[str, Query(description="US, EU, UK, CA or UN.", examples=["US"])],
    country: Country = None,
    program: Program = None,
    schema: Schema = None,
    authority: Authority = None,
    source: Source = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """`count` and the `rows` counted, e.g. PRC officials under US Treasury (US-OFAC) GLOMAG
    sanctions on 2021-12-31."""
    codes = _codes(jurisdiction, "jurisdiction")
    if len(codes) != 1:
        raise HTTPException(422, detail="jurisdiction: name one jurisdiction")
    filters = Filters(country=country, program=program, schema=schema, authority=authority, source=source)
    found = designated(tracker_for(request), codes[0], _date(as_of, "as_of"), filters).to_dict()
    return {"count": found["count"], "as_of": found["as_of"], "rows": found["rows"]}


@router.get("/tracker/changes", summary="Additions, removals and amendments across sources")
def changes_route(
    request: Request,
    since: Annotated[str | None, Query(description="Only snapshots dated on or after this day.")] = None,
    source: Annotated[str | None, Query(description="Only this source.")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
) -> dict[str, Any]:
    """Newest first. A source's first snapshot is the whole list, not news, and is left out."""
    found = changes_feed(request.app.state.store, _date(since, "since"), source, limit)
    return {"changes": [c.to_dict() for c in found]}


def _subject(request: Request, entity_id: str) -> Any:
    tracker = tracker_for(request)
    subject = tracker.subject_of(entity_id)
    if subject is None:
        raise HTTPException(404, detail=f"No entity {entity_id!r}")
    return subject


@router.get(
    "/subjects/{entity_id:path}",
    summary="The subject an entity belongs to: its records on every list and its timeline",
    responses={404: {"description": "No such entity"}},
)
def subject_route(
    request: Request,
    entity_id: Annotated[
        str, Path(description="Any of the subject's entity ids.", examples=["ofac-sdn:34119"])
    ],
) -> dict[str, Any]:
    """`members` with the evidence that joined them; `timeline` oldest first, each event saying
    whether a designation or a snapshot dates it."""
    return subject_json(_subject(request, entity_id), request.app.state.store)


def _format(name: str) -> str:
    fmt = name.rsplit(".", 1)[-1].lower()
    if fmt not in MEDIA:
        raise HTTPException(404, detail="charts are .svg or .png")
    return fmt


@router.get("/charts/designations.{fmt}", summary="Subjects first designated per quarter, by jurisdiction")
def designations_chart_route(
    request: Request,
    fmt: Annotated[str, Path(description="svg or png")],
    jurisdictions: Annotated[str, Query(description="Comma-separated codes.")] = ",".join(JURISDICTIONS),
    country: Country = None,
    program: Program = None,
    schema: Schema = None,
    source: Source = None,
) -> Response:
    fmt = _format(fmt)
    filters = Filters(country=country, program=program, schema=schema, source=source)
    body = designations_chart(tracker_for(request), fmt, _codes(jurisdictions, "jurisdictions"), filters)
    return Response(body, media_type=MEDIA[fmt])


@router.get("/charts/subjects/{entity_id:path}", summary="A subject's designations over time")
def subject_chart_route(
    request: Request,
    entity_id: Annotated[
        str, Path(description="An entity id followed by .svg or .png.", examples=["ofac-sdn:34119.svg"])
    ],
) -> Response:
    base, _, ext = entity_id.rpartition(".")
    fmt = _format(ext)
    subject = _subject(request, base)
    body = timeline_chart(subject, timeline(subject, request.app.state.store), fmt)
    return Response(body, media_type=MEDIA[fmt])
