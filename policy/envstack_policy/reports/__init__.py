"""``envstack-policy report`` and ``baseline``: what the engine recorded, turned into what a CI reads.

The pack judges; these modules only read the engine's event log afterwards
(``events``), name each policy's rule from the pack itself (``rules``) and
write SARIF, JUnit XML, Markdown and a gate's exit code, or the stack's
baseline of exemptions. Nothing here runs inside the analyzer process.
"""
