"""fanarchive: a self-hostable fan-fiction archive."""

__version__ = "0.1.0"
