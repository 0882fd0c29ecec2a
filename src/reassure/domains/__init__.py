"""Domain packages: models (ORM), schemas (Create/Read), service (reads), actions (audited writes)."""
