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

Running a consumer is what ``tests/engine_automation`` does to the examples:
its language's Automation API driver (``envstack_testkit.automation``) runs
the consumer's own program under the pinned engine, on a copy of the
consumer's folder, with the driver built against what the consumer
installed (its Python, its node_modules, its Go module cache, its Maven
local repository). One environment is enough to prove the installed SDK
works end to end: dev is previewed with the pack, deployed, read back and
destroyed (``run_under_engine``, ``assert_deploys_the_stack``).
"""

import base64
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from envstack_testkit import automation
from envstack_testkit.stack_files import PROJECT, stack_config
from tests.engine_automation.checks import EXPORTS, STRING_TYPES, component, expected_creates, resources
from tools.release.versions import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
JAVA_DRIVER = automation.HERE / "java" / "RunAutomation.java"
STACK = "dev"
"""The one environment a consumer deploys."""
STEPS = (
    automation.PREVIEW_WITH_PACK,
    automation.UP,
    automation.OUTPUTS,
    automation.EXPORT,
    automation.DESTROY,
    automation.EXPORT,
)
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


def run_under_engine(language: str, program: automation.Program) -> automation.StackReport:
    """Run ``STEPS`` on the consumer's dev stack through its language's Automation API driver."""
    report = automation.run_plan(language, [automation.StackPlan(STACK, STEPS)], program=program)
    return report.stacks[STACK]


def assert_deploys_the_stack(stack: automation.StackReport, language: str) -> None:
    """The consumer's program passed the pack, deployed its EnvironmentStack, exported, and left nothing.

    The component's children in the state follow the stack file, and each stack
    output the language read is the component's output as the state holds it.
    """
    creates = expected_creates(STACK)
    preview = stack.step(automation.PREVIEW_WITH_PACK)
    assert preview.ok, preview.error
    assert preview.changes == {"create": creates}, preview.changes
    assert [p for p in preview.policy if p["enforcementLevel"] == "mandatory"] == []
    assert re.search(r"✅ envstack@v\S+ \(local: ", preview.stdout), preview.stdout
    up = stack.step(automation.UP)
    assert up.ok, up.error
    assert up.changes == {"create": creates}, up.changes
    state = stack.step(automation.EXPORT).state
    deployed = component(state)
    # The children carry the stack file's inputs: the function's memory, each physical name's suffix.
    config = stack_config(STACK, language)
    suffix = config[f"{PROJECT}:environmentSuffix"]
    children = {r["type"]: r for r in resources(state) if r.get("parent") == deployed["urn"]}
    function = next(r for r in resources(state) if r["type"] == "aws:lambda/function:Function")
    assert function["inputs"]["memorySize"] == config[f"{PROJECT}:lambdaMemoryMb"]
    assert function["inputs"]["name"].endswith(f"-{suffix}"), function["inputs"]
    assert children["aws:s3/bucket:Bucket"]["inputs"]["bucket"].endswith(f"-{suffix}"), children
    outputs = stack.step(automation.OUTPUTS)
    assert outputs.ok, outputs.error
    assert {o["type"] for o in outputs.outputs.values()} == {STRING_TYPES[language]}
    assert {name: o["value"] for name, o in outputs.outputs.items()} == {
        name: deployed["outputs"][output] for name, output in EXPORTS.items()
    }
    destroy = stack.step(automation.DESTROY)
    assert destroy.ok, destroy.error
    assert destroy.changes == {"delete": creates}, destroy.changes
    assert stack.step(automation.EXPORT, 1).state.get("deployment", {}).get("resources") in (None, [])


def _copy_stack_files(example: Path, consumer: Path) -> None:
    for name in STACK_FILES:
        shutil.copyfile(example / name, consumer / name)


# --- Python ---------------------------------------------------------------------------------------


def python_consumer(folder: Path) -> Path:
    """The Python example as a consumer project: its program and stack files, no SDK of the checkout."""
    example = EXAMPLES / "python"
    folder.mkdir(parents=True)
    for name in ("__main__.py", "requirements.txt"):
        shutil.copyfile(example / name, folder / name)
    _copy_stack_files(example, folder)
    return folder


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


def typescript_program(folder: Path) -> automation.Program:
    """The compiled consumer, loaded by the TypeScript driver with the consumer's own node_modules."""
    return automation.Program(
        source=folder, compiled=folder / "bin" / "index.js", node_modules=folder / "node_modules"
    )


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
    for name in ("main.go", "automation_test.go"):
        shutil.copyfile(example / name, folder / name)
    _copy_stack_files(example, folder)
    return folder


def go_program(folder: Path, env: Mapping[str, str]) -> automation.Program:
    """Compile the consumer's tests (``automation_test.go`` is the Go driver) against the fetched module."""
    driver = folder.parent / "go_automation.test"
    # -trimpath keeps the module cache's location out of the build cache's keys: the new
    # GOMODCACHE would otherwise make the go command recompile Pulumi's SDK and every
    # dependency (minutes of CPU) instead of reusing what `make automation-deps` compiled.
    run(["go", "test", "-trimpath", "-c", "-o", str(driver), "."], folder, env)
    return automation.Program(source=folder, go_driver=driver)


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
MVN_DEPENDENCY = "org.apache.maven.plugins:maven-dependency-plugin"
"""Without a version: Maven takes the one examples/java/pom.xml pins in its ``<pluginManagement>``."""


def maven_local_repository() -> Path:
    """The machine's Maven local repository, which ``make sdk-java`` and ``make automation-deps`` filled."""
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


def java_program(folder: Path, classpath: str) -> automation.Program:
    """Compile the Java driver against the consumer's classes and the jars Maven resolved for it."""
    driver = folder.parent / "java-driver"
    run(
        ["javac", "-Xlint:all", "-Werror", "-d", str(driver), "-cp", classpath, str(JAVA_DRIVER)],
        folder,
        os.environ,
    )
    classpath_file = folder.parent / "java.classpath"
    classpath_file.write_text(f"{driver}:{classpath}\n")
    return automation.Program(source=folder, java_classpath=classpath_file)
