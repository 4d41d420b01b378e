"""Run the real Pulumi CLI (the pinned build of ``make engine``) over a temporary copy of a program.

Everything here is what a user does at a terminal: copy a project, ``pulumi
stack init``, ``preview``, ``up``, ``destroy``, with a local file backend and a
passphrase secrets provider because no Pulumi Cloud is reachable. The engine
finds its plugins as it finds any executable plugin, on ``PATH``:

- ``pulumi-resource-envstack``, the provider package's console script;
- ``pulumi-resource-aws``, the stand-in AWS plugin (``aws_standin``);
- ``pulumi-resource-envstackbroken``, the rule-breaking test plugin.

Nothing is passed to the plugins or the policy pack that the engine would not
pass itself: no ``PULUMI_STACK``, no extra fields. The program directory is
always a copy, so a test never rewrites the checked-in stack files.

Why not Pulumi's own ``github.com/pulumi/providertest`` (v0.7.0), which
pulumi-awsx and pulumi-eks test with: its ``pulumitest`` copies a program and
drives the CLI through the Go Automation API much as this module does, but
its providers (``providers.LocalBinary``, ``ProviderMockFactory``) are started
by the test and *attached* to the engine through ``PULUMI_DEBUG_PROVIDERS``,
so the engine never starts, handshakes or shuts them down itself, which is
part of what these tests check. The stand-in's metadata also comes from
pulumi-aws's Python SDK, which a Go harness could not read. So the tests stay
in pytest, beside the other levels, and start every plugin as the engine does.

One thing differs from a user's machine, and ``Workspace`` does it to the
copy: a ``packages:`` entry that points at the provider's source folder is
removed. The engine runs such a folder through its Python language host,
which cannot be installed here, so it uses the executable plugin on ``PATH``
instead; on a user's machine either way serves the same plugin.
"""

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLCHAIN = ROOT / "build" / "toolchain" / "bin"
PLUGINS = ROOT / "build" / "engine" / "plugins"
PULUMI = TOOLCHAIN / "pulumi"
POLICY_DIR = ROOT / "policy"
YAML_EXAMPLE = ROOT / "examples" / "yaml"
RULE_BREAKERS = Path(__file__).resolve().parent / "broken_plugin" / "program"
"""A YAML program whose component (the rule-breaking test plugin) registers resources breaking the pack."""
POLICY_EXECUTABLE = ROOT / ".venv" / "bin" / "envstack-policy-pack"
"""The pack's executable entry point (the policy distribution's console script)."""
REPORT_COMMAND = ROOT / ".venv" / "bin" / "envstack-policy"
"""The pack's command for CI (``report``, ``baseline``), the policy distribution's other console script."""
EVENT_LOG_ENV = {"PULUMI_DEBUG_COMMANDS": "true"}
"""What CLI v3.274.1 needs to register ``--event-log`` on preview and up (the Automation API sets it)."""

PASSPHRASE = "envstack-local-state"
"""The local backend's passphrase secrets provider needs one; it protects nothing here."""

TIMEOUT_SECONDS = 300


class EngineUnavailableError(RuntimeError):
    """``make engine`` has not been run."""


@dataclass(frozen=True)
class Run:
    """One CLI command's result."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Stdout and stderr together, as a terminal shows them."""
        return f"{self.stdout}\n{self.stderr}"

    def check(self) -> "Run":
        """Fail with the whole output if the command failed."""
        if self.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(self.args)} exited {self.returncode}\n--- stdout\n{self.stdout[-8000:]}"
                f"\n--- stderr\n{self.stderr[-8000:]}"
            )
        return self


def policy_pack_argument() -> str:
    """The ``--policy-pack`` argument: the folder where a Python language host exists, else the executable."""
    if shutil.which("pulumi-language-python", path=engine_path()):
        return str(POLICY_DIR)
    return str(POLICY_EXECUTABLE)


def drop_source_packages(project_file: Path) -> None:
    """Remove ``packages:`` entries that name a source folder, so the executable plugin on PATH is used."""
    project = yaml.safe_load(project_file.read_text())
    packages = project.get("packages") or {}
    kept = {name: spec for name, spec in packages.items() if not _is_source_folder(spec)}
    if kept == packages:
        return
    if kept:
        project["packages"] = kept
    else:
        project.pop("packages")
    project_file.write_text(yaml.safe_dump(project, sort_keys=False))


def _is_source_folder(spec: object) -> bool:
    return isinstance(spec, str) and not spec.startswith(("http", "github.com")) and "@" not in spec


def engine_path() -> str:
    """``PATH`` for the engine: the pinned toolchain, the plugins, then the machine's."""
    return os.pathsep.join([str(TOOLCHAIN), str(PLUGINS), os.environ.get("PATH", "")])


@dataclass
class Workspace:
    """A temporary copy of a Pulumi project with its own state backend and Pulumi home."""

    source: Path
    backend_url: str | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)
    root: Path = field(init=False)
    program: Path = field(init=False)

    def __post_init__(self) -> None:
        if not PULUMI.exists():
            raise EngineUnavailableError(f"{PULUMI} is missing: run `make engine`")
        self.root = Path(tempfile.mkdtemp(prefix="envstack-engine-"))
        self.program = self.root / "program"
        shutil.copytree(self.source, self.program, ignore=shutil.ignore_patterns("node_modules", "sdks"))
        drop_source_packages(self.program / "Pulumi.yaml")
        (self.root / "state").mkdir()
        (self.root / "home").mkdir()

    def __enter__(self) -> "Workspace":
        """The workspace, removed on exit."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Remove the copy, its state and its Pulumi home."""
        shutil.rmtree(self.root, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """The environment of every CLI command: what a user with a local backend would set."""
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")},
            "PATH": engine_path(),
            "PULUMI_HOME": str(self.root / "home"),
            "PULUMI_BACKEND_URL": self.backend_url or (self.root / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            **self.extra_env,
        }

    def run(self, *args: str, timeout: float = TIMEOUT_SECONDS) -> Run:
        """Run ``pulumi <args>`` in the program's folder, never prompting."""
        result = subprocess.run(
            [str(PULUMI), *args, "--non-interactive"],
            cwd=self.program,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Run(tuple(args), result.returncode, result.stdout, result.stderr)

    def popen(self, *args: str) -> "subprocess.Popen[str]":
        """Start ``pulumi <args>`` without waiting (to hold a lock while another command runs)."""
        return subprocess.Popen(
            [str(PULUMI), *args, "--non-interactive"],
            cwd=self.program,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def init_stack(self, stack: str, stack_file: str | None = None) -> None:
        """``pulumi stack init``; a stack named unlike its file gets a copy of that file's settings."""
        if stack_file is not None and stack_file != stack:
            shutil.copy(self.program / f"Pulumi.{stack_file}.yaml", self.program / f"Pulumi.{stack}.yaml")
        self.run("stack", "init", stack).check()

    def preview(self, *args: str) -> Run:
        """``pulumi preview`` with the engine's JSON event stream on stdout."""
        return self.run("preview", "--json", *args)

    def preview_with_pack(self, *args: str) -> Run:
        """``pulumi preview --policy-pack`` with envstack's pack, as ``policy_pack_argument`` names it."""
        return self.run("preview", "--policy-pack", policy_pack_argument(), *args)

    def up(self, *args: str) -> Run:
        """``pulumi up --yes``."""
        return self.run("up", "--yes", "--skip-preview", *args)

    def destroy(self, *args: str) -> Run:
        """``pulumi destroy --yes``."""
        return self.run("destroy", "--yes", "--skip-preview", *args)

    def export_state(self) -> dict[str, Any]:
        """``pulumi stack export``: the state file."""
        state: dict[str, Any] = json.loads(self.run("stack", "export").check().stdout)
        return state


def resources(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The resources of an exported state."""
    found: list[dict[str, Any]] = list(state.get("deployment", {}).get("resources") or [])
    return found


def preview_steps(run: Run) -> list[dict[str, Any]]:
    """The steps of ``pulumi preview --json``."""
    document: dict[str, Any] = json.loads(run.stdout)
    steps: list[dict[str, Any]] = document.get("steps", [])
    return steps
