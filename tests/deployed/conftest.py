"""Fixtures for the suite that checks a deployed stack through the AWS APIs.

It reads the stack's outputs from the file ``pulumi stack output --json``
writes (``ENVSTACK_OUTPUTS``, default ``cfn-outputs/flat-outputs.json``) and
talks to AWS with the credentials boto3 finds. Without either it skips, and
says which is missing. ``AWS_ENDPOINT_URL`` points it elsewhere (moto, in
``tests/datapath_moto/test_deployed_suite_on_moto.py``).
"""

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from envstack_provider.settings import Settings, resolve

DEFAULT_OUTPUTS = "cfn-outputs/flat-outputs.json"


@pytest.fixture(scope="session")
def outputs() -> dict[str, str]:
    """The deployed stack's outputs, or a skip that says how to produce them."""
    path = Path(os.environ.get("ENVSTACK_OUTPUTS", DEFAULT_OUTPUTS))
    if not path.is_file():
        pytest.skip(
            f"no stack outputs at {path}: deploy the stack, then run"
            f" `pulumi stack output --json > {path}` (or set ENVSTACK_OUTPUTS)"
        )
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {key: str(value) for key, value in loaded.items()}


@pytest.fixture(scope="session")
def session(outputs: dict[str, str]) -> boto3.session.Session:
    """A boto3 session with the caller's credentials, or a skip that says none were found."""
    del outputs  # only here so that a missing outputs file is reported first
    found = boto3.session.Session()
    if found.get_credentials() is None:
        pytest.skip("no AWS credentials: configure a profile or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    if found.region_name is None:
        pytest.skip("no AWS region: set AWS_REGION to the stack's region")
    return found


@pytest.fixture(scope="session")
def expected() -> Settings:
    """The component's own defaults for the deployed environment (``ENVSTACK_ENVIRONMENT``, default dev)."""
    return resolve({"environment": os.environ.get("ENVSTACK_ENVIRONMENT", "dev")})
