"""Users, their roles and API tokens: where every identity comes from."""
