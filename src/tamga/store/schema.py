"""The tables of the entity store.

Entities are versioned per snapshot: an ``entity_version`` row holds one content of one entity and
is visible from the snapshot that introduced it up to (not including) the snapshot that retired it.
An ingest that leaves an entity unchanged writes nothing for it, so a weekly list update costs
rows only for what changed, and any past state is the set of versions visible at that snapshot.

The child tables (names, identifiers, …) hang off the version, so a query "who has ISIN X" or
"which names contain Y" is a plain indexed look-up, and reading an entity back needs no JSON.

The raw files of every snapshot are kept, content-addressed, in ``stored_file``: one file of a
multi-file set (OFAC's alt.csv, say) can then be ingested alone and merged with the files of the
previous snapshot, and every state can be traced to the exact bytes it came from.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

stored_file = Table(
    "stored_file",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("compression", String(16), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

snapshot = Table(
    "snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("format", String(50), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("published_at", String(32)),
    Column("ingested_at", DateTime, nullable=False),
    Column("counts", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    UniqueConstraint("source", "seq"),
    Index(None, "source", "sha256"),
)

snapshot_file = Table(
    "snapshot_file",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(50), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("sha256", String(64), ForeignKey("stored_file.sha256"), nullable=False),
)

entity_version = Table(
    "entity_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(300), nullable=False),
    Column("source", String(100), nullable=False),
    Column("schema", String(50), nullable=False),
    Column("caption", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("first_snapshot_id", Integer, ForeignKey("snapshot.id"), nullable=False),
    Column("retired_snapshot_id", Integer, ForeignKey("snapshot.id")),
    Column("remarks", Text),
    Column("properties", JSON, nullable=False),
    Index(None, "entity_id", "first_snapshot_id"),
    Index(None, "source", "retired_snapshot_id"),
    Index(None, "first_snapshot_id"),
    Index(None, "retired_snapshot_id"),
)


def _child(name: str, *columns: Column) -> Table:
    """A table of one kind of fact about an entity version, kept in the order the source gave."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "version_id",
            Integer,
            ForeignKey("entity_version.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("position", Integer, nullable=False),
        *columns,
    )


name = _child(
    "name",
    Column("full", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("script", String(32)),
    Column("given", Text),
    Column("middle", Text),
    Column("family", Text),
    Column("patronymic", Text),
    Column("lang", String(16)),
    Column("quality", String(50)),
)

identifier = _child(
    "identifier",
    Column("scheme", String(50), nullable=False),
    Column("value", String(500), nullable=False),
    Column("country", String(8)),
    Column("raw", Text),
    Column("note", Text),
    Column("valid", Boolean),
)
Index(None, identifier.c.scheme, identifier.c.value)

birth_date = _child("birth_date", Column("value", String(10), nullable=False))
birth_place = _child("birth_place", Column("value", Text, nullable=False))
country = _child(
    "country",
    Column("code", String(8), nullable=False),
    Column("role", String(20), nullable=False),
)
address = _child(
    "address",
    Column("full", Text),
    Column("street", Text),
    Column("city", Text),
    Column("region", Text),
    Column("postal_code", String(100)),
    Column("country", String(8)),
)
designation = _child(
    "designation",
    Column("authority", String(50), nullable=False),
    Column("list", String(200), nullable=False),
    Column("program", String(200)),
    Column("listed_on", String(32)),
    Column("removed_on", String(32)),
    Column("legal_basis", Text),
    Column("reason", Text),
    Column("source_url", Text),
    # None for official lists; False for a curated action its sources do not (yet) confirm.
    Column("verified", Boolean),
)
relation = _child(
    "relation",
    Column("kind", String(32), nullable=False),
    Column("target_id", String(300)),
    Column("target_name", Text),
    Column("share", Float),
    Column("note", Text),
)

fetch_state = Table(
    "fetch_state",
    metadata,
    Column("url", String(1000), primary_key=True),
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("sha256", String(64)),
    Column("checked_at", DateTime, nullable=False),
)

# API keys for ``tamga serve``: only a salted hash of each key is kept. ``key_id`` is the public
# part of the key, written in it, so that a request's key is found without trying every hash.
api_key = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("salt", String(64), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

# Subjects: the same person or organisation as listed by several sources. ``subject_member`` is
# rebuilt by every clustering run, with the evidence that joined each entity to its subject;
# ``subject_link`` is the append-only log of human judgements (the latest per pair holds), which
# every run respects, so a confirmed link or a split survives re-clustering.
subject_member = Table(
    "subject_member",
    metadata,
    Column("entity_id", String(300), primary_key=True),
    Column("subject_id", String(300), nullable=False, index=True),
    Column("evidence", JSON, nullable=False),
    Column("clustered_at", DateTime, nullable=False),
)

subject_link = Table(
    "subject_link",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_a", String(300), nullable=False),
    Column("entity_b", String(300), nullable=False),
    Column("decision", String(8), nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", DateTime, nullable=False),
    Column("reason", Text),
    Index(None, "entity_a", "entity_b"),
)

# Child tables and the Entity attribute each one holds, in the order entities are rebuilt.
CHILD_TABLES = {
    "names": name,
    "identifiers": identifier,
    "birth_dates": birth_date,
    "birth_places": birth_place,
    "countries": country,
    "addresses": address,
    "designations": designation,
    "relations": relation,
}

# Monitoring (``tamga.monitor``): watchlists of counterparties, the alerts raised on them, the
# analysts' decisions, the append-only audit log and the webhook deliveries still to make.
# ``monitor_state`` holds the last snapshot of each source that monitoring has screened against.
watchlist = Table(
    "watchlist",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
)

watchlist_row = Table(
    "watchlist_row",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist_id", Integer, ForeignKey("watchlist.id", ondelete="CASCADE"), nullable=False),
    Column("ref", String(300)),  # the file's own id (``id`` or ``case_id`` column), if it has one
    Column("line", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, index=True),
    Column("schema", String(50)),
    Column("birth_date", String(10)),
    Column("country", String(8)),
    Column("identifiers", JSON, nullable=False),
    Column("added_at", DateTime, nullable=False),
    Column("screened_at", DateTime),  # None until screened against every listed entity
    UniqueConstraint("watchlist_id", "ref"),
    Index(None, "watchlist_id", "screened_at"),
)

monitor_state = Table(
    "monitor_state",
    metadata,
    Column("source", String(100), primary_key=True),
    Column("snapshot_seq", Integer, nullable=False),
    Column("processed_at", DateTime, nullable=False),
)

# A lease lets one of several server processes do a job the others then skip (a monitoring run):
# whoever holds it until ``expires_at``; an expired lease is anyone's to take.
lease = Table(
    "lease",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", DateTime, nullable=False),
    Column("fingerprint", JSON, nullable=False),  # hash of the entity's names, identifiers, designations
    Column("alert_id", Integer),  # the alert it was made on, if any
    Index(None, "name_key", "entity_id"),
    Index(None, "entity_id"),
)

alert = Table(
    "alert",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("row_id", Integer, ForeignKey("watchlist_row.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("entity_name", Text, nullable=False),
    Column("status", String(8), nullable=False),  # open | closed
    Column("score", Float, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("snapshot_id", Integer, ForeignKey("snapshot.id"), nullable=False),
    Column("raised_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
    Column("close_reason", Text),
    Column("decision_id", Integer, ForeignKey("decision.id")),
    Column("changed", JSON),  # what changed in the entity since the decision, when it reopened
    UniqueConstraint("row_id", "entity_id"),
    Index(None, "status"),
    Index(None, "entity_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("snapshots", JSON, nullable=False),
    Column("details", JSON, nullable=False),
    # sha256(prev_hash + canonical JSON of the row); unique, so two writers cannot fork the chain
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)

webhook_delivery = Table(
    "webhook_delivery",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("body", Text, nullable=False),  # the exact bytes signed and sent, so retries send the same
    Column("created_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("delivered_at", DateTime),
    Column("last_error", Text),
    Index(None, "delivered_at", "next_attempt_at"),
)
