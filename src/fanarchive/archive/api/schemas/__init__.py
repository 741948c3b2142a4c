"""The API's pydantic schemas, one module per area; they describe responses in the OpenAPI document."""
