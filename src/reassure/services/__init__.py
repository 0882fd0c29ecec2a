"""Services across domains: the pictures every adapter (CLI, API, web pages, jobs, the brief) renders.

Each takes a session bound to a viewer's identity (so every read is already filtered by releasability) and plain
arguments, and returns typed read models; adapters only parse input and render what comes back.
"""
