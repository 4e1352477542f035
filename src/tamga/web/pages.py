"""The pages: search (the home page), an entity, batch screening, a portfolio, the tracker.

Each handler asks the API (:func:`tamga.web.calls.call_api`) and renders the answer; the batch
and portfolio pages upload to ``/screen`` and ``/portfolio`` from the browser, and review alerts
through ``/decisions``. Nothing here screens, scores or reads the store.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from tamga.web.calls import Answer, call_api
from tamga.web.explain import describe
from tamga.web.render import page, quote_id
from tamga.web.session import viewer

router = APIRouter(include_in_schema=False, dependencies=[Depends(viewer)])

SEARCH_SCHEMATA = {
    "": "Thing",
    "Person": "Person",
    "Organization": "Organization",
    "Vessel": "Vessel",
    "Airplane": "Airplane",
}
SEARCH_LIMIT = 20
JURISDICTIONS = ("US", "EU", "UK", "CA", "UN")
DEFAULT_JURISDICTIONS = ("US", "EU", "UK", "CA")  # the matrix of the tracker's contract
MATRIX_PAGE = 100  # subjects per page of the gap matrix
CHANGES = 30  # entries of the changes feed on the tracker page


def _unavailable(answer: Answer) -> str | None:
    """Why a part of a page cannot be shown, in words; ``None`` when it can."""
    if answer.ok:
        return None
    if answer.route_missing:
        return "This server does not offer it yet."
    if answer.status == 503:
        return "The lists are still being indexed: try again in a few seconds."
    return answer.detail


@router.get("/", response_class=HTMLResponse)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    schema: str = "",
    birth_date: Annotated[str, Query(max_length=10)] = "",
    country: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """The search page; with ``q``, the results too (rendered here, so a search can be linked)."""
    q = q.strip()
    form = {
        "q": q,
        "schema": schema if schema in SEARCH_SCHEMATA else "",
        "birth_date": birth_date.strip(),
        "country": country.strip(),
    }
    results: list[dict[str, Any]] = []
    error = None
    total = 0
    status = 200
    if q:
        properties = {"name": [q]}
        if form["birth_date"]:
            properties["birthDate"] = [form["birth_date"]]
        if form["country"]:
            properties["country"] = [form["country"]]
        body = {"queries": {"q": {"schema": SEARCH_SCHEMATA[form["schema"]], "properties": properties}}}
        answer = await call_api(request, "POST", "/match/default", {"limit": SEARCH_LIMIT}, body)
        error = _unavailable(answer)
        status = 503 if answer.status == 503 else 200
        if answer.ok:
            found = answer.data["responses"]["q"]
            if found["status"] != 200:
                error = found.get("detail") or "the query could not be screened"
            results = found["results"]
            total = found["total"]["value"]
    return page(
        request,
        "search.html",
        status,
        active="search",
        form=form,
        results=results,
        total=total,
        error=error,
        schemata=list(SEARCH_SCHEMATA),
    )


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse)
async def entity(request: Request, entity_id: str) -> Response:
    """One record: names in every script, identifiers, designations, relations both ways, and
    the subject it belongs to across lists with its timeline."""
    quoted = quote_id(entity_id)
    answer = await call_api(request, "GET", f"/entities/{quoted}")
    if not answer.ok:
        status = 404 if answer.status in (404, 422) else answer.status
        return page(request, "missing.html", status, what=entity_id, detail=answer.detail)
    subject = await call_api(request, "GET", f"/subjects/{quoted}")
    note = None
    if subject.route_missing:
        note = "Cross-list subjects are not offered by this server yet."
    elif not subject.ok and subject.status != 404:
        note = _unavailable(subject)
    return page(
        request,
        "entity.html",
        entity=answer.data,
        subject=subject.data if subject.ok else None,
        subject_note=note,
    )


@router.get("/batch", response_class=HTMLResponse)
async def batch(request: Request) -> Response:
    return page(request, "batch.html", active="batch")


@router.get("/portfolio", response_class=HTMLResponse)
async def portfolio(request: Request) -> Response:
    return page(request, "portfolio.html", active="portfolio")


@router.get("/tracker", response_class=HTMLResponse)
async def tracker(
    request: Request,
    view: str = "matrix",
    of: str = "US",
    jurisdictions: Annotated[list[str] | None, Query()] = None,
    country: Annotated[str, Query(max_length=60)] = "",
    program: Annotated[str, Query(max_length=200)] = "",
    schema: str = "",
    as_of: Annotated[str, Query(max_length=10)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """The gap matrix (or the gaps of one jurisdiction against the others), filtered by country
    and program, the latest changes, and designations over time."""
    chosen = [j for j in jurisdictions or () if j in JURISDICTIONS] or list(DEFAULT_JURISDICTIONS)
    view = "gaps" if view == "gaps" else "matrix"
    of = of if of in JURISDICTIONS else "US"
    filters = {
        "country": country.strip(),
        "program": program.strip(),
        "schema": schema.strip(),
        "as_of": as_of.strip(),
    }
    if view == "gaps":
        params = {"of": of, "vs": ",".join(j for j in chosen if j != of), **filters}
        answer = await call_api(request, "GET", "/tracker/gaps", params)
    else:
        answer = await call_api(
            request, "GET", "/tracker/matrix", {"jurisdictions": ",".join(chosen), **filters}
        )
    rows = answer.data.get("rows", []) if answer.ok else []
    pages = max(1, -(-len(rows) // MATRIX_PAGE))
    page_number = min(page_number, pages)
    changes = await call_api(request, "GET", "/tracker/changes", {"limit": CHANGES})
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    pager = {
        "prev": urlencode([*kept, ("page", page_number - 1)]),
        "next": urlencode([*kept, ("page", page_number + 1)]),
    }
    chart = {
        "jurisdictions": ",".join(chosen),
        "country": filters["country"],
        "program": filters["program"],
        "schema": filters["schema"],
    }
    return page(
        request,
        "tracker.html",
        active="tracker",
        view=view,
        of=of,
        chosen=chosen,
        all_jurisdictions=JURISDICTIONS,
        filters=filters,
        columns=answer.data.get("jurisdictions", chosen) if answer.ok else chosen,
        rows=rows[(page_number - 1) * MATRIX_PAGE : page_number * MATRIX_PAGE],
        total=len(rows),
        page_number=page_number,
        pages=pages,
        matrix_error=_unavailable(answer),
        changes=changes.data.get("changes", []) if changes.ok else [],
        changes_error=_unavailable(changes),
        chart={k: v for k, v in chart.items() if v},
        pager=pager,
    )


class Explanations(BaseModel):
    explanations: list[dict[str, Any]]


@router.post("/web/explain")
async def explain(body: Explanations) -> Response:
    """Explanations in words, for the batch review (the same words the search page shows)."""
    readings = [describe(e) for e in body.explanations[:10_000]]
    return JSONResponse(
        {"readings": [{"text": r.text, "names": r.names, "qualifiers": r.qualifiers} for r in readings]}
    )
