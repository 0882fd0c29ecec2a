"""Legal domain."""
