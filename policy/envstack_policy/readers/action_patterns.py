"""IAM action patterns: ``*`` and ``?`` wildcards, compared ignoring case, as IAM compares them.

Several policies ask whether a statement's actions reach one action (a Deny
that covers ``s3:PutBucketPolicy``, a TLS-only statement that covers
``sns:Publish``, a grant that expands to known actions); they share this one
reading of a pattern.
"""

import re
from functools import cache
from typing import Any

from .values import as_list


@cache
def pattern(action: str) -> re.Pattern[str]:
    """An IAM action pattern as a regular expression, to be matched whole (``fullmatch``)."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in action)
    return re.compile("".join(parts), re.IGNORECASE)


def covers(actions: Any, action: str) -> bool:
    """Whether any of ``actions`` (one pattern or a list of them) matches ``action``.

    ``action`` may itself be ``<service>:*``: only a pattern that matches every
    action of the service (``*``, ``s*``, ``sqs:*``) covers it.
    """
    return any(isinstance(a, str) and pattern(a).fullmatch(action) for a in as_list(actions))
