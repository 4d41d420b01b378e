"""The Go SDK builds and vets as a module against a served Pulumi Go SDK, and the compiler types its callers.

``make sdk-go`` runs ``go build ./...`` and ``go vet ./...`` in sdk/go with
``-mod=readonly``: the committed go.mod and go.sum must be complete, and the
only network the Go toolchain may use is the Go module proxy.
"""

import json
import textwrap
from pathlib import Path

import pytest

from .toolchains import GO_ENV, SDK, SDK_BUILD, ToolchainError, make, read_json, run, write_if_changed

pytestmark = pytest.mark.timeout(900)

GO_SDK = SDK / "go"


@pytest.fixture(scope="module")
def built() -> Path:
    make("sdk-go")
    return GO_SDK


def test_build_and_vet_pass_with_the_committed_go_mod_and_go_sum(built: Path) -> None:
    run(["go", "build", "./..."], cwd=built, env=GO_ENV)
    run(["go", "vet", "./..."], cwd=built, env=GO_ENV)
    packages = run(["go", "list", "./..."], cwd=built, env=GO_ENV).stdout.split()
    assert packages == [
        "github.com/envstack/envstack/sdk/go/envstack",
        "github.com/envstack/envstack/sdk/go/envstack/internal",
    ]


def test_the_module_requires_a_released_pulumi_sdk_without_replacements(built: Path) -> None:
    module = run(["go", "list", "-m", "-json", "github.com/pulumi/pulumi/sdk/v3"], cwd=built, env=GO_ENV)
    pulumi_sdk = json.loads(module.stdout)
    assert pulumi_sdk["Version"].startswith("v3.")
    assert "Replace" not in pulumi_sdk
    assert "replace" not in (built / "go.mod").read_text(encoding="utf-8")
    plugin = read_json(built / "envstack" / "pulumi-plugin.json")
    assert plugin["name"] == "envstack"


CORRECT = """
    package main

    import (
        "github.com/envstack/envstack/sdk/go/envstack"
        "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
    )

    func main() {
        pulumi.Run(func(ctx *pulumi.Context) error {
            stack, err := envstack.NewEnvironmentStack(ctx, "envstack", &envstack.EnvironmentStackArgs{
                Environment:       "prod",
                LambdaMemoryMb:    pulumi.IntRef(1024),
                Tags:              map[string]string{"Team": "data"},
                NotificationEmail: pulumi.ToSecret(pulumi.String("ops@example.com")).(pulumi.StringOutput),
            })
            if err != nil {
                return err
            }
            ctx.Export("bucketName", stack.BucketName)
            return nil
        })
    }
    """

WRONG = """
    package main

    import (
        "github.com/envstack/envstack/sdk/go/envstack"
        "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
    )

    func main() {
        pulumi.Run(func(ctx *pulumi.Context) error {
            stack, err := envstack.NewEnvironmentStack(ctx, "envstack", &envstack.EnvironmentStackArgs{
                Environment:    "dev",
                LambdaMemoryMb: pulumi.String("large"),
            })
            if err != nil {
                return err
            }
            ctx.Export("bucket", stack.Bucket)
            return nil
        })
    }
    """


CONSUMERS = SDK_BUILD / "go-consumers"
"""A fixed place (git-ignored) so that Go's build and vet caches carry over between runs."""


@pytest.fixture(scope="module")
def consumer_module(built: Path) -> Path:
    """A copy of the SDK module with two consumer programs in it, sharing its go.mod and go.sum.

    The copy is brought up to date file by file rather than rebuilt, so runs
    at the same time never pull it from under each other.
    """
    module = CONSUMERS / "module"
    wanted = {path.relative_to(built): path.read_bytes() for path in built.rglob("*") if path.is_file()}
    for name, program in {"correct": CORRECT, "wrong": WRONG}.items():
        wanted[Path("consumers") / name / "main.go"] = textwrap.dedent(program).encode()
    for relative, data in wanted.items():
        write_if_changed(module / relative, data)
    for path in module.rglob("*"):
        if path.is_file() and path.suffix != ".tmp" and path.relative_to(module) not in wanted:
            path.unlink(missing_ok=True)
    return module


def test_go_vet_accepts_a_correct_consumer(consumer_module: Path) -> None:
    run(["go", "vet", "./consumers/correct"], cwd=consumer_module, env=GO_ENV)


def test_the_go_compiler_rejects_a_wrong_argument_type_and_an_unknown_output(consumer_module: Path) -> None:
    command = ["go", "build", "-o", "/dev/null", "./consumers/wrong"]
    result = run(command, cwd=consumer_module, env=GO_ENV, check=False)
    if result.returncode == 0:
        raise ToolchainError(command, result)
    assert (
        'consumers/wrong/main.go:13:29: cannot use pulumi.String("large") '
        '(constant "large" of string type pulumi.String) as *int value in struct literal'
    ) in result.stderr
    assert "consumers/wrong/main.go:18:36: stack.Bucket undefined" in result.stderr
