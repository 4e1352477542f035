"""monitoring: watchlists, alerts, decisions, audit log, webhook deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist")),
        sa.UniqueConstraint("name", name=op.f("uq_watchlist_name")),
    )
    op.create_table(
        "watchlist_row",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("watchlist_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=300), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("schema", sa.String(length=50), nullable=True),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("screened_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["watchlist.id"],
            name=op.f("fk_watchlist_row_watchlist_id_watchlist"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_row")),
        sa.UniqueConstraint("watchlist_id", "ref", name=op.f("uq_watchlist_row_watchlist_id_ref")),
    )
    op.create_index(op.f("ix_watchlist_row_name_key"), "watchlist_row", ["name_key"])
    op.create_index(
        op.f("ix_watchlist_row_watchlist_id_screened_at"), "watchlist_row", ["watchlist_id", "screened_at"]
    )
    op.create_table(
        "monitor_state",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("snapshot_seq", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_monitor_state")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("fingerprint", sa.JSON(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    op.create_index(op.f("ix_decision_name_key_entity_id"), "decision", ["name_key", "entity_id"])
    op.create_index(op.f("ix_decision_entity_id"), "decision", ["entity_id"])
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=300), nullable=False),
        sa.Column("entity_name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("changed", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["row_id"], ["watchlist_row.id"], name=op.f("fk_alert_row_id_watchlist_row"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshot.id"], name=op.f("fk_alert_snapshot_id_snapshot")),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"], name=op.f("fk_alert_decision_id_decision")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("row_id", "entity_id", name=op.f("uq_alert_row_id_entity_id")),
    )
    op.create_index(op.f("ix_alert_status"), "alert", ["status"])
    op.create_index(op.f("ix_alert_entity_id"), "alert", ["entity_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("snapshots", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    op.create_index(
        op.f("ix_webhook_delivery_delivered_at_next_attempt_at"),
        "webhook_delivery",
        ["delivered_at", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_delivery_delivered_at_next_attempt_at"), table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_alert_entity_id"), table_name="alert")
    op.drop_index(op.f("ix_alert_status"), table_name="alert")
    op.drop_table("alert")
    op.drop_index(op.f("ix_decision_entity_id"), table_name="decision")
    op.drop_index(op.f("ix_decision_name_key_entity_id"), table_name="decision")
    op.drop_table("decision")
    op.drop_table("monitor_state")
    op.drop_index(op.f("ix_watchlist_row_watchlist_id_screened_at"), table_name="watchlist_row")
    op.drop_index(op.f("ix_watchlist_row_name_key"), table_name="watchlist_row")
    op.drop_table("watchlist_row")
    op.drop_table("watchlist")
