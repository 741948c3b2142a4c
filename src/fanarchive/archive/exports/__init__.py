"""Work -> download files and their cache.

`interchange` turns a stored work back into a ParsedWork, `cache` writes and keeps the download
files, `copy` hands one to the CLI. The arrows point one way (copy -> cache -> interchange), so the
package has no import cycle."""
