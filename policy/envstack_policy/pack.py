"""The pack: its name and every policy.

Importing this module (or any policy module) starts nothing; ``server.serve()``
does, in the analyzer process the engine starts.
"""

import gc

from pulumi_policy import Policy

from . import (
    access,
    acls,
    database_auth,
    database_encryption,
    dead_letter,
    destroyability,
    encryption,
    event_sources,
    exposure,
    iam_admin,
    kms,
    naming,
    recovery,
    resource_policies,
    retention,
    runtimes,
    tags,
    versioning,
)

PACK_NAME = "envstack"
DISPLAY_NAME = "envstack guardrails"
DESCRIPTION = "envstack: encryption, naming, destroyability, least privilege and tags for AWS."

POLICIES: list[Policy] = [
    *encryption.POLICIES,
    *naming.POLICIES,
    *destroyability.POLICIES,
    *access.POLICIES,
    *runtimes.POLICIES,
    *dead_letter.POLICIES,
    *tags.POLICIES,
    *iam_admin.POLICIES,
    *resource_policies.POLICIES,
    *acls.POLICIES,
    *database_encryption.POLICIES,
    *database_auth.POLICIES,
    *recovery.POLICIES,
    *retention.POLICIES,
    *versioning.POLICIES,
    *event_sources.POLICIES,
    *exposure.POLICIES,
    *kms.POLICIES,
]
"""Every policy of the pack, grouped by concern."""


GC_THRESHOLD = 50_000
"""Allocations between young-generation collections while serving (CPython's default is 700)."""


def tune_garbage_collection() -> None:
    """Keep the collector from rescanning what every request allocates.

    AnalyzeStack deserializes every resource once per stack policy: for 10,000 resources that is
    millions of short-lived dicts, and at CPython's default threshold the collector runs thousands
    of times over a heap that keeps growing. Freezing what import created and collecting the young
    generation less often cut the time of a 10,000-resource AnalyzeStack by about a quarter here;
    reference counting still frees everything as usual.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 20)
