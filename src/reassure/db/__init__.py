"""Database plumbing: engine, unit of work, access filter, migrations."""
