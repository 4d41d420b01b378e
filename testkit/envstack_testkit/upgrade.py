"""Upgrades under the real engine: a release's baseline states, and a stack moved onto the current code.

A release records, for dev, staging and prod, the state ``pulumi up`` of
examples/yaml leaves on moto (``record_baselines``, run by ``make
release-baselines`` with that release's plugin first on ``PATH``) under
``releases/<version>/baselines/<environment>.json``. The next release's tests
``pulumi stack import`` each baseline into a fresh stack of the current
examples/yaml and preview it with the current plugin
(``import_baseline``): what the preview would do to a stack that release
deployed is what ``pulumi up`` would do on a user's machine.

The stack file of the copy is pointed at the moto endpoint the baseline was
recorded against (``recorded_endpoint``): the user's stack config does not
change across an upgrade, so the AWS provider shows no change of its own and
the preview shows only what the component does.
"""

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import engine
from .engine_moto import credentials, point_at_moto
from .moto_server import MotoEndpoint, moto_server
from .stack_files import ENVIRONMENTS

RELEASES = engine.ROOT / "releases"

NO_CHANGE = frozenset({"same", "read", "refresh"})
"""Preview operations that leave a resource as it is."""
ANNOUNCED = frozenset({"create", "update"})
"""Operations an upgrade may show, each one announced in the changelog's upgrade notes."""


def baseline_path(version: str, environment: str, root: Path = RELEASES) -> Path:
    """Where release ``version`` keeps the state ``pulumi up`` left for ``environment``."""
    return root / version / "baselines" / f"{environment}.json"


def workspace_with_plugins(program: Path, plugin_dirs: Iterable[Path] = ()) -> engine.Workspace:
    """A copy of ``program`` whose engine finds the plugins in ``plugin_dirs`` before the checkout's."""
    dirs = [str(path) for path in plugin_dirs]
    path = os.pathsep.join([*dirs, engine.engine_path()])
    return engine.Workspace(program, extra_env={**credentials(), "PATH": path})


def record_baselines(
    version: str,
    program: Path,
    plugin_dirs: Iterable[Path] = (),
    environments: Iterable[str] = ENVIRONMENTS,
    root: Path = RELEASES,
) -> list[Path]:
    """``pulumi up`` each environment of ``program`` onto moto and keep ``pulumi stack export``.

    Each environment is deployed, exported and destroyed in turn on one moto
    server; a failed ``up`` or ``destroy`` stops the recording with the
    engine's output.
    """
    written: list[Path] = []
    dirs = list(plugin_dirs)
    with moto_server() as endpoint:
        for environment in environments:
            with workspace_with_plugins(program, dirs) as workspace:
                workspace.init_stack(environment)
                point_at_moto(workspace, environment, endpoint)
                workspace.up().check()
                state = workspace.export_state()
                workspace.destroy().check()
            path = baseline_path(version, environment, root)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            written.append(path)
    return written


def recorded_endpoint(state: Mapping[str, Any]) -> MotoEndpoint:
    """The moto endpoint the baseline's AWS provider was configured with."""
    for resource in engine.resources(state):
        if str(resource["type"]) == "pulumi:providers:aws":
            inputs = resource.get("inputs", {})
            endpoints = json.loads(inputs["endpoints"])
            return MotoEndpoint(url=str(endpoints[0]["s3"]), region=str(inputs["region"]))
    raise AssertionError("the baseline has no AWS provider to read moto's endpoint from")


def import_baseline(
    workspace: engine.Workspace, environment: str, baseline: Path, endpoint: MotoEndpoint
) -> None:
    """``pulumi stack init`` and ``pulumi stack import`` of ``baseline``, with AWS now at ``endpoint``.

    The AWS provider checks its credentials against the endpoint when the
    engine configures it, as pulumi-aws does, so a preview needs a moto
    server; the baseline's recorded endpoint (a loopback port of the
    recording run) is rewritten to ``endpoint`` in the imported copy and in
    the stack's config alike, so the provider's own config shows no change.
    """
    text = baseline.read_text(encoding="utf-8")
    recorded = recorded_endpoint(json.loads(text))
    imported = workspace.root / f"{environment}-baseline.json"
    imported.write_text(text.replace(recorded.url, endpoint.url), encoding="utf-8")
    workspace.init_stack(environment)
    point_at_moto(workspace, environment, endpoint)
    workspace.run("stack", "import", "--file", str(imported)).check()


def operations(steps: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, str]]:
    """``(operation, type token)`` of every preview step that changes something, counted."""
    return Counter(
        (str(step["op"]), str(step.get("newState", step.get("oldState", {})).get("type", "")))
        for step in steps
        if step["op"] not in NO_CHANGE
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m envstack_testkit.upgrade VERSION [PLUGIN_DIR ...]``: record VERSION's baselines.

    ``make release-baselines`` runs it with the checkout's own plugin; the
    plugin folders put an earlier release's ``pulumi-resource-envstack``
    first on ``PATH`` (0.1.0's were recorded that way, see docs/publishing.md),
    with the examples/yaml of that release given as ``ENVSTACK_BASELINE_PROGRAM``.
    """
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m envstack_testkit.upgrade VERSION [PLUGIN_DIR ...]", file=sys.stderr)
        return 2
    program = Path(os.environ.get("ENVSTACK_BASELINE_PROGRAM", str(engine.YAML_EXAMPLE)))
    for path in record_baselines(args[0], program, [Path(arg) for arg in args[1:]]):
        print(f"recorded {path.relative_to(engine.ROOT)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
