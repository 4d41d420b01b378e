"""The TypeScript SDK installs from its lockfile, compiles, packs, loads in Node and types its callers.

``make sdk-nodejs`` copies sdk/nodejs to build/sdk/nodejs/package, runs
``npm ci`` against the committed package-lock.json (skipped while
node_modules came from the same lockfile), ``tsc``, and packs ``bin/`` the
way Pulumi's SDKs are published. Consumer programs are then type-checked by
the same pinned tsc against the compiled declarations.
"""

import json
import tarfile
import textwrap
from pathlib import Path

import pytest

from envstack_provider.component import TYPE_TOKEN

from .toolchains import SDK, SDK_BUILD, ToolchainError, make, read_json, run, write_if_changed

pytestmark = pytest.mark.timeout(900)

PACKAGE = SDK_BUILD / "nodejs" / "package"
TSC = PACKAGE / "node_modules" / ".bin" / "tsc"


@pytest.fixture(scope="module")
def tarball() -> Path:
    make("sdk-nodejs")
    package = read_json(SDK / "nodejs" / "package.json")
    scope, name = package["name"].lstrip("@").split("/")
    path = SDK_BUILD / "nodejs" / f"{scope}-{name}-{package['version']}.tgz"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    return path


def test_npm_ci_installed_exactly_the_locked_toolchain(tarball: Path) -> None:
    lock = read_json(SDK / "nodejs" / "package-lock.json")["packages"]
    for dependency in ("@pulumi/pulumi", "typescript", "@types/node"):
        installed = read_json(PACKAGE / "node_modules" / dependency / "package.json")["version"]
        assert installed == lock[f"node_modules/{dependency}"]["version"], dependency
    assert run([str(TSC), "--version"], cwd=PACKAGE).stdout.split() == [
        "Version",
        lock["node_modules/typescript"]["version"],
    ]


def test_the_tarball_holds_compiled_javascript_declarations_and_package_json(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        member = archive.extractfile("package/package.json")
        assert member is not None
        packed = json.load(member)
    assert {
        "package/index.js",
        "package/index.d.ts",
        "package/environmentStack.js",
        "package/environmentStack.d.ts",
        "package/package.json",
    } <= names
    assert not any(name.endswith(".ts") and not name.endswith(".d.ts") for name in names)
    assert packed == read_json(SDK / "nodejs" / "package.json")


def test_the_compiled_sdk_loads_in_node_as_the_remote_component_type(tarball: Path) -> None:
    script = (
        "const sdk = require(process.argv[1]);"
        "console.log(sdk.EnvironmentStack.__pulumiType);"
        f"console.log(sdk.EnvironmentStack.isInstance({{__pulumiType: '{TYPE_TOKEN}'}}));"
    )
    lines = run(["node", "-e", script, str(PACKAGE / "bin")], cwd=PACKAGE).stdout.split()
    assert lines == [TYPE_TOKEN, "true"]


CORRECT = """
    import * as pulumi from "@pulumi/pulumi";
    import { EnvironmentStack } from "@envstack/pulumi-envstack";

    const stack = new EnvironmentStack("envstack", {
        environment: "prod",
        environmentSuffix: "prod",
        lambdaMemoryMb: 1024,
        tags: { Team: "data" },
        notificationEmail: pulumi.secret("ops@example.com"),
    });
    export const bucketName: pulumi.Output<string> = stack.bucketName;
    """

WRONG = """
    import { EnvironmentStack } from "@envstack/pulumi-envstack";

    new EnvironmentStack("wrong-type", { environment: "dev", lambdaMemoryMb: "large" });
    new EnvironmentStack("no-environment", { environmentSuffix: "dev" });
    export const name = new EnvironmentStack("x", { environment: "dev" }).bucket;
    """


@pytest.fixture(scope="module")
def tsc_report(tarball: Path) -> str:
    """One run of the SDK's pinned tsc over a correct and a wrong consumer file; its report.

    The consumers resolve ``@envstack/pulumi-envstack`` to the compiled
    declarations and ``@pulumi/pulumi`` to the locked install. The run is
    incremental, so an unchanged SDK is checked again in a moment.
    """
    consumer = PACKAGE / "consumer"
    write_if_changed(consumer / "correct.ts", textwrap.dedent(CORRECT).encode())
    write_if_changed(consumer / "wrong.ts", textwrap.dedent(WRONG).encode())
    tsconfig = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "incremental": True,
            "tsBuildInfoFile": "tsconfig.tsbuildinfo",
            "skipLibCheck": True,
            "target": "ES2022",
            "module": "nodenext",
            "moduleResolution": "nodenext",
            "types": ["node"],
            "paths": {"@envstack/pulumi-envstack": ["../bin/index.d.ts"]},
        },
        "files": ["correct.ts", "wrong.ts"],
    }
    write_if_changed(consumer / "tsconfig.json", json.dumps(tsconfig).encode())
    command = [str(TSC), "-p", str(consumer), "--pretty", "false"]
    result = run(command, cwd=consumer, check=False)
    if result.returncode not in (0, 1, 2):
        raise ToolchainError(command, result)
    return result.stdout


def test_tsc_accepts_a_correct_consumer(tsc_report: str) -> None:
    assert [line for line in tsc_report.splitlines() if line.startswith("correct.ts")] == []


def test_tsc_rejects_a_wrong_argument_type_a_missing_environment_and_an_unknown_output(
    tsc_report: str,
) -> None:
    errors = [line for line in tsc_report.splitlines() if line.startswith("wrong.ts(")]
    assert errors[0] == "wrong.ts(4,58): error TS2322: Type 'string' is not assignable to type 'number'."
    assert errors[1].startswith("wrong.ts(5,40): error TS2345: ")
    assert "Property 'environment' is missing in type '{ environmentSuffix: string; }'" in tsc_report
    assert errors[2].startswith("wrong.ts(6,71): error TS2339: Property 'bucket' does not exist")
    assert len(errors) == 3, tsc_report
