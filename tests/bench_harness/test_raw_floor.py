"""The component-overhead floor registers what the component registers, or the bench refuses it.

The ratio of ``EnvironmentStack`` to "the same resources written raw" means
something only while ``bench/raw_stack.py`` really is the same resources.
These run both programs under the mocks the benchmark uses.
"""

import pulumi_aws as aws
import pytest

from bench import overhead, raw_stack
from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.recording import run_program


def test_the_raw_floor_registers_the_components_cloud_resources_with_the_same_inputs() -> None:
    per_environment = overhead.check_same_resources(count=1)

    component = run_program(overhead.component_program(1))
    assert per_environment == len(component.custom())
    assert [r.type for r in component.registrations if not r.custom] == [TYPE_TOKEN]
    raw = run_program(overhead.raw_program(1))
    assert all(r.custom for r in raw.registrations)


def test_a_floor_that_registers_fewer_resources_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def bucket_only(name: str, suffix: str) -> None:
        aws.s3.Bucket(f"{name}-bucket", bucket=f"envstack-data-{suffix}", force_destroy=True)

    monkeypatch.setattr(overhead, "create_raw_environment", bucket_only)

    with pytest.raises(overhead.FloorMismatchError, match=r"missing .*aws:dynamodb/table:Table"):
        overhead.check_same_resources(count=1)


def test_a_floor_whose_inputs_drift_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(raw_stack, "LAMBDA_TRUST_POLICY", '{"Statement": []}')

    with pytest.raises(overhead.FloorMismatchError, match="aws:iam/role:Role"):
        overhead.check_same_resources(count=1)
