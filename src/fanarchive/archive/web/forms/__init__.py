"""Django forms of the archive's pages: they validate what people type and hand actions plain values."""
