"""The pack's analyzer server, in this process over a loopback gRPC channel (so coverage sees it).

The spawned pack is tested in tests/policy_grpc and under the real engine in
tests/engine_real; here the point is what server.py adds to pulumi-policy:
ConfigureStack is remembered, and the pack reports its installed version.
"""

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from envstack_policy import pack
from envstack_policy.readers import stack
from envstack_policy.serving import server

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    running, port = server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        channel.close()
        running.stop(0)


def _queue(stack_name: str, name: str) -> analyzer_pb2.AnalyzeRequest:
    properties = struct_pb2.Struct()
    properties.update({"name": name})
    return analyzer_pb2.AnalyzeRequest(
        type="aws:sqs/queue:Queue",
        name="ingest",
        urn=f"urn:pulumi:{stack_name}::pulumi-infra::aws:sqs/queue:Queue::ingest",
        properties=properties,
    )


def test_configure_stack_is_recorded_for_the_policies(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    analyzer.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack="dev-alice",
            project="pulumi-infra",
            dry_run=True,
            config={"pulumi-infra:environment": "dev"},
            tags={"team": "platform"},
        )
    )
    assert stack.configured() == stack.StackInfo(
        "dev-alice", "pulumi-infra", {"pulumi-infra:environment": "dev"}
    )
    passing = analyzer.Analyze(_queue("dev-alice", "envstack-ingest-dev"))
    assert "envstack-naming-suffix" not in [d.policyName for d in passing.diagnostics]
    failing = analyzer.Analyze(_queue("dev-alice", "envstack-ingest-dev-alice"))
    assert "envstack-naming-suffix" in [d.policyName for d in failing.diagnostics]


def test_the_server_serves_every_policy_of_the_pack(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == pack.PACK_NAME
    assert info.displayName == pack.DISPLAY_NAME
    assert sorted(p.name for p in info.policies) == sorted(p.name for p in pack.POLICIES)
    assert info.version == (REPO_ROOT / "VERSION").read_text().strip()
