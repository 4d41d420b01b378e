"""The one resource-policy statement every store and channel of the stack carries: TLS or nothing.

The bucket, both queues and the topic each get a resource policy that denies
every action of their service to everyone when the request is not made over
TLS. It is a Deny only: the stack's own access (the function's role, the
account's publishers) comes from IAM, so the policy takes nothing away from
them and adds no principal that a reviewer would have to judge.
"""

import json
from collections.abc import Sequence


def deny_insecure_transport(service: str, resources: Sequence[str]) -> str:
    """A policy document that refuses every ``service`` action on ``resources`` not made over TLS."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": f"{service}:*",
                    "Resource": list(resources),
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        },
        sort_keys=True,
    )
