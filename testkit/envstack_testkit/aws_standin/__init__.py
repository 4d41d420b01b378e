"""A stand-in for the pulumi-aws plugin, for running the real Pulumi engine offline.

The real ``pulumi-resource-aws`` cannot be downloaded on these machines, and no
AWS account is reachable, yet ``pulumi preview``, ``up`` and ``destroy`` need a
provider for every ``aws:*`` resource the component registers. This package is
that provider: a real gRPC ``ResourceProvider`` that the engine starts as an
executable plugin, which keeps pulumi-aws's wire behaviour wherever envstack's
component or policy pack depends on it, and no further:

- ``Check`` returns the inputs, auto-naming a resource whose name the program
  left out as ``<logical name>-<7 hex digits>`` (and keeping the old name on
  later runs), as the bridged provider does;
- without endpoints, ``Create`` and ``Update`` return the inputs plus every
  output that pulumi-aws *computes*: unknown in a preview, made-up but
  well-formed values (ARNs, URLs, ids) on ``up``. Which outputs are computed comes from
  ``metadata.json``, generated from pulumi-aws's own SDK by
  ``tools/aws_metadata.py``;
- ``Diff`` reports the input keys that changed, so a second preview of an
  unchanged program has no changes;
- ``GetSchema`` serves the types of ``metadata.json``, enough for Pulumi YAML
  to type-check a program that declares those resources directly.

Given pulumi-aws's own ``endpoints`` provider config (``aws:endpoints`` in
the stack's config, one URL per service, as a LocalStack or moto user of the
real plugin writes it), it is moto-backed instead: ``Create``, ``Read``,
``Update`` and ``Delete`` make the AWS calls pulumi-aws makes for each of the
component's resource types (``resources.py``, boto3 against those
endpoints, with the credentials the AWS SDK finds), and every output is
what AWS answered. Previews, ``Check`` and ``Diff`` are the same in both
modes. ``FAULTS_VARIABLE`` lets a test make AWS refuse chosen calls.

It is only for tests, the demo and the benchmarks; ``make engine`` puts it on
the plugin path of the engine those run, never on a user's.
"""
