"""Each language's one driver run, shared by every test module of a pytest run.

A language's example runs once: the three environments' lifecycles, the bad
input and the secret stack, in one driver process (one JVM, one Go binary,
one Node process, one Python), because the per-language checks and the
five-language parity compare the same runs. Under xdist ``--dist loadfile``
those modules land on different workers; whichever asks first runs the
language while holding its lock, and writes the report to the run's shared
temporary folder, where the others read it. Without xdist the same folder
is the session's own, so ``pytest -p no:xdist`` works alike.
"""

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envstack_testkit import automation, engine
from envstack_testkit.stack_files import ENVIRONMENTS, PROJECT, stack_config

BAD_STACK = "dev-bad"
"""A copy of the dev stack file with ``environmentSuffix: Dev_1``."""
SECRET_STACK = "dev-secret"
"""A copy of the dev stack file, with ``notificationEmail`` set as a secret through the Automation API."""
SECRET_EMAIL = "secret-alerts@example.com"
EMAIL_KEY = f"{PROJECT}:notificationEmail"


def plans() -> list[automation.StackPlan]:
    """What every language's driver runs, in this order."""
    return [
        *(automation.StackPlan(environment, automation.LIFECYCLE) for environment in ENVIRONMENTS),
        automation.StackPlan(BAD_STACK, (automation.PREVIEW, automation.UP, automation.EXPORT)),
        automation.StackPlan(
            SECRET_STACK,
            (automation.UP, automation.OUTPUTS, automation.EXPORT, automation.DESTROY),
            secrets={EMAIL_KEY: SECRET_EMAIL},
        ),
    ]


def stack_files(language: str) -> dict[str, dict[str, Any]]:
    """The two stack files the copy gets besides the checked-in ones."""
    return {
        BAD_STACK: automation.broken_stack_file("dev", "environmentSuffix", "Dev_1", language),
        SECRET_STACK: {"config": stack_config("dev", language)},
    }


@dataclass(frozen=True)
class OnDisk:
    """What the secret stack left on disk: files in the state folder, and its stack file."""

    state_files: dict[str, str]
    """Every file under the local backend's folder (state, history, backups), by relative path."""
    stack_file: str
    """``Pulumi.dev-secret.yaml`` after the Automation API set the secret."""


@dataclass(frozen=True)
class LanguageRun:
    """One language's report and what its run left on disk."""

    report: automation.Report
    on_disk: OnDisk


def _on_disk(workspace: engine.Workspace) -> dict[str, Any]:
    state = workspace.root / "state"
    return {
        "state_files": {
            str(path.relative_to(state)): path.read_text(errors="replace")
            for path in sorted(state.rglob("*"))
            if path.is_file()
        },
        "stack_file": (workspace.program / f"Pulumi.{SECRET_STACK}.yaml").read_text(),
    }


def _run_language(language: str, folder: Path) -> None:
    with engine.Workspace(automation.EXAMPLES / language) as workspace:
        report = automation.run_plan(language, plans(), stack_files(language), workspace=workspace)
        shutil.copy(workspace.root / "report.json", folder / "report.json")
        (folder / "on_disk.json").write_text(json.dumps(_on_disk(workspace)))
        (folder / "seconds").write_text(str(report.seconds))


def _run_yaml(folder: Path) -> None:
    """The YAML example through the CLI (``envstack_testkit.engine``): ``up``, the state, ``destroy``."""
    stacks = []
    for environment in ENVIRONMENTS:
        with engine.Workspace(engine.YAML_EXAMPLE) as workspace:
            workspace.init_stack(environment)
            workspace.up().check()
            state = json.loads(workspace.run("stack", "export", "--show-secrets").check().stdout)
            workspace.destroy().check()
        stacks.append(
            {"stack": environment, "steps": [{"step": automation.EXPORT, "ok": True, "state": state}]}
        )
    (folder / "report.json").write_text(json.dumps({"language": "yaml", "stacks": stacks}))
    (folder / "on_disk.json").write_text(json.dumps({"state_files": {}, "stack_file": ""}))
    (folder / "seconds").write_text("0")


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pytest run's folder for every worker: xdist's workers share their base's parent."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "engine-automation"
    folder.mkdir(exist_ok=True)
    return folder


def language_run(shared: Path, language: str) -> LanguageRun:
    """The language's run, made by whichever worker asks first, read by the others."""
    folder = shared / language
    with _exclusive(shared / f"{language}.lock"):
        if not (folder / "complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            if language == "yaml":
                _run_yaml(folder)
            else:
                _run_language(language, folder)
            (folder / "complete").touch()
    seconds = float((folder / "seconds").read_text())
    report = automation.read_report(language, folder, folder / "report.json", seconds)
    on_disk = json.loads((folder / "on_disk.json").read_text())
    return LanguageRun(report, OnDisk(on_disk["state_files"], on_disk["stack_file"]))
