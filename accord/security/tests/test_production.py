"""Production refuses both demo exemptions at start, in one sentence."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from accord.installation import SECRET_NAMES

ACCORD = str(Path(sys.executable).parent / "accord")


@pytest.mark.parametrize(
    "exemption", ["ACCORD_DEMO_WITHOUT_SECOND_FACTOR", "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY"]
)
def test_production_refuses_to_start_with_a_demo_exemption(tmp_path, exemption):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))}
    environment = base | {
        "ACCORD_ENV": "production",
        "ACCORD_DATA_DIR": str(tmp_path),
        "ACCORD_ALLOWED_HOSTS": "accord.example.org",
        **{name: secrets.token_urlsafe(48) for name in SECRET_NAMES},
        exemption: "1",
    }
    result = subprocess.run(
        [ACCORD, "check"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert exemption in result.stderr
    assert "unset them in production" in result.stderr
