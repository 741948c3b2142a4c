"""One django-ninja router per area of the API, each added to the API in app.py."""
