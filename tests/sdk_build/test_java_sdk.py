"""The Java SDK builds with Maven against com.pulumi:pulumi, loads in a JVM and types its callers.

``make sdk-java`` stages sdk/java as a Maven project under build/sdk/java/
(the POM filled from the generated build.gradle, plus the version.txt and
plugin.json the Gradle build would write), compiles it with javac through
Maven against com.pulumi:pulumi from Maven Central, packs the jar and
installs it into the local Maven repository. Consumer programs are then
compiled by the same JDK's javac against that jar and the SDK's classpath.
"""

import json
import textwrap
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import pytest

from .toolchains import (
    SCHEMA,
    SDK_BUILD,
    VERSION_FILE,
    ToolchainError,
    make,
    read_json,
    run,
    write_if_changed,
)

pytestmark = pytest.mark.timeout(900)

JAVA_BUILD = SDK_BUILD / "java"
CLASSPATH_FILE = JAVA_BUILD / "classpath.txt"
"""The SDK's dependencies as Maven resolved them (written by ``make sdk-java``)."""
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1",)
"""javac and the probe run on the JVM's quick C1 compiler only: each lasts about a second, too
short for C2's optimised code to pay back its compiling (a third of javac's CPU). What javac
reports and what the probe prints do not depend on it."""


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    document: dict[str, Any] = read_json(SCHEMA)
    return document


@pytest.fixture(scope="module")
def jar(schema: dict[str, Any]) -> Path:
    make("sdk-java")
    path = JAVA_BUILD / "package" / "target" / f"{schema['name']}-{schema['version']}.jar"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    return path


@pytest.fixture(scope="module")
def classpath(jar: Path) -> str:
    """The built jar followed by its dependencies: what a consumer compiles and runs with."""
    dependencies = CLASSPATH_FILE.read_text(encoding="utf-8").strip()
    assert "/com/pulumi/pulumi/" in dependencies
    return f"{jar}:{dependencies}"


def test_the_jar_holds_the_compiled_classes_and_the_resources_the_gradle_build_would_write(
    jar: Path, schema: dict[str, Any]
) -> None:
    package = schema["language"]["java"]["basePackage"].replace(".", "/") + "/" + schema["name"]
    with ZipFile(jar) as archive:
        names = set(archive.namelist())
        version = archive.read(f"{package}/version.txt").decode()
        plugin = json.loads(archive.read(f"{package}/plugin.json"))
    assert {
        f"{package}/EnvironmentStack.class",
        f"{package}/EnvironmentStackArgs.class",
        f"{package}/EnvironmentStackArgs$Builder.class",
        f"{package}/Utilities.class",
    } <= names
    assert not any(name.endswith(".java") for name in names)
    assert version == schema["version"] == VERSION_FILE.read_text(encoding="utf-8").strip()
    assert plugin == {
        "resource": True,
        "name": schema["name"],
        "server": schema["pluginDownloadURL"],
        "version": schema["version"],
    }


def test_maven_built_against_the_pulumi_java_sdk_the_schema_names(
    classpath: str, schema: dict[str, Any]
) -> None:
    wanted = schema["language"]["java"]["dependencies"]["com.pulumi:pulumi"]
    assert f"/com/pulumi/pulumi/{wanted}/pulumi-{wanted}.jar" in classpath


PROBE = """
    import com.envstack.envstack.EnvironmentStack;
    import com.envstack.envstack.EnvironmentStackArgs;
    import com.envstack.envstack.Utilities;
    import com.pulumi.resources.ComponentResource;

    public class Probe {
        public static void main(String[] args) {
            System.out.println(Utilities.getVersion());
            System.out.println(ComponentResource.class.isAssignableFrom(EnvironmentStack.class));
            System.out.println(EnvironmentStackArgs.builder().environment("dev").lambdaMemoryMb(512).build()
                .lambdaMemoryMb().orElseThrow());
            try {
                EnvironmentStackArgs.builder().environmentSuffix("dev").build();
                System.out.println("built without an environment");
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
    """

CORRECT = """
    import com.envstack.envstack.EnvironmentStack;
    import com.envstack.envstack.EnvironmentStackArgs;
    import com.pulumi.Pulumi;
    import com.pulumi.core.Output;
    import java.util.Map;

    public class Correct {
        public static void main(String[] args) {
            Pulumi.run(ctx -> {
                var stack = new EnvironmentStack("envstack", EnvironmentStackArgs.builder()
                    .environment("prod")
                    .environmentSuffix("prod")
                    .lambdaMemoryMb(1024)
                    .tags(Map.of("Team", "data"))
                    .notificationEmail(Output.ofSecret("ops@example.com"))
                    .build());
                Output<String> bucket = stack.bucketName();
                ctx.export("bucketName", bucket);
            });
        }
    }
    """

WRONG = """
    import com.envstack.envstack.EnvironmentStack;
    import com.envstack.envstack.EnvironmentStackArgs;
    import com.pulumi.Pulumi;

    public class Wrong {
        public static void main(String[] args) {
            Pulumi.run(ctx -> {
                var stack = new EnvironmentStack("envstack", EnvironmentStackArgs.builder()
                    .environment("dev")
                    .lambdaMemoryMb("large")
                    .build());
                ctx.export("bucket", stack.bucket());
            });
        }
    }
    """


def javac(classpath: str, name: str, program: str) -> "tuple[int, str, Path]":
    """Compile one consumer class with javac against the SDK; its exit code, report and class folder.

    The sources and classes live in a fixed folder under build/sdk/java, so
    that concurrent runs share them without pulling them from each other.
    """
    folder = JAVA_BUILD / "consumers" / name
    source = folder / f"{name}.java"
    write_if_changed(source, textwrap.dedent(program).encode())
    classes = folder / "classes"
    options = [f"-J{option}" for option in JVM_OPTIONS]
    command = ["javac", *options, "-Xlint:all", "-d", str(classes), "-cp", classpath, str(source)]
    result = run(command, cwd=folder, check=False)
    if result.returncode not in (0, 1):
        raise ToolchainError(command, result)
    return result.returncode, result.stderr, classes


def test_the_sdk_loads_in_a_jvm_reads_its_version_and_checks_required_inputs(classpath: str) -> None:
    returncode, report, classes = javac(classpath, "Probe", PROBE)
    assert (returncode, report) == (0, "")
    command = ["java", *JVM_OPTIONS, "-cp", f"{classes}:{classpath}", "Probe"]
    lines = run(command, cwd=classes).stdout.splitlines()
    assert lines[:3] == [VERSION_FILE.read_text(encoding="utf-8").strip(), "true", "512"]
    assert lines[3].startswith("MissingRequiredPropertyException: "), lines[3]
    assert "environment" in lines[3]


def test_javac_accepts_a_correct_consumer(classpath: str) -> None:
    returncode, report, classes = javac(classpath, "Correct", CORRECT)
    assert (returncode, report) == (0, "")
    assert (classes / "Correct.class").is_file()


def test_javac_rejects_a_wrong_argument_type_and_an_unknown_output(classpath: str) -> None:
    returncode, report, _ = javac(classpath, "Wrong", WRONG)
    assert returncode == 1
    assert "Wrong.java:11: error: incompatible types: String cannot be converted to Integer" in report
    assert "Wrong.java:13: error: cannot find symbol" in report
    assert "symbol:   method bucket()" in report
