"""Schemathesis against the running API, as a facilitator and as a party delegate.

A real ``accord demo`` server of its own (fresh SQLite, the demo cast; not shared with the
browser tests, since the fuzzer writes) is fuzzed operation by operation from its own
OpenAPI document: bounded examples per operation, positive and negative data. Every
answer must be no server error (no 5xx) and a status the document declares for that
operation. The figures (operations, requests, statuses seen) are printed at the end of
the run (``-s``) and in the closing note of the security issue.
"""

from __future__ import annotations

import collections
import os
import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from accord.testing.browser_fixtures import demo_serving

PASSWORD = "accord-demo"
ACTORS = ("pk-chair", "ir-head")  # a facilitator, and a party's head of delegation
EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "6"))
STATUSES: collections.Counter[str] = collections.Counter()

# The fuzzed server is a demo of its own on SQLite: once per run is enough, in the
# SQLite leg (the PostgreSQL leg would fuzz the same SQLite server again).
pytestmark = pytest.mark.own_server


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    # The fuzzer is one user at one address sending as fast as it can: no rate limit.
    with demo_serving(
        data_dir, ACCORD_API_RATE="1000000/m", ACCORD_API_ADDRESS_RATE="1000000/m"
    ) as url:
        yield url
    counts = ", ".join(f"{status}: {n}" for status, n in sorted(STATUSES.items()))
    print(f"\nfuzzer: {sum(STATUSES.values())} requests; statuses {counts}")
    server_log = (data_dir / "server.log").read_text()
    assert "Traceback" not in server_log, server_log[-4000:]


def _signed_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    answer = session.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code in (302, 303), f"sign-in of {username} failed"
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    session.headers["Referer"] = f"{url}/"
    return session


@pytest.fixture(scope="module")
def sessions(fuzz_server) -> dict[str, requests.Session]:
    return {actor: _signed_in(fuzz_server, actor) for actor in ACTORS}


@pytest.fixture(scope="module")
def api_schema(fuzz_server, sessions):
    answer = sessions["pk-chair"].get(f"{fuzz_server}/api/openapi.json", timeout=30)
    assert answer.status_code == 200
    document = answer.json()
    # Signed in by the session: without this the fuzzer would send made-up tokens and
    # session cookies of its own and test only the 401 (test_api_errors covers that).
    document["components"].pop("securitySchemes", None)
    for item in document["paths"].values():
        for operation in item.values():
            operation.pop("security", None)
    return schemathesis.openapi.from_dict(document)


FUZZING = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _fuzz(api_schema, url: str, session: requests.Session) -> list[str]:
    """Fuzz every operation; return one line per operation that failed a check."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @FUZZING
        @given(case=operation.as_strategy())
        def run(case) -> None:
            response = case.call(base_url=url, session=session, timeout=30)
            STATUSES[str(response.status_code)] += 1
            case.validate_response(
                response, checks=[checks.not_a_server_error, checks.status_code_conformance]
            )

        try:
            run()
        except Exception as failure:  # a check's failure group, reported all at once
            failures.append(f"{operation.label}: {str(failure).strip()[:600]}")
    return failures


@pytest.mark.parametrize("actor", ACTORS)
def test_no_operation_answers_a_5xx_or_an_undocumented_status(
    actor, api_schema, fuzz_server, sessions
):
    before = sum(STATUSES.values())

    failures = _fuzz(api_schema, fuzz_server, sessions[actor])

    assert sum(STATUSES.values()) - before >= len(list(api_schema.get_all_operations()))
    assert failures == [], "\n\n".join(failures)
