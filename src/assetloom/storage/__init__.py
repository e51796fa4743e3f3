"""Run storage: every run's record and event log, in SQLite (default) or PostgreSQL.

Only the modules that talk to the database import SQLAlchemy (``engine``, ``tables``,
``migrations``, ``run_storage``, ``writer``); ``location``, ``records``, ``history``,
``staleness`` and ``liveness`` are plain Python, so a command can decide whether it needs the
database at all before paying for the import.
"""
