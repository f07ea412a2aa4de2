"""The HTTP API (FastAPI): routes split by resource, one place that maps domain errors to statuses."""
