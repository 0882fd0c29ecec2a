"""Background jobs (huey): the queue on the app's database, the worker that runs jobs as their owners, and the
bookkeeping that keeps a job's state true across restarts."""
