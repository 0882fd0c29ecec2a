"""Alerts: each nation's notification channels (webhooks, e-mail), the rule state changes of its view, and the log of
every delivery attempt."""
