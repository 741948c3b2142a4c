"""The public JSON API (/api/v1/): django-ninja routers and pydantic schemas over the same
listing service, access rules and actions the pages use; it adds no rule of its own."""
