"""Fresh consumer projects that take envstack's SDK from an internal registry, and nothing else of ours.

Each consumer is a copy of the repository's example in that language with
the one change a team outside this repository makes: the SDK is named by
its released version, not by a path (no ``file:`` dependency, no Go
``replace``, no ``make sdk-java`` install in the local Maven repository).
Everything the registry must answer for starts empty: a new npm cache, a
new ``GOMODCACHE``, a new Maven local repository. Third-party dependencies
(Pulumi's SDKs and theirs) come from the machine's own caches of the public
registries, read as a mirror would be, so each run costs seconds rather than
a fresh download of the public registries; the envstack artifact never does,
and each test proves it from the registry's side.

Running a consumer is one function per language (``run_*``), under that
language's mocks, exactly as ``tests/examples_mocks`` runs the examples.
When the examples run under the real engine through each language's
Automation API, those functions are what changes: the install steps and the
proofs stay.
"""

import base64
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from envstack_provider.component import TYPE_TOKEN
from tests.examples_mocks.stack_configs import stack_config
from tools.release.versions import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
MOCKS = REPO_ROOT / "tests" / "examples_mocks"
NODE_RUNNER = MOCKS / "node" / "run_with_mocks.js"
JAVA_RUNNER = MOCKS / "java" / "RunWithMocks.java"
STACK_FILES = ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml")
NPM_PACKAGE = "@envstack/pulumi-envstack"
GO_MODULE = "github.com/envstack/envstack/sdk/go"
JAVA_REPOSITORY_ID = "envstack-internal"
TIMEOUT_SECONDS = 600


class ConsumerError(AssertionError):
    """A consumer's tool failed; carries its output so the report shows why."""


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> "subprocess.CompletedProcess[str]":
    """Run one tool of a consumer; raise with its output when it fails."""
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise ConsumerError(
            f"{' '.join(command)} exited {result.returncode} in {cwd}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def assert_registers_the_stack(document: dict[str, object], language: str, stack: str) -> None:
    """The run registered one remote EnvironmentStack with the stack file's inputs, and exported."""
    registrations = document["registrations"]
    assert isinstance(registrations, list)
    components = [r for r in registrations if r["type"] == TYPE_TOKEN]
    assert len(components) == 1, registrations
    assert components[0]["remote"] is True
    inputs = {key: int(v) if isinstance(v, float) else v for key, v in components[0]["inputs"].items()}
    assert inputs == stack_config(language, stack).expected_inputs()
    assert document["exports"]


def _copy_stack_files(example: Path, consumer: Path) -> None:
    for name in STACK_FILES:
        shutil.copyfile(example / name, consumer / name)


def last_json_line(output: str) -> dict[str, object]:
    """The JSON document a mocks runner prints last, after whatever the program logged."""
    document: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return document


# --- TypeScript -----------------------------------------------------------------------------------


def npm_cache() -> Path:
    """The machine's npm cache (``npm config get cache``), which the examples' ``npm ci`` filled."""
    answer = subprocess.run(["npm", "config", "get", "cache"], capture_output=True, text=True, check=True)
    return Path(answer.stdout.strip())


def sri_path(cache: Path, integrity: str) -> Path:
    """Where cacache keeps the blob of an ``sha512-<base64>`` integrity (``content-v2/sha512/ab/cd/...``)."""
    algorithm, _, digest = integrity.partition("-")
    hexdigest = base64.b64decode(digest).hex()
    return cache / "_cacache" / "content-v2" / algorithm / hexdigest[:2] / hexdigest[2:4] / hexdigest[4:]


def typescript_consumer(folder: Path, version: str, registry_url: str) -> Path:
    """The TypeScript example as a consumer of ``@envstack/pulumi-envstack@<version>`` from ``registry_url``.

    The example's lockfile is kept for the public packages (so npm takes them
    from the cache copy by their locked integrity) and loses its entry for
    the SDK, which npm must resolve from the registry the scoped ``.npmrc``
    names.
    """
    example = EXAMPLES / "typescript"
    folder.mkdir(parents=True)
    package = json.loads((example / "package.json").read_text())
    package["dependencies"][NPM_PACKAGE] = version
    (folder / "package.json").write_text(json.dumps(package, indent=4) + "\n")
    lock = json.loads((example / "package-lock.json").read_text())
    lock["packages"][""]["dependencies"][NPM_PACKAGE] = version
    del lock["packages"][f"node_modules/{NPM_PACKAGE}"]
    (folder / "package-lock.json").write_text(json.dumps(lock, indent=4) + "\n")
    (folder / ".npmrc").write_text(f"@envstack:registry={registry_url}/\n")
    for name in ("index.ts", "tsconfig.json"):
        shutil.copyfile(example / name, folder / name)
    _copy_stack_files(example, folder)
    return folder


def npm_install(folder: Path, cache: Path) -> str:
    """``npm install`` with ``cache`` as npm's cache and the machine's own user config ignored."""
    env = {key: value for key, value in os.environ.items() if not key.lower().startswith("npm_config_")}
    env.update(NPM_CONFIG_USERCONFIG=os.devnull, NPM_CONFIG_UPDATE_NOTIFIER="false")
    command = ["npm", "install", "--cache", str(cache), "--prefer-offline", "--ignore-scripts", "--no-audit"]
    return run(command, folder, env).stdout


def compile_typescript(folder: Path) -> None:
    """Type-check and compile the consumer with its own ``tsc``, against the installed SDK's declarations."""
    run([str(folder / "node_modules" / ".bin" / "tsc"), "-p", "."], folder, os.environ)


def run_typescript(folder: Path, stack: str, config: Mapping[str, str]) -> dict[str, object]:
    """Run the compiled consumer for ``stack`` under @pulumi/pulumi's mocks, one process per program."""
    env = {
        **os.environ,
        "PULUMI_CONFIG": json.dumps(config),
        "ENVSTACK_PROJECT": "pulumi-infra",
        "ENVSTACK_STACK": stack,
        "ENVSTACK_PROGRAM": str(folder / "bin" / "index.js"),
    }
    return last_json_line(run(["node", str(NODE_RUNNER)], folder, env).stdout)


# --- Go -------------------------------------------------------------------------------------------


def go_env(gomodcache: Path, goproxy: str) -> dict[str, str]:
    """The go command with a new module cache, ``goproxy`` first, and only envstack exempt from sumdb.

    ``GONOSUMDB`` names the internal module's path alone: the public checksum
    database cannot know it, while every other module is still checked
    against it (and against go.sum).
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("GO")}
    env.update(
        GOMODCACHE=str(gomodcache),
        GOPROXY=goproxy,
        GONOSUMDB="github.com/envstack/envstack",
        GOFLAGS="-mod=mod",
        GOWORK="off",
        GOTOOLCHAIN="local",
    )
    if "GOCACHE" in os.environ:
        env["GOCACHE"] = os.environ["GOCACHE"]
    return env


def go_public_proxies() -> str:
    """The public modules' proxies: the machine's module cache read as a proxy, then its GOPROXY."""
    answer = subprocess.run(
        ["go", "env", "GOMODCACHE", "GOPROXY"], capture_output=True, text=True, check=True
    )
    modcache, goproxy = answer.stdout.split()
    return f"file://{modcache}/cache/download,{goproxy}"


def go_consumer(folder: Path, version: str) -> Path:
    """The Go example requiring ``sdk/go`` at ``v<version>``, without its ``replace``."""
    example = EXAMPLES / "go"
    folder.mkdir(parents=True)
    go_mod = (example / "go.mod").read_text()
    go_mod = re.sub(r"\n(//[^\n]*\n)*replace [^\n]*\n", "\n", go_mod)
    go_mod, count = re.subn(rf"({re.escape(GO_MODULE)}) \S+", rf"\1 v{version}", go_mod)
    if count != 1 or "replace" in go_mod:
        raise ConsumerError(f"examples/go/go.mod changed shape:\n{go_mod}")
    (folder / "go.mod").write_text(go_mod)
    shutil.copyfile(example / "go.sum", folder / "go.sum")
    for name in ("main.go", "main_test.go"):
        shutil.copyfile(example / name, folder / name)
    _copy_stack_files(example, folder)
    return folder


def run_go(folder: Path, env: Mapping[str, str], record_dir: Path) -> None:
    """``go test`` the consumer: its test runs the program under ``pulumi.WithMocks`` per stack."""
    record_dir.mkdir(parents=True, exist_ok=True)
    # -trimpath keeps the module cache's location out of the build cache's keys: the new
    # GOMODCACHE would otherwise make the go command recompile Pulumi's SDK and every
    # dependency (minutes of CPU) instead of reusing what the examples' build compiled.
    run(["go", "test", "-trimpath", "-count=1", "."], folder, {**env, "ENVSTACK_RECORD_DIR": str(record_dir)})


# --- Java -----------------------------------------------------------------------------------------

SETTINGS = """\
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <localRepository>{local}</localRepository>
  <mirrors>
    <mirror>
      <id>central-mirror</id>
      <mirrorOf>central</mirrorOf>
      <url>{central}</url>
    </mirror>
  </mirrors>
  <profiles>
    <profile>
      <id>envstack</id>
      <repositories>
        <repository>
          <id>{repository_id}</id>
          <url>{internal}</url>
          <releases><enabled>true</enabled></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>envstack</activeProfile>
  </activeProfiles>
</settings>
"""
MVN_DEPENDENCY = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"


def maven_local_repository() -> Path:
    """The machine's Maven local repository, which ``make sdk-java`` and ``make examples-deps`` filled."""
    return Path(os.environ.get("MAVEN_LOCAL_REPOSITORY", Path.home() / ".m2" / "repository"))


def java_consumer(folder: Path, version: str, repository_url: str, local_repository: Path) -> Path:
    """The Java example at ``version``, with a settings.xml naming the internal repository.

    ``central`` is mirrored to ``MAVEN_CENTRAL_MIRROR`` (default: the
    machine's local repository read as a remote one, which holds what the
    SDK build fetched from Maven Central), the way a company's settings.xml
    points ``central`` at its repository manager.
    """
    example = EXAMPLES / "java"
    folder.mkdir(parents=True)
    pom, count = re.subn(
        r"<envstack\.version>[^<]*</envstack\.version>",
        f"<envstack.version>{version}</envstack.version>",
        (example / "pom.xml").read_text(),
    )
    if count != 1:
        raise ConsumerError("examples/java/pom.xml has no <envstack.version>")
    (folder / "pom.xml").write_text(pom)
    shutil.copytree(example / "src", folder / "src")
    _copy_stack_files(example, folder)
    central = os.environ.get("MAVEN_CENTRAL_MIRROR", maven_local_repository().as_uri())
    (folder / "settings.xml").write_text(
        SETTINGS.format(
            local=local_repository,
            central=central,
            repository_id=JAVA_REPOSITORY_ID,
            internal=repository_url,
        )
    )
    return folder


def maven_build(folder: Path) -> str:
    """Compile the consumer with its settings.xml and return its compile classpath."""
    classpath_file = folder / "target" / "classpath.txt"
    command = [
        "mvn",
        "-B",
        "--no-transfer-progress",
        "-s",
        str(folder / "settings.xml"),
        "compile",
        f"{MVN_DEPENDENCY}:build-classpath",
        f"-Dmdep.outputFile={classpath_file}",
    ]
    run(command, folder, os.environ)
    return f"{folder / 'target' / 'classes'}:{classpath_file.read_text().strip()}"


def run_java(folder: Path, classpath: str, stack: str, config: Mapping[str, str]) -> dict[str, object]:
    """Compile the mocks runner against the consumer; run the program for ``stack`` under Java's mocks."""
    runner = folder / "target" / "runner"
    if not (runner / "RunWithMocks.class").is_file():
        run(["javac", "-d", str(runner), "-cp", classpath, str(JAVA_RUNNER)], folder, os.environ)
    env = {
        **os.environ,
        "PULUMI_CONFIG": json.dumps(config),
        "ENVSTACK_PROJECT": "pulumi-infra",
        "ENVSTACK_STACK": stack,
    }
    command = ["java", "-XX:TieredStopAtLevel=1", "-cp", f"{runner}:{classpath}", "RunWithMocks"]
    return last_json_line(run(command, folder, env).stdout)
