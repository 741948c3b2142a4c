"""Whole pages for anonymous readers, kept in Django's cache framework and never stale.

Every cached page is keyed on one content version (versions.py). Any write to a table whose rows
show on a page bumps it (invalidation.py), once when the write is made and again when its
transaction commits, so a page made from the old rows is never served after the change commits.
The middleware (middleware.py) serves and stores pages; forms in them get the reader's own CSRF
token at the last moment (csrf.py), so one stored page serves every reader."""
