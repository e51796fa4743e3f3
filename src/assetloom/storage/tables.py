"""The tables of the current schema version, for queries. Migrations build them (see
``migrations``); a test checks that a migrated database has exactly these columns.

Names carry a ``loom_`` prefix so that storage can share a database with anything else.
"""

from __future__ import annotations

import sqlalchemy as sa

RUN_ID = sa.String(64)
EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: the rowid itself

metadata = sa.MetaData()

runs = sa.Table(
    "loom_runs",
    metadata,
    sa.Column("run_id", RUN_ID, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("ended_at", sa.Float),
    sa.Column("selection", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("pid", sa.Integer),
    sa.Column("hostname", sa.String(255)),
    sa.Column("heartbeat_at", sa.Float),
)

events = sa.Table(
    "loom_events",
    metadata,
    sa.Column("id", EVENT_ID, primary_key=True, autoincrement=True),
    sa.Column("run_id", RUN_ID, nullable=False),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("step_key", sa.Text),
    sa.Column("asset_key", sa.Text),
    sa.Column("body", sa.Text, nullable=False),
)

asset_state = sa.Table(
    "loom_asset_state",
    metadata,
    sa.Column("asset_key", sa.Text, primary_key=True),
    sa.Column("materialized_at", sa.Float),
    sa.Column("materialized_run_id", RUN_ID),
    sa.Column("code_version", sa.Text),
    sa.Column("last_status", sa.String(16)),
    sa.Column("last_run_id", RUN_ID),
    sa.Column("last_status_at", sa.Float),
)

schema_version = sa.Table(
    "loom_schema_version",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)
