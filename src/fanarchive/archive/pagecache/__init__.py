"""Whole pages for anonymous readers, kept in Django's cache framework and never stale.

Every cached page is kept with the version tokens of what it shows (versions.py): SITE, the works
it shows, the search index (dependencies.py notes them as the page reads its rows). Any write to a
table whose rows show on a page replaces SITE's token, or, inside `changes_only`, the narrower keys
an action names (invalidation.py), once when the write is made and again when its transaction
commits, so a page made from the old rows is never served after the change commits. The middleware
(middleware.py) serves and stores pages; forms in them get the reader's own CSRF token at the last
moment (csrf.py), so one stored page serves every reader."""
