"""Hypothesis profiles: the default run stays fast; FANARCHIVE_HYPOTHESIS=ci (or =deep) runs many
more examples, as CI does."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("default", max_examples=6, **_COMMON)
settings.register_profile("ci", max_examples=150, **_COMMON)
settings.register_profile("deep", max_examples=2_000, **_COMMON)
settings.load_profile(os.environ.get("FANARCHIVE_HYPOTHESIS", "default"))
