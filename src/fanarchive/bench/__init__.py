"""Benchmarks and the synthetic corpus they run on. Figures are written as JSON, never asserted."""
