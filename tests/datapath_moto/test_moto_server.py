"""The moto server's patches: the shortcuts answer as moto does, the two fixes still needed and working.

``moto_server.skip_repeated_work`` patches two functions in the server's
process only; these tests check, in this process and without patching
anything, that this moto still has both and that the replacement agrees with
moto's own retention check on either side of the retention period. The
server's two changes of behaviour (a Deny on a key the request lacks, an
event source mapping moto cannot run) are checked against a running server.
"""

import io
import json
import zipfile

import moto.backends
import pytest
from botocore.exceptions import ClientError
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.sqs.models import SQSBackend

from envstack_provider.storage import deny_insecure_transport
from envstack_testkit.moto_server import MotoEndpoint, message_within_retention


def handler_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.py", "def h(event, context):\n    return {}\n")
    return buffer.getvalue()


def test_this_moto_has_what_the_server_replaces() -> None:
    assert callable(moto.backends.list_of_moto_modules)
    assert "sqs" in tuple(moto.backends.list_of_moto_modules())
    assert callable(SQSBackend.is_message_valid_based_on_retention_period)


def test_the_retention_check_agrees_with_motos() -> None:
    backend = SQSBackend("us-east-1", "123456789012")
    backend.create_queue("retained", MessageRetentionPeriod="60")
    fresh = backend.send_message("retained", "fresh")
    expired = backend.send_message("retained", "expired")
    # moto annotates sent_timestamp as None; send_message set it to milliseconds.
    expired.sent_timestamp = int(fresh.sent_timestamp or 0) - 61_000  # type: ignore[assignment]

    for message, within in ((fresh, True), (expired, False)):
        assert backend.is_message_valid_based_on_retention_period("retained", message) is within
        assert message_within_retention(backend, "retained", message) is within


def test_unpatched_moto_still_lets_a_deny_on_an_absent_key_deny() -> None:
    # Why ``deny_only_when_the_condition_holds`` exists: once this fails, moto is fixed; drop the patch.
    policy = IAMPolicy(deny_insecure_transport("arn:aws:s3:::b"))
    assert policy.is_action_permitted("s3:PutObject", "arn:aws:s3:::b/k") == PermissionResult.DENIED


def test_the_tls_only_policy_refuses_plain_requests_and_lets_others_through(moto: MotoEndpoint) -> None:
    # On the patched server: moto passes no aws:SecureTransport, so the Deny does not apply...
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="tls-only")
    s3.put_bucket_policy(Bucket="tls-only", Policy=deny_insecure_transport("arn:aws:s3:::tls-only"))
    s3.put_object(Bucket="tls-only", Key="k", Body=b"x")
    # ...while a Deny without a condition still denies, as moto's own evaluation says.
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::tls-only/*",
    }
    s3.put_bucket_policy(
        Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )
    with pytest.raises(ClientError):
        s3.put_object(Bucket="tls-only", Key="k2", Body=b"x")


def test_an_event_source_mapping_is_kept_but_never_run(moto: MotoEndpoint) -> None:
    # moto would run the function in Docker on every send; the patched server keeps the mapping only.
    sqs, lam, iam = moto.client("sqs"), moto.client("lambda"), moto.client("iam")
    url = sqs.create_queue(QueueName="mapped")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    role = iam.create_role(RoleName="mapped-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    lam.create_function(
        FunctionName="mapped", Runtime="python3.12", Role=role, Handler="x.h", Code={"ZipFile": handler_zip()}
    )
    uuid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="mapped", BatchSize=10)["UUID"]
    assert lam.get_event_source_mapping(UUID=uuid)["BatchSize"] == 10
    sqs.send_message(QueueUrl=url, MessageBody="stays")
    [message] = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"


def test_unpatched_moto_still_drops_the_redrive_allow_policy() -> None:
    # Why ``report_the_redrive_allow_policy`` exists: once this fails, moto reports it itself; drop the patch.
    backend = SQSBackend("us-east-1", "123456789012")
    backend.create_queue("dlq", RedriveAllowPolicy='{"redrivePermission": "allowAll"}')
    assert "RedriveAllowPolicy" not in backend.get_queue("dlq").attributes


def test_the_server_answers_for_a_redrive_allow_policy_and_forgets_a_cleared_one(moto: MotoEndpoint) -> None:
    sqs = moto.client("sqs")
    url = sqs.create_queue(QueueName="allowing")["QueueUrl"]
    policy = json.dumps({"redrivePermission": "allowAll"})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})
    assert (
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["RedriveAllowPolicy"]
        == policy
    )
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": ""})
    assert (
        "RedriveAllowPolicy"
        not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    )


_QUEUE_TLS_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": "arn:aws:sqs:us-east-1:123456789012:guarded",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
)


def test_unpatched_moto_still_drops_a_queue_policy_on_another_attribute() -> None:
    # Why ``keep_the_queue_policy`` exists: once this fails, moto keeps the policy itself; drop the patch.
    backend = SQSBackend("us-east-1", "123456789012")
    backend.create_queue("guarded")
    backend.set_queue_attributes("guarded", {"Policy": _QUEUE_TLS_POLICY})
    backend.set_queue_attributes("guarded", {"RedriveAllowPolicy": '{"redrivePermission": "denyAll"}'})
    assert backend.get_queue("guarded").attributes.get("Policy") is None


def test_the_server_keeps_a_queue_policy_until_a_call_names_it(moto: MotoEndpoint) -> None:
    sqs = moto.client("sqs")
    url = sqs.create_queue(QueueName="guarded")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _QUEUE_TLS_POLICY})
    allow = json.dumps({"redrivePermission": "denyAll"})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": allow})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "60"})
    kept = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    assert json.loads(kept["Policy"]) == json.loads(_QUEUE_TLS_POLICY)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
