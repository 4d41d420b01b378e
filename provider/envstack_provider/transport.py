"""The one resource-policy statement every store and channel of the stack carries: TLS or nothing.

The bucket, both queues and the topic each get a resource policy that denies
their service's actions to everyone when the request is not made over TLS.
It is a Deny only: the stack's own access (the function's role, the
account's publishers) comes from IAM, so the policy takes nothing away from
them and adds no principal that a reviewer would have to judge.
"""

import json
from collections.abc import Sequence

TOPIC_ACTIONS = (
    "SNS:AddPermission",
    "SNS:DeleteTopic",
    "SNS:GetTopicAttributes",
    "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
    "SNS:RemovePermission",
    "SNS:SetTopicAttributes",
    "SNS:Subscribe",
)
"""The topic actions a topic's policy denies: the ones SNS itself writes into a topic's default policy.

AWS documents the actions valid in a topic policy one by one, with no
wildcard among them, so rather than rely on SNS taking ``sns:*`` the document
names the actions SNS is sure to accept, because it writes them itself.
``SNS:Publish``, the one that carries data in, is what cdk-nag's SNS3 asks for.
"""


def deny_insecure_transport(
    actions: str | Sequence[str], resources: Sequence[str], policy_id: str | None = None
) -> str:
    """A policy document that refuses ``actions`` on ``resources`` to any request not made over TLS.

    AWS asks every topic policy for an ``Id``; S3 and SQS take one too, but
    the bucket's and the queues' documents have never carried one.
    """
    document: dict[str, object] = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": actions if isinstance(actions, str) else list(actions),
                "Resource": list(resources),
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    if policy_id is not None:
        document["Id"] = policy_id
    return json.dumps(document, sort_keys=True)
