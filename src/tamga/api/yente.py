"""The OpenSanctions yente ``/match`` protocol, mapped onto tamga's screener.

A yente query is an example entity: a FollowTheMoney schema and properties, each a list of
values. It becomes one or more :class:`~tamga.match.screener.Query` (one per name, birth date
and country given), the candidates of each are merged per entity keeping the best, and each
result is written back in yente's shape, with tamga's explanation beside yente's fields.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.concurrency import run_in_threadpool

from tamga.api.index import ServedIndex, served_index
from tamga.api.limits import Limits
from tamga.api.responses import Json, error
from tamga.countries import country_code
from tamga.dates import parse_date
from tamga.match.screener import FLOOR, Match
from tamga.match.screener import Query as Screening
from tamga.model import Entity
from tamga.monitor.decisions import annotate
from tamga.store import Store

router = APIRouter(tags=["Matching"])

ALGORITHM = "tamga"
# yente's algorithm names, all answered by tamga's one scorer; the answer says which was used.
YENTE_ALGORITHMS = (
    "best",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
    "regression-v2",
    "regression-v3",
    "ofac-249",
    "ofac-249-qualified",
)
DEFAULT_LIMIT = 5  # yente's default page of candidates
INLINE_QUERIES = 4  # batches up to this size are screened on the event loop
ALL_CANDIDATES = 1000  # ask the screener for every candidate, then merge and cut

# --- schemata, datasets and properties ------------------------------------------------------------

# FollowTheMoney schema of the query -> tamga schema (None: any)
QUERY_SCHEMATA: dict[str, str | None] = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "PublicBody": "Organization",
    "LegalEntity": None,
    "Thing": None,
    "Vessel": "Vessel",
    "Airplane": "Aircraft",
    "Aircraft": "Aircraft",
}
RESULT_SCHEMATA = {"Aircraft": "Airplane"}  # tamga schema -> FollowTheMoney, where they differ

ALL_DATASETS = ("default", "sanctions", "all")
# yente (OpenSanctions) dataset names of the lists tamga reads
YENTE_DATASETS = {
    "us_ofac_sdn": "ofac-sdn",
    "us_ofac_cons": "ofac-cons",
    "un_sc_sanctions": "un-sc",
    "eu_fsf": "eu-fsf",
    "gb_hmt_sanctions": "uk-hmt",
    "gb_fcdo_sanctions": "uk-fcdo",
    "us_trade_csl": "us-csl",
}
# groups of sources, by the prefix of their slugs
GROUPS = {
    "ofac": ("ofac-",),
    "us": ("ofac-", "us-"),
    "un": ("un-",),
    "eu": ("eu-",),
    "uk": ("uk-",),
    "ftm": ("ftm-",),
}

NAME_PROPS = ("name", "alias", "previousName")
NAME_PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DATE_PROPS = ("birthDate",)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry")
IDENTIFIER_PROPS = (
    "idNumber",
    "passportNumber",
    "taxNumber",
    "registrationNumber",
    "isin",
    "isinCode",
    "imoNumber",
    "leiCode",
    "swiftBic",
    "innCode",
    "ogrnCode",
    "vatCode",
    "dunsCode",
    "okpoCode",
    "kppCode",
    "bikCode",
    "uscCode",
    "ticker",
    "mmsi",
    "serialNumber",
    "callSign",
)

USED_PROPS = frozenset((*NAME_PROPS, *NAME_PART_PROPS, *DATE_PROPS, *COUNTRY_PROPS, *IDENTIFIER_PROPS))

# tamga record fields -> FollowTheMoney properties of a result
NAME_KIND_PROPS = {
    "primary": "name",
    "aka": "alias",
    "nka": "alias",
    "fka": "previousName",
    "weak": "weakAlias",
}
IDENTIFIER_SCHEME_PROPS = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "tax_id": "taxNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "kpp": "kppCode",
    "okpo": "okpoCode",
    "registration": "registrationNumber",
    "uscc": "registrationNumber",
    "isin": "isin",
    "lei": "leiCode",
    "imo": "imoNumber",
    "swift": "swiftBic",
    "ticker": "ticker",
    "mmsi": "mmsi",
    "duns": "dunsCode",
    "aircraft_serial": "serialNumber",
    "aircraft_tail": "registrationNumber",
    "email": "email",
    "website": "website",
    "phone": "phone",
}
COUNTRY_ROLE_PROPS = {
    "nationality": "nationality",
    "citizenship": "citizenship",
    "residence": "country",
    "jurisdiction": "jurisdiction",
    "country": "country",
}

FEATURES = {
    "name": {
        "description": "Similarity of the query's name to the closest listed name, in any script",
        "coefficient": 1.0,
        "url": "",
    },
    "birth_date": {
        "description": "A birth date equal to (+0.15) or agreeing with (+0.08) a listed one; "
        "a year more than one apart (-0.2)",
        "coefficient": 1.0,
        "url": "",
    },
    "country": {
        "description": "A country among (+0.03) or not among (-0.03) the listed ones",
        "coefficient": 1.0,
        "url": "",
    },
    "identifier": {
        "description": "A document or registry number the entity also carries (+0.3 strong, +0.1 other)",
        "coefficient": 1.0,
        "url": "",
    },
}


def resolve_dataset(name: str, sources: frozenset[str]) -> frozenset[str] | None:
    """The sources a dataset name stands for among those served; ``None`` if it names none."""
    if name in ALL_DATASETS:
        return sources
    slug = YENTE_DATASETS.get(name, name)
    if slug in sources:
        return frozenset([slug])
    prefixes = GROUPS.get(name)
    if prefixes:
        members = frozenset(s for s in sources if s.startswith(prefixes))
        if members:
            return members
    return None


def datasets(sources: frozenset[str]) -> dict[str, list[str]]:
    """Every dataset name the server answers to, with its sources."""
    names: dict[str, list[str]] = {"default": sorted(sources)}
    for group in GROUPS:
        members = resolve_dataset(group, sources)
        if members:
            names[group] = sorted(members)
    for slug in sorted(sources):
        names[slug] = [slug]
    for alias, slug in YENTE_DATASETS.items():
        if slug in sources:
            names[alias] = [slug]
    return names


def entity_properties(entity: Entity) -> dict[str, list[str]]:
    """An entity's facts as FollowTheMoney-style properties (``name``, ``alias``, ``birthDate``…)."""
    props: dict[str, list[str]] = {}

    def add(prop: str, value: str | None) -> None:
        if value:
            values = props.setdefault(prop, [])
            if value not in values:
                values.append(value)

    for name in entity.names:
        add(NAME_KIND_PROPS.get(name.kind, "alias"), name.full)
    for value in entity.birth_dates:
        add("birthDate", value)
    for value in entity.birth_places:
        add("birthPlace", value)
    for country in entity.countries:
        add(COUNTRY_ROLE_PROPS.get(country.role, "country"), country.code)
    for identifier in entity.identifiers:
        add(IDENTIFIER_SCHEME_PROPS.get(identifier.scheme, "idNumber"), identifier.value)
    for address in entity.addresses:
        parts = [address.street, address.city, address.region, address.postal_code, address.country]
        add("address", address.full or ", ".join(p for p in parts if p))
    for designation in entity.designations:
        add("program", designation.program)
        add("sourceUrl", designation.source_url)
        if designation.removed_on is None:
            add("topics", "sanction")
    for key, values in entity.properties.items():
        for value in values:
            add(key, value)
    add("notes", entity.remarks)
    return props


def result_json(match: Match, served: ServedIndex, threshold: float) -> dict[str, Any]:
    """One candidate in yente's result shape, with tamga's explanation."""
    entity = served.entity(match.entity_id)
    assert entity is not None
    explanation = match.explanation
    features = {"name": round(explanation.name_score, 4)}
    for qualifier in explanation.qualifiers:
        features[qualifier.kind] = qualifier.effect
    return {
        "id": entity.id,
        "schema": RESULT_SCHEMATA.get(entity.schema, entity.schema),
        "caption": entity.caption,
        "properties": served.cached("ftm:" + entity.id, lambda: entity_properties(entity)),
        "datasets": [entity.source],
        "referents": [],
        "target": True,
        "score": round(match.score, 4),
        "match": match.score >= threshold,
        "features": features,
        "explanations": explanation.to_dict(),
    }


# --- requests -----------------------------------------------------------------------------------


# Each query is checked on its own, so that a bad one gets its own 400 inside "responses" while
# the others are answered: the request model takes any object and documents the example shape.
_Example = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "object",
            "title": "EntityExample",
            "required": ["schema", "properties"],
            "properties": {
                "id": {"type": "string"},
                "schema": {"type": "string", "examples": ["Person"]},
                "properties": {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                    },
                },
            },
        }
    ),
]


class MatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "queries": {
                        "q1": {
                            "schema": "Person",
                            "properties": {
                                "name": ["Alken Tuniaz"],
                                "birthDate": ["1961"],
                                "nationality": ["cn"],
                            },
                        }
                    }
                }
            ]
        },
    )

    queries: dict[str, _Example]
    weights: dict[str, Any] = Field(default_factory=dict, description="Accepted and ignored.")
    config: dict[str, Any] = Field(default_factory=dict, description="Accepted and ignored.")


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class ScoredEntity(BaseModel):
    id: str
    schema_: str = Field(alias="schema")
    caption: str
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str] = []
    target: bool = True
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, Any]
    decision: dict[str, Any] | None = Field(
        None, description="The analysts' latest decision on this name and entity (`stale`: it changed since)."
    )
    suppressed: bool | None = Field(None, description="True when a false-positive decision turned match off.")


class EntityMatches(BaseModel):
    status: int = 200
    detail: str | None = None
    results: list[ScoredEntity]
    total: TotalSpec
    query: dict[str, Any]


class AlgorithmUsed(BaseModel):
    name: str
    requested: str


class MatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, dict[str, Any]]
    algorithm: AlgorithmUsed
    limit: int


class BadQuery(ValueError):
    """A query this server cannot screen, with the reason; answered as its own 400."""


@dataclass
class Example:
    """A yente query read and checked: what to screen, and the normalised query to echo."""

    screenings: list[Screening]
    echo: dict[str, Any]


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        if isinstance(item, (dict, list)) or item is None:
            raise BadQuery(f"properties.{key}: values must be strings")
        text = str(item).strip()
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise BadQuery(f"properties.{key}: {text!r} is not valid Unicode") from None
        if text:
            values.append(text)
    return values


def read_example(raw: Any, max_variants: int) -> Example:
    """Check one yente query and turn it into the screenings it stands for."""
    if not isinstance(raw, dict):
        raise BadQuery("a query must be an object with 'schema' and 'properties'")
    schema_name = raw.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        raise BadQuery("'schema' is missing (Person, Organization, Company, LegalEntity, Vessel…)")
    if schema_name not in QUERY_SCHEMATA:
        raise BadQuery(f"schema {schema_name!r} is not one of {', '.join(QUERY_SCHEMATA)}")
    props = raw.get("properties")
    if not isinstance(props, dict):
        raise BadQuery("'properties' must be an object of property name -> list of values")
    # The properties tamga reads are checked; others (an address entity, say) are echoed as given.
    echo = {
        k: (_values(props, k) if k in USED_PROPS else v if isinstance(v, list) else [v])
        for k, v in props.items()
    }
    schema = QUERY_SCHEMATA[schema_name]
    names = list(dict.fromkeys(v for key in NAME_PROPS for v in echo.get(key, [])))
    parts = [echo[key][0] for key in NAME_PART_PROPS if echo.get(key)]
    if parts:
        names.append(" ".join(parts))
    if not names:
        raise BadQuery("properties.name is missing: tamga screens by name")
    dates = []
    for value in (v for key in DATE_PROPS for v in echo.get(key, [])):
        parsed = parse_date(value[:10] if len(value) > 10 and value[4] == "-" else value)
        if parsed is None:
            raise BadQuery(f"properties.birthDate: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        dates.append(parsed)
    countries = []
    for value in (v for key in COUNTRY_PROPS for v in echo.get(key, [])):
        code = country_code(value)
        if code is None:
            raise BadQuery(f"properties: {value!r} is not a country (ISO 3166 code or name)")
        countries.append(code)
    identifiers = tuple(dict.fromkeys(v for key in IDENTIFIER_PROPS for v in echo.get(key, [])))
    combos = list(
        itertools.product(
            names, list(dict.fromkeys(dates)) or [None], list(dict.fromkeys(countries)) or [None]
        )
    )
    if len(combos) > max_variants:
        raise BadQuery(
            f"{len(combos)} combinations of name, birth date and country: at most {max_variants} per query"
        )
    screenings = [Screening(n, schema, d, c, identifiers) for n, d, c in combos]
    echoed: dict[str, Any] = {"schema": schema_name, "properties": echo}
    if raw.get("id") is not None:
        echoed["id"] = str(raw["id"])
    return Example(screenings, echoed)


def screen_example(
    served: ServedIndex,
    example: Example,
    allowed: frozenset[str] | None,
    threshold: float,
    cutoff: float,
) -> list[Match]:
    """Every candidate of the example's screenings, best per entity, best first."""
    best: dict[str, Match] = {}
    for screening in example.screenings:
        for m in served.screener.match(screening, threshold=threshold, limit=ALL_CANDIDATES):
            if m.score < cutoff or (allowed is not None and m.entity_id.split(":", 1)[0] not in allowed):
                continue
            current = best.get(m.entity_id)
            if current is None or m.score > current.score:
                best[m.entity_id] = m
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_id))


# --- the endpoint -------------------------------------------------------------------------------


def answer_queries(
    served: ServedIndex,
    queries: dict[str, Any],
    only: frozenset[str] | None,
    threshold: float,
    cutoff: float,
    limit: int,
    limits: Limits,
    decisions: Store | None = None,
) -> tuple[dict[str, Any], int]:
    """Each query's answer in yente's shape, and how many queries were screened; with the store of
    ``decisions``, each result carries the analysts' latest decision on its pair (tamga.monitor)."""
    responses: dict[str, Any] = {}
    screened = 0
    for key, raw in queries.items():
        try:
            example = read_example(raw, limits.variants)
        except BadQuery as exc:
            responses[key] = {
                "status": 400,
                "detail": str(exc),
                "results": [],
                "total": {"value": 0, "relation": "eq"},
                "query": raw if isinstance(raw, dict) else {},
            }
            continue
        found = screen_example(served, example, only, threshold, cutoff)
        screened += 1
        results = [result_json(m, served, threshold) for m in found[:limit]]
        if decisions is not None:
            names = list(dict.fromkeys(s.name for s in example.screenings))
            annotate(results, names, decisions, served.entity, id_key="id")
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(found), "relation": "eq"},
            "query": example.echo,
        }
    return responses, screened


@router.post(
    "/match/{dataset}",
    summary="Match entities by example (yente-compatible)",
    response_model=MatchResponse,
    responses={
        400: {"description": "Bad request: unknown algorithm, too many queries, no queries"},
        404: {"description": "No such dataset"},
        413: {"description": "Request body too large"},
        503: {"description": "No index served yet"},
    },
)
async def match(
    request: Request,
    body: MatchRequest,
    served: Annotated[ServedIndex, Depends(served_index)],
    dataset: Annotated[
        str,
        Path(
            description="`default` for every loaded list, a source (`ofac-sdn`), a group (`ofac`, `us`, "
            "`un`, `eu`, `uk`) or a yente dataset name (`us_ofac_sdn`)",
            examples=["default"],
        ),
    ],
    threshold: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Score from which a candidate is a match.")
    ] = None,
    cutoff: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Lowest score returned (deprecated in yente).")
    ] = None,
    limit: Annotated[int, Query(ge=1, description="Candidates per query.")] = DEFAULT_LIMIT,
    algorithm: Annotated[
        str, Query(description=f"Any of yente's names ({', '.join(YENTE_ALGORITHMS)}) or `tamga`")
    ] = "best",
) -> Response:
    """Screen up to 100 example entities, each given as yente's `/match` takes them: a schema
    and FollowTheMoney properties (`name`, `alias`, `birthDate`, `nationality`, `country`,
    `idNumber`, `passportNumber`, `isin`, `imoNumber`…). Several names are each screened and the
    best result per entity is kept. Each result carries yente's fields and `explanations`: the
    listed name that met the query, each name part's score and each qualifier's effect.

    A query that cannot be screened gets `"status": 400` and a `detail` of its own, while the
    others are answered."""
    limits = request.app.state.limits
    if algorithm != ALGORITHM and algorithm not in YENTE_ALGORITHMS:
        return error(400, f"Invalid algorithm {algorithm!r}: use one of {', '.join(YENTE_ALGORITHMS)}, tamga")
    if limit > limits.results:
        return error(400, f"limit {limit} is over this server's {limits.results}")
    if not body.queries:
        return error(400, "No queries provided.")
    if len(body.queries) > limits.queries:
        return error(400, f"Too many queries in one batch ({len(body.queries)}; limit: {limits.queries})")
    allowed = resolve_dataset(dataset, served.sources)
    if allowed is None:
        return error(404, f"No such dataset: {dataset!r}", datasets=sorted(datasets(served.sources)))
    only = None if allowed == served.sources else allowed
    threshold = served.screener.threshold if threshold is None else threshold
    answer = partial(
        answer_queries,
        served,
        body.queries,
        only,
        threshold,
        FLOOR if cutoff is None else cutoff,
        limit,
        limits,
        request.app.state.store,
    )
    # A few queries take milliseconds: answered on the event loop, without a thread hand-off.
    # A larger batch goes to a thread so that the loop keeps answering other requests.
    if len(body.queries) <= INLINE_QUERIES:
        responses, screened = answer()
    else:
        responses, screened = await run_in_threadpool(answer)
    request.app.state.metrics.screened.labels("match").inc(screened)
    return Json(
        {
            "responses": responses,
            "matcher": FEATURES,
            "algorithm": {"name": ALGORITHM, "requested": algorithm},
            "limit": limit,
        },
        headers={"x-batch-size": str(len(responses))},
    )


@router.get("/algorithms", summary="Matching algorithms (yente-compatible)")
async def algorithms() -> dict[str, Any]:
    """tamga has one scorer; every yente algorithm name is answered by it."""
    return {
        "algorithms": [
            {
                "name": ALGORITHM,
                "description": "tamga's explainable scorer: names in any script, then birth date, country "
                "and identifier qualifiers",
                "features": FEATURES,
                "aliases": list(YENTE_ALGORITHMS),
            }
        ],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }
