"""subjects across lists, and verified designations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("designation") as batch:
        batch.add_column(sa.Column("verified", sa.Boolean(), nullable=True))
    op.create_table(
        "subject_member",
        sa.Column("entity_id", sa.String(length=300), nullable=False),
        sa.Column("subject_id", sa.String(length=300), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("clustered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_subject_member")),
    )
    op.create_index(op.f("ix_subject_member_subject_id"), "subject_member", ["subject_id"])
    op.create_table(
        "subject_link",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_a", sa.String(length=300), nullable=False),
        sa.Column("entity_b", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_link")),
    )
    op.create_index(op.f("ix_subject_link_entity_a_entity_b"), "subject_link", ["entity_a", "entity_b"])


def downgrade() -> None:
    op.drop_index(op.f("ix_subject_link_entity_a_entity_b"), table_name="subject_link")
    op.drop_table("subject_link")
    op.drop_index(op.f("ix_subject_member_subject_id"), table_name="subject_member")
    op.drop_table("subject_member")
    with op.batch_alter_table("designation") as batch:
        batch.drop_column("verified")
