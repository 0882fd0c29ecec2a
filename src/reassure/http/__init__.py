"""HTTP plumbing shared by the API and the dashboard's pages, below both: the one error body (errors), the
conventions every response gets (conventions: bounds, HEAD, caching, ETags, gzip, Retry-After) and the HTTP/1.1
protocol `reassure serve` runs (protocol)."""
