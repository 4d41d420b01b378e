"""Run an example's own program under the real engine through its language's Automation API.

Every Pulumi SDK's Automation API can host a program *inline*: the SDK serves
the program's language host itself and hands the CLI its address, so no
``pulumi-language-<x>`` binary is needed. That is how the Python, TypeScript,
Go and Java examples run under the pinned engine here. For each language a
small *driver*, written in that language against that language's Automation
API, takes a plan (stacks and steps, as JSON), runs the example's own program
for each step with a temporary copy of the example's folder as the
workspace's ``work_dir`` (so ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` are
read as the CLI reads them), and writes a report, also JSON, in one shape for
every language:

- ``python_driver.py`` runs ``examples/python/__main__.py`` with ``runpy``
  inside the inline program;
- ``typescript/driver.ts`` (compiled by the example's own ``tsc``) loads the
  compiled ``examples/typescript/bin/index.js`` afresh for each operation,
  as the Node language host loads a program once per process;
- ``examples/go/automation_test.go`` calls the example's ``program`` function
  (a ``_test.go`` file, because ``program`` lives in package ``main``);
- ``java/RunAutomation.java`` calls ``envstack.App.stack``.

The engine is the CLI of ``make engine`` (``build/toolchain/bin/pulumi``),
given to each Automation API as its ``PulumiCommand`` (Java's finds it first
on ``PATH``), with the same environment, plugins and state backend as
``envstack_testkit.engine.Workspace`` gives the CLI. Nothing else is faked:
AWS is the stand-in plugin.

``run_plan`` is the one entry point, used by the tests
(``tests/engine_automation``), ``make demo`` and the benchmarks. It runs the
example of ``make automation-deps`` unless given a ``Program``: another
project in the example's shape (the release tests' consumers, which install
the SDK from an internal registry) with its own build of the driver.
"""

import json
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import engine
from ..stack_files import PROJECT, stack_config

ROOT = engine.ROOT
EXAMPLES = ROOT / "examples"
HERE = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "engine_automation"
"""Compiled drivers (``make automation-deps``), kept between runs (git-ignored)."""

LANGUAGES = ("python", "typescript", "go", "java")
"""The languages whose examples run through their own Automation API."""

TYPESCRIPT_DRIVER = BUILD / "typescript" / "driver.js"
GO_DRIVER = BUILD / "go_automation.test"
JAVA_CLASSPATH = BUILD / "java.classpath"

JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)
"""The C1 compiler only: a short JVM run does not pay back C2's compiling."""

TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class Program:
    """A project a driver runs, and what the driver needs of it besides its folder.

    Only the field of the driver's language is read; ``example_program`` gives
    the examples' own, as ``make automation-deps`` built them.
    """

    source: Path
    """The project's folder, copied as the workspace's work_dir (``Pulumi.yaml``, stack files, sources)."""
    python: Path = Path(sys.executable)
    """Python: the interpreter whose site-packages hold ``pulumi`` and the SDK."""
    compiled: Path | None = None
    """TypeScript: the project's ``index.js`` as its tsc compiled it (loaded from outside the work_dir)."""
    node_modules: Path | None = None
    """TypeScript: the project's ``node_modules``, the one ``@pulumi/pulumi`` the driver and program share."""
    go_driver: Path | None = None
    """Go: the project's tests compiled with its ``automation_test.go`` (``go test -c``)."""
    java_classpath: Path | None = None
    """Java: a file holding the classpath of the driver, the project's classes and their dependencies."""


def example_program(language: str) -> Program:
    """The example of ``language`` and its driver, as ``make automation-deps`` built them."""
    typescript = EXAMPLES / "typescript"
    return Program(
        source=EXAMPLES / language,
        compiled=typescript / "bin" / "index.js",
        node_modules=typescript / "node_modules",
        go_driver=GO_DRIVER,
        java_classpath=JAVA_CLASSPATH,
    )


PREVIEW_WITH_PACK = "preview-with-pack"
PREVIEW = "preview"
UP = "up"
OUTPUTS = "outputs"
PREVIEW_NO_CHANGES = "preview-expect-no-changes"
EXPORT = "export"
DESTROY = "destroy"
STEPS = (PREVIEW_WITH_PACK, PREVIEW, UP, OUTPUTS, PREVIEW_NO_CHANGES, EXPORT, DESTROY)
"""What a driver can do to a stack, each through its Automation API:

- ``preview-with-pack``: ``preview`` with ``policy_packs`` / ``policyPacks`` set to the pack;
- ``preview``: ``preview``;
- ``up``: ``up``;
- ``outputs``: the stack's outputs, as ``outputs()`` / ``getOutputs()`` read them;
- ``preview-expect-no-changes``: ``preview`` with ``expect_no_changes`` / ``expectNoChanges``;
- ``export``: ``export_stack()`` (the CLI's ``stack export --show-secrets``);
- ``destroy``: ``destroy``.
A failing step is reported (``ok: false`` with the error) and the next one still runs."""

LIFECYCLE = (PREVIEW_WITH_PACK, UP, OUTPUTS, PREVIEW_NO_CHANGES, EXPORT, DESTROY, EXPORT)
"""One environment from a fresh stack to nothing, in the order a user runs it."""


@dataclass(frozen=True)
class StackPlan:
    """One stack a driver creates (or selects) and the steps it runs on it."""

    stack: str
    steps: Sequence[str]
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Config the driver sets as secrets through its Automation API before the first step."""

    def document(self) -> dict[str, Any]:
        """As the drivers read it."""
        return {"stack": self.stack, "steps": list(self.steps), "secrets": dict(self.secrets)}


@dataclass(frozen=True)
class Step:
    """What one step returned."""

    step: str
    ok: bool
    seconds: float
    error: str
    stdout: str
    changes: Mapping[str, int]
    """The operation's change summary (``create``, ``same``, ``delete``...)."""
    policy: Sequence[Mapping[str, str]]
    """Each policy event: ``policyName``, ``enforcementLevel``, ``message``."""
    outputs: Mapping[str, Mapping[str, Any]]
    """Each stack output: ``value``, ``secret`` and ``type``, the value's type in the driver's language."""
    state: Mapping[str, Any]
    """An export's deployment document (``version``, ``deployment``)."""


@dataclass(frozen=True)
class StackReport:
    """The steps run on one stack, in order."""

    stack: str
    steps: tuple[Step, ...]

    def step(self, name: str, occurrence: int = 0) -> Step:
        """The ``occurrence``-th run of step ``name`` (an export runs twice in a lifecycle)."""
        found = [step for step in self.steps if step.step == name]
        if len(found) <= occurrence:
            raise AssertionError(f"stack {self.stack} ran {name} {len(found)} times: {self.steps}")
        return found[occurrence]


@dataclass(frozen=True)
class Report:
    """One driver run: its language, its workspace and every stack's steps."""

    language: str
    root: Path
    """The workspace's temporary folder: ``program`` (the work_dir), ``state``, ``home``."""
    stacks: Mapping[str, StackReport]
    seconds: float
    """The driver process's wall time, start-up and every step included."""


class DriverError(AssertionError):
    """A driver process failed outside any step; carries its output."""


def _step(document: Mapping[str, Any]) -> Step:
    return Step(
        step=str(document["step"]),
        ok=bool(document["ok"]),
        seconds=float(document.get("seconds") or 0.0),
        error=str(document.get("error") or ""),
        stdout=str(document.get("stdout") or ""),
        changes={str(k): int(v) for k, v in (document.get("changes") or {}).items()},
        policy=list(document.get("policy") or []),
        outputs=dict(document.get("outputs") or {}),
        state=dict(document.get("state") or {}),
    )


def read_report(language: str, root: Path, path: Path, seconds: float) -> Report:
    """Parse a driver's report file."""
    document: dict[str, Any] = json.loads(path.read_text())
    if document.get("language") != language:
        raise DriverError(f"{path} is a report of {document.get('language')!r}, not {language!r}")
    stacks = {
        str(item["stack"]): StackReport(str(item["stack"]), tuple(_step(s) for s in item["steps"]))
        for item in document["stacks"]
    }
    return Report(language, root, stacks, seconds)


def _required(value: Path | None, language: str, name: str) -> Path:
    if value is None:
        raise ValueError(f"a {language} Program needs {name}")
    return value


def driver_command(
    language: str, plan_file: Path, report_file: Path, program: Program | None = None
) -> list[str]:
    """The command that runs one language's driver on ``program`` (default: the example's)."""
    program = program or example_program(language)
    if language == "python":
        return [str(program.python), str(HERE / "python_driver.py"), str(plan_file), str(report_file)]
    if language == "typescript":
        return ["node", str(TYPESCRIPT_DRIVER), str(plan_file), str(report_file)]
    if language == "go":
        return [
            str(_required(program.go_driver, language, "go_driver")),
            "-test.run=^TestAutomation$",
            "-test.count=1",
            str(plan_file),
            str(report_file),
        ]
    if language == "java":
        classpath = (
            _required(program.java_classpath, language, "java_classpath").read_text(encoding="utf-8").strip()
        )
        return ["java", *JAVA_OPTIONS, "-cp", classpath, "RunAutomation", str(plan_file), str(report_file)]
    raise ValueError(f"no Automation API driver for {language!r}")


def driver_environment(
    workspace: engine.Workspace, language: str, program: Program | None = None
) -> dict[str, str]:
    """The environment of the driver: the engine's (``Workspace.env``), plus where the Node modules are."""
    env = workspace.env()
    if language == "typescript":
        # The driver and the program must share the project's one @pulumi/pulumi.
        program = program or example_program(language)
        env["NODE_PATH"] = str(_required(program.node_modules, language, "node_modules"))
    return env


def project_name(work_dir: Path) -> str:
    """The project's name, from ``Pulumi.yaml`` as the CLI reads it (inline programs need it up front)."""
    project: dict[str, Any] = yaml.safe_load((work_dir / "Pulumi.yaml").read_text())
    return str(project["name"])


def run_plan(
    language: str,
    plans: Sequence[StackPlan],
    stack_files: Mapping[str, Mapping[str, Any]] | None = None,
    workspace: engine.Workspace | None = None,
    program: Program | None = None,
) -> Report:
    """Run one language's driver over ``plans`` on a temporary copy of ``program`` (default: the example).

    ``stack_files`` adds ``Pulumi.<stack>.yaml`` files to the copy (``{"config": ...}`` documents),
    e.g. a copy of the dev stack file with one value broken. The copy (``Report.root``) is kept
    when ``workspace`` is given, for the caller to read its state folder; otherwise it is removed.
    """
    program = program or example_program(language)
    own = workspace is None
    workspace = workspace or engine.Workspace(program.source)
    try:
        for stack, document in (stack_files or {}).items():
            (workspace.program / f"Pulumi.{stack}.yaml").write_text(
                yaml.safe_dump(dict(document), sort_keys=False)
            )
        plan_file = workspace.root / "plan.json"
        report_file = workspace.root / "report.json"
        plan_file.write_text(
            json.dumps(
                {
                    "workDir": str(workspace.program),
                    "pulumiRoot": str(engine.TOOLCHAIN.parent),
                    "policyPack": engine.policy_pack_argument(),
                    "project": project_name(workspace.program),
                    "program": str(program.compiled or "") if language == "typescript" else "",
                    "stacks": [plan.document() for plan in plans],
                },
                indent=2,
            )
        )
        command = driver_command(language, plan_file, report_file, program)
        started = time.perf_counter()
        result = subprocess.run(
            command,
            cwd=workspace.root,
            env=driver_environment(workspace, language, program),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0 or not report_file.exists():
            raise DriverError(
                f"{' '.join(command)} exited {result.returncode}\n--- stdout\n{result.stdout[-8000:]}"
                f"\n--- stderr\n{result.stderr[-8000:]}"
            )
        return read_report(language, workspace.root, report_file, seconds)
    finally:
        if own:
            workspace.__exit__(None, None, None)


def broken_stack_file(environment: str, key: str, value: Any, language: str = "python") -> dict[str, Any]:
    """A copy of one example's stack file with one ``pulumi-infra:`` value replaced."""
    config = stack_config(environment, language)
    config[f"{PROJECT}:{key}"] = value
    return {"config": config}


def preview_seconds(language: str, environment: str) -> float:
    """The seconds of one ``preview`` with the pack of one example's stack, inside its driver.

    Measured by the driver around its Automation API call, so neither the driver's start-up
    nor the stack's creation is counted: what a program that already holds the stack pays.
    """
    report = run_plan(language, [StackPlan(environment, (PREVIEW_WITH_PACK,))])
    step = report.stacks[environment].step(PREVIEW_WITH_PACK)
    if not step.ok:
        raise DriverError(f"{language} preview of {environment} failed: {step.error}")
    return step.seconds


__all__ = [
    "DESTROY",
    "EXPORT",
    "LANGUAGES",
    "LIFECYCLE",
    "OUTPUTS",
    "PREVIEW",
    "PREVIEW_NO_CHANGES",
    "PREVIEW_WITH_PACK",
    "STEPS",
    "UP",
    "DriverError",
    "Program",
    "Report",
    "StackPlan",
    "StackReport",
    "Step",
    "broken_stack_file",
    "example_program",
    "preview_seconds",
    "run_plan",
]
