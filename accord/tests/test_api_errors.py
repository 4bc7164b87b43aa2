"""Every status the API answers is in its OpenAPI document, and every error has one shape.

For every operation of ``/api/openapi.json`` the test sends what a schema fuzzer would:
no sign-in; a path id that names nothing and one that is malformed; a query parameter
of the wrong type; a body that is not JSON, of the wrong type, or minimal but valid
(built from the operation's own schema, naming things that do not exist); a change
signed in by session without its CSRF token. Each answer's status must be documented
for that operation, and each error must be ``{"code": str, "detail": str | list}``.
Nothing here can succeed at changing an existing thing: every id it names is missing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from accord.api import AUTH_CSRF_FAILED, AUTH_REQUIRED, REQUEST_INVALID, REQUEST_MALFORMED

MISSING_UUID = "00000000-0000-4000-8000-000000000000"
MISSING_INT = 987654
MALFORMED_ID = "not-an-id"
WRITES = {"post", "put", "patch", "delete"}
CODE = re.compile(r"[a-z_]+(\.[a-z_]+)*")


@pytest.fixture
def document(cast):
    """The OpenAPI document, as a signed-in client reads it."""
    client = Client()
    client.force_login(cast["pk-chair"])
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A minimal value that validates against ``schema`` (required fields only)."""
    schema = _resolve(document, schema)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _sample(document, options[0]) if options else None
    if "allOf" in schema:
        return _sample(document, schema["allOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: _sample(document, properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    formats = {"date": "2027-01-04", "date-time": "2027-01-04T09:00:00Z", "uuid": MISSING_UUID}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "x" * max(1, schema.get("minLength", 1))


def _path_value(parameter: dict[str, Any], value: str) -> str:
    if value == MALFORMED_ID:
        return value
    return str(MISSING_INT) if parameter["schema"].get("type") == "integer" else MISSING_UUID


def _url(path: str, operation: dict[str, Any], value: str) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", _path_value(parameter, value))
    return path


def _wrong_value(document: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """A value of the wrong type for a query parameter, or None if any text is valid."""
    schema = _resolve(document, schema)
    kinds = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    for kind in kinds:
        if kind.get("type") in ("integer", "number", "boolean"):
            return "not-a-number"
        if kind.get("format") in ("date", "date-time", "uuid"):
            return "2026-02-30"
        if "enum" in kind:
            return "no-such-value"
    return None


def _send(client: Client, method: str, url: str, body: Any = None, raw: str | None = None):
    if raw is not None:
        return client.generic(method.upper(), url, raw, content_type="application/json")
    if method in WRITES:
        return client.generic(
            method.upper(), url, _json(body if body is not None else {}), "application/json"
        )
    return client.get(url)


def _json(value: Any) -> str:
    return json.dumps(value)


class Findings:
    """Every undocumented status or misshapen error, collected to be reported at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: dict[int, int] = {}

    def expect(self, holds: bool, method: str, path: str, what: str, response) -> None:
        if not holds:
            answer = f"{response.status_code} {response.content[:120]!r}"
            self.problems.append(f"{method.upper()} {path}: {what} ({answer})")

    def check(self, probe: str, method: str, path: str, operation: dict, response) -> None:
        status = response.status_code
        self.seen[status] = self.seen.get(status, 0) + 1
        where = f"{method.upper()} {path} ({probe})"
        if str(status) not in {str(s) for s in operation["responses"]}:
            self.problems.append(f"{where}: {status} is not documented")
        if status >= 400:
            try:
                body = response.json()
            except ValueError:
                self.problems.append(f"{where}: {status} answered {response.content[:80]!r}")
                return
            if not (
                isinstance(body, dict)
                and set(body) == {"code", "detail"}
                and isinstance(body["code"], str)
                and CODE.fullmatch(body["code"])
                and isinstance(body["detail"], str | list)
            ):
                self.problems.append(f"{where}: {status} answered {body!r:.120}")


def test_every_operation_documents_its_errors_with_the_error_schema(document):
    for path, method, operation in _operations(document):
        documented = {int(s) for s in operation["responses"]}
        assert operation.get("security"), f"{method} {path} is open to anyone"
        assert {401, 403, 404} <= documented, f"{method} {path}: {sorted(documented)}"
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in documented, f"{method} {path}: {sorted(documented)}"
        if method in WRITES:
            assert {400, 409} <= documented, f"{method} {path}: {sorted(documented)}"
        for status in documented - {200, 201, 204}:
            schema = operation["responses"][str(status)]["content"]["application/json"]
            error = {"$ref": "#/components/schemas/ErrorOut"}
            assert schema["schema"] == error or error in schema["schema"]["anyOf"], path
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["code", "detail"]


def test_every_status_the_api_answers_to_a_fuzzer_is_documented(cast, document):
    findings = Findings()
    facilitator, party = Client(), Client()
    facilitator.force_login(cast["pk-chair"])
    party.force_login(cast["ir-head"])
    for path, method, operation in _operations(document):
        has_path_id = "{" in path

        # Given no sign-in at all, then the answer is 401 auth.required.
        anonymous = _send(Client(), method, _url(path, operation, MISSING_UUID))
        findings.check("anonymous", method, path, operation, anonymous)
        findings.expect(
            anonymous.status_code == 401
            and anonymous.json() == {"code": AUTH_REQUIRED.code, "detail": AUTH_REQUIRED.text()},
            method,
            path,
            "anonymous: not 401 auth.required",
            anonymous,
        )

        # Given a change signed in by session without its CSRF token, then 403.
        if method in WRITES:
            guarded = Client(enforce_csrf_checks=True)
            guarded.force_login(cast["pk-chair"])
            refused = _send(guarded, method, _url(path, operation, MISSING_UUID))
            findings.check("no CSRF token", method, path, operation, refused)
            findings.expect(
                refused.status_code == 403 and refused.json()["code"] == AUTH_CSRF_FAILED.code,
                method,
                path,
                "no CSRF token: not 403 auth.csrf_failed",
                refused,
            )

        body = None
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            body = _sample(document, schema)
        for client, who in ((facilitator, "facilitator"), (party, "party")):
            # A minimal valid request that names missing things (or nothing).
            for value in (MISSING_UUID, MALFORMED_ID) if has_path_id else (MISSING_UUID,):
                answer = _send(client, method, _url(path, operation, value), body)
                findings.check(f"{who}, id {value}", method, path, operation, answer)
                if has_path_id:
                    findings.expect(
                        answer.status_code >= 400, method, path, f"id {value} succeeded", answer
                    )

        url = _url(path, operation, MISSING_UUID)
        for parameter in operation.get("parameters", []):
            wrong = _wrong_value(document, parameter["schema"])
            if parameter["in"] != "query" or wrong is None:
                continue
            answer = facilitator.get(url, {parameter["name"]: wrong})
            if method != "get":
                answer = _send(facilitator, method, f"{url}?{parameter['name']}={wrong}", body)
            findings.check(f"query {parameter['name']}={wrong}", method, path, operation, answer)
            findings.expect(
                answer.status_code == 422 and answer.json()["code"] == REQUEST_INVALID.code,
                method,
                path,
                f"query {parameter['name']}={wrong}: not request.invalid",
                answer,
            )

        if "requestBody" in operation:
            unreadable = _send(facilitator, method, url, raw="{not json")
            findings.check("body {not json", method, path, operation, unreadable)
            findings.expect(
                unreadable.status_code == 400
                and unreadable.json()["code"] == REQUEST_MALFORMED.code,
                method,
                path,
                "body {not json: not request.malformed",
                unreadable,
            )
            for raw in ("[]", '"text"', '{"no such field": [1]}'):
                answer = _send(facilitator, method, url, raw=raw)
                findings.check(f"body {raw}", method, path, operation, answer)

    assert not findings.problems, "\n".join(findings.problems)
    # The probes did reach the API's refusals, not only the sign-in check.
    assert {401, 403, 422} <= set(findings.seen), findings.seen
    assert 404 in findings.seen, findings.seen
