"""Every API error as an RFC 9457 problem details document (application/problem+json): the
status, a short title, the detail a client can show, and for 422 the fields that were wrong."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger("django.request")


class Problem(Schema):
    """RFC 9457: `type` is about:blank (the status says it all), `title` the status's phrase."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def problem(status: int, detail: str, *, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors)
    return HttpResponse(
        json.dumps(body.model_dump(exclude_none=True)), status=status, content_type=PROBLEM_TYPE
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Missing and forbidden answer alike (access.py raises the same Http404 for both): one body.
    return problem(404, "Nothing is here, or you may not see it.")


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, exc.message)


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(401, exc.message if exc.message != "Unauthorized" else "A valid token is needed.")
    response["WWW-Authenticate"] = 'Bearer realm="fanarchive"'
    return response


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Pydantic's context may hold the exception objects themselves: keep what JSON can say.
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
    return problem(422, "The request's parameters or body are not valid.", errors=errors)


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback for the operator (Django's request logger, as for a page); the
    # client gets a problem document, never the site's HTML 500 page nor a traceback.
    logger.error(
        "API error on %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return problem(500, "Something went wrong on our side; it has been logged.")


def install_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(Exception, _server_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _unauthenticated)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, _invalid)  # type: ignore[arg-type]


# The error statuses every endpoint may answer, for the OpenAPI document (app.py lists them as
# application/problem+json): no token scope (403), a dead token (401), missing or forbidden (404),
# bad parameters (422), over a rate limit (429).
ERRORS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
