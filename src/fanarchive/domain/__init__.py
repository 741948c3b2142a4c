"""The pure core: parsers, exporters, word counting, tag logic. Never imports Django."""
