"""Every list of works a reader gets — web pages, Atom and OPDS feeds, `fanarchive search` — comes
from `service.list_works`: one question (`SearchQuery`) to the search backend, asked as the viewer
may ask it, and the page of works hydrated from the database in a fixed number of queries.

`pages` reads a web listing's filters from the URL, `feed_pages` pages feeds, `cli_search` answers
the command line's flags and JSON; all three call the service."""
