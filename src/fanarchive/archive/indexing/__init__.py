"""The database side of search: documents derived from the database, the configured backend, and
the outbox drain that keeps the index in step."""
