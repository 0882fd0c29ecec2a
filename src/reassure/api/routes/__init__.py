"""The /api/v1 routers, one module per area users know (registry, incidents, rules, plans, admin, exports)."""
