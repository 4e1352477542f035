"""entity store with snapshots

Revision ID: 0001
Revises:
Create Date: 2026-11-22 15:41:09.526071
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "fetch_state",
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_fetch_state")),
    )
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=50), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.String(length=32), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
        sa.UniqueConstraint("source", "seq", name=op.f("uq_snapshot_source_seq")),
    )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snapshot_source_sha256"), ["source", "sha256"], unique=False)

    op.create_table(
        "stored_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("compression", sa.String(length=16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_file")),
    )
    op.create_table(
        "entity_version",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_id", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("schema", sa.String(length=50), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_snapshot_id", sa.Integer(), nullable=False),
        sa.Column("retired_snapshot_id", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_snapshot_id"], ["snapshot.id"], name=op.f("fk_entity_version_first_snapshot_id_snapshot")
        ),
        sa.ForeignKeyConstraint(
            ["retired_snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_entity_version_retired_snapshot_id_snapshot"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_version")),
    )
    with op.batch_alter_table("entity_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_version_entity_id_first_snapshot_id"),
            ["entity_id", "first_snapshot_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_entity_version_first_snapshot_id"), ["first_snapshot_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entity_version_retired_snapshot_id"), ["retired_snapshot_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entity_version_source_retired_snapshot_id"),
            ["source", "retired_snapshot_id"],
            unique=False,
        )

    op.create_table(
        "snapshot_file",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["stored_file.sha256"], name=op.f("fk_snapshot_file_sha256_stored_file")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_snapshot_file_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "role", name=op.f("pk_snapshot_file")),
    )
    op.create_table(
        "address",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("full", sa.Text(), nullable=True),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("postal_code", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_address_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_version_id"), ["version_id"], unique=False)

    op.create_table(
        "birth_date",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_birth_date_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_birth_date")),
    )
    with op.batch_alter_table("birth_date", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_birth_date_version_id"), ["version_id"], unique=False)

    op.create_table(
        "birth_place",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_birth_place_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_birth_place")),
    )
    with op.batch_alter_table("birth_place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_birth_place_version_id"), ["version_id"], unique=False)

    op.create_table(
        "country",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_country_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country")),
    )
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_country_version_id"), ["version_id"], unique=False)

    op.create_table(
        "designation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("authority", sa.String(length=50), nullable=False),
        sa.Column("list", sa.String(length=200), nullable=False),
        sa.Column("program", sa.String(length=200), nullable=True),
        sa.Column("listed_on", sa.String(length=32), nullable=True),
        sa.Column("removed_on", sa.String(length=32), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_designation_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designation")),
    )
    with op.batch_alter_table("designation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_designation_version_id"), ["version_id"], unique=False)

    op.create_table(
        "identifier",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_identifier_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifier")),
    )
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identifier_scheme_value"), ["scheme", "value"], unique=False)
        batch_op.create_index(batch_op.f("ix_identifier_version_id"), ["version_id"], unique=False)

    op.create_table(
        "name",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("full", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("script", sa.String(length=32), nullable=True),
        sa.Column("given", sa.Text(), nullable=True),
        sa.Column("middle", sa.Text(), nullable=True),
        sa.Column("family", sa.Text(), nullable=True),
        sa.Column("patronymic", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("quality", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_name_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name")),
    )
    with op.batch_alter_table("name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_name_version_id"), ["version_id"], unique=False)

    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=300), nullable=True),
        sa.Column("target_name", sa.Text(), nullable=True),
        sa.Column("share", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entity_version.id"],
            name=op.f("fk_relation_version_id_entity_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
    )
    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relation_version_id"), ["version_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_version_id"))

    op.drop_table("relation")
    with op.batch_alter_table("name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_name_version_id"))

    op.drop_table("name")
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifier_version_id"))
        batch_op.drop_index(batch_op.f("ix_identifier_scheme_value"))

    op.drop_table("identifier")
    with op.batch_alter_table("designation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_designation_version_id"))

    op.drop_table("designation")
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_country_version_id"))

    op.drop_table("country")
    with op.batch_alter_table("birth_place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_birth_place_version_id"))

    op.drop_table("birth_place")
    with op.batch_alter_table("birth_date", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_birth_date_version_id"))

    op.drop_table("birth_date")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_version_id"))

    op.drop_table("address")
    op.drop_table("snapshot_file")
    with op.batch_alter_table("entity_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_version_source_retired_snapshot_id"))
        batch_op.drop_index(batch_op.f("ix_entity_version_retired_snapshot_id"))
        batch_op.drop_index(batch_op.f("ix_entity_version_first_snapshot_id"))
        batch_op.drop_index(batch_op.f("ix_entity_version_entity_id_first_snapshot_id"))

    op.drop_table("entity_version")
    op.drop_table("stored_file")
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshot_source_sha256"))

    op.drop_table("snapshot")
    op.drop_table("fetch_state")
