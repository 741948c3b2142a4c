"""Who is told of what (recipients), how it is written (mail), and when (immediate mail and digests)."""
