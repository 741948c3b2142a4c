"""One module per source family. Each module exposes PARSERS, a list of Parser objects;
registry.py finds them the way it would find a plugin's."""
