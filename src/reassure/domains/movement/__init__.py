"""Freedom of movement: restrictions and incidents affecting the force (issue 26 item 6, docs/adr/0045)."""
