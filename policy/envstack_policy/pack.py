"""The pack: its name and every policy.

Importing this module (or any policy module) starts nothing; ``server.serve()``
does, in the analyzer process the engine starts.
"""

import gc

from pulumi_policy import Policy

from . import exemptions
from .policies import (
    access,
    acls,
    alarms,
    bucket_lockout,
    cross_account,
    database_auth,
    database_encryption,
    database_transit,
    dead_letter,
    destroyability,
    encryption,
    event_sources,
    exposure,
    github_oidc,
    iam_actions,
    iam_admin,
    kms,
    naming,
    recovery,
    resource_policies,
    retention,
    runtimes,
    tags,
    tls_only,
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
    *tls_only.POLICIES,
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
    *bucket_lockout.POLICIES,
    *database_transit.POLICIES,
    *iam_actions.POLICIES,
    *github_oidc.POLICIES,
    *cross_account.POLICIES,
    *alarms.POLICIES,
    *exemptions.POLICIES,
]
"""Every policy of the pack, grouped by concern."""


GC_THRESHOLD = 50_000
"""Allocations between young-generation collections while serving (CPython's default is 700)."""


def tune_garbage_collection() -> None:
    """Keep the collector from rescanning what import and every request allocate, and turn it on.

    Every Analyze allocates thousands of short-lived objects, and at CPython's default threshold
    the collector would run over and over through what import left. Freezing what import created
    and collecting the young generation less often cut the time of a 10,000-resource AnalyzeStack
    by about a quarter when it still converted the stack per policy; AnalyzeStack now also pauses
    the collector for the call (``convert_once.collector_paused``). Reference counting still frees
    everything as usual.

    The freeze comes without a full collection first: import leaves next to no cyclic garbage,
    and walking the whole heap to find it cost more (some 20 ms of CPU) than the pack's own
    modules take to import, on every preview. ``main.serve`` turned the collector off for the
    imports; this turns it back on, so a pack started any other way ends up the same.
    """
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 20)
    gc.enable()
