"""The release version: set once in ``VERSION``, copied into everything that ships.

A release goes wrong quietly when one artifact carries another version than
the rest: the SDK asks the engine for plugin ``0.2.0`` while the plugin
tarball says ``0.1.0``, and a consumer's ``pulumi up`` fails far from the
cause. ``make version`` therefore writes the version in one go (``stamp``
below for the hand-kept copies, then ``make schema`` and ``make sdks`` for the
generated ones), and ``copies`` reads every place a version is kept, so a
test and ``make version`` itself can insist that they all agree.
"""

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
"""Plain ``MAJOR.MINOR.PATCH``: the one spelling that pip, npm, Go and Pulumi all
read the same way (a pre-release such as ``1.0.0-rc.1`` is ``1.0.0rc1`` to pip)."""

PROVIDER_VERSION_FILE = Path("provider/envstack_provider/_version.py")
POLICY_VERSION_FILE = Path("policy/envstack_policy/_version.py")
POLICY_PACK_FILE = Path("policy/PulumiPolicy.yaml")
NODEJS_LOCK = Path("sdk/nodejs/package-lock.json")
"""npm's lock file repeats the package's own version; ``make sdks`` does not rewrite it."""
EXAMPLE_LOCK = Path("examples/typescript/package-lock.json")
EXAMPLE_SDK_ENTRY = "node_modules/@envstack/pulumi-envstack"
"""The TypeScript example locks the local SDK at its version; ``npm ci`` refuses a stale one."""
JAVA_EXAMPLE_POM = Path("examples/java/pom.xml")
"""The Java example names the SDK release it uses in ``<envstack.version>``; ``stamp`` moves it."""
GO_MODULE_FILE = Path("sdk/go/go.mod")
"""The Go SDK's module path: Go needs a ``/vN`` suffix on it from major version 2 on."""
JAVA_SDK_BUILD = Path("sdk/java/build.gradle")
"""The generated Gradle build's default version: the one the Java SDK's Maven build and jar carry."""
GO_SDK_UTILITIES = Path("sdk/go/envstack/internal/pulumiUtilities.go")
"""The Go SDK asks the engine for the plugin at the version it parses here (every occurrence)."""
YAML_EXAMPLE = Path("examples/yaml/Pulumi.yaml")
"""The YAML example pins the plugin version in its resource's ``options``."""
VERSION_MODULE_TEXT = (
    '"""The package version, stamped from the repository\'s VERSION file by `make version`."""\n\n'
    'VERSION = "{version}"\n'
)
"""The text of a stamped ``_version.py``; ruff-formatted as it is written."""

GENERATED_OUTPUT_DIRS = {"node_modules", "build", "bin", "dist"}
"""Build outputs inside ``sdk/``: copies made by a build, not sources that ship."""

_JAVA_EXAMPLE_VERSION = re.compile(r"<envstack\.version>([^<]*)</envstack\.version>")
_GO_MODULE_LINE = re.compile(r"^module[ \t]+(\S+)", re.MULTILINE)
_GO_MAJOR_SUFFIX = re.compile(r"/v([2-9]|[1-9]\d+)$")
_GRADLE_DEFAULT_VERSION = re.compile(r'^\s*\? "([^"]*)"', re.MULTILINE)
_GO_SEMVER = re.compile(r'semver\.MustParse\("([^"]*)"\)')
_ASSIGNMENT = re.compile(r'^VERSION\s*=\s*"([^"]*)"\s*$', re.MULTILINE)
_YAML_VERSION = re.compile(r"^(version:[ \t]*)\S*", re.MULTILINE)
_YAML_OPTIONS_VERSION = re.compile(r"^([ \t]+options:\n[ \t]+version:[ \t]*)\S*", re.MULTILINE)


class VersionError(ValueError):
    """A version that is malformed, or copies of it that disagree."""


@dataclass(frozen=True)
class VersionCopy:
    """One place that carries the version, and the version found there."""

    where: str
    version: str


def validate(version: str) -> str:
    """Return ``version`` if it is plain ``MAJOR.MINOR.PATCH``, else raise ``VersionError``."""
    if not VERSION_PATTERN.match(version):
        raise VersionError(f"{version!r} is not MAJOR.MINOR.PATCH (for example 1.4.0)")
    return version


def check_go_major(version: str, root: Path = REPO_ROOT) -> None:
    """Refuse a major version of 2 or more unless the Go SDK's module path ends in that ``/vN``.

    Go resolves ``github.com/envstack/envstack/sdk/go@v2.0.0`` only if the
    module path carries ``/v2`` (semantic import versioning); released
    without it, no Go consumer could install the release. The generator
    writes the module path, so the refusal comes before anything is stamped.
    """
    major = int(validate(version).split(".", maxsplit=1)[0])
    if major < 2:
        return
    path = root / GO_MODULE_FILE
    found = _GO_MODULE_LINE.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    module = found.group(1) if found else ""
    suffix = _GO_MAJOR_SUFFIX.search(module)
    if suffix is None or int(suffix.group(1)) != major:
        raise VersionError(
            f"version {version}: Go needs the module path to end in /v{major} from v2 on,"
            f" and {GO_MODULE_FILE} says {module!r}; give the Go SDK that path first"
        )


def read_version(root: Path = REPO_ROOT) -> str:
    """The release version, from the ``VERSION`` file at the repository root."""
    return validate((root / "VERSION").read_text(encoding="utf-8").strip())


def stamp(version: str, root: Path = REPO_ROOT) -> list[Path]:
    """Write ``version`` into ``VERSION`` and every copy no generator rewrites.

    That is the provider's and the policy pack's ``_version.py`` (each
    package's build reads its version from there, and the running code
    imports it, so an editable install reports a new version without a
    reinstall), the pack's ``PulumiPolicy.yaml``, the YAML example's pin of
    the plugin, the Java example's ``<envstack.version>``, the TypeScript
    SDK's lock file, and the TypeScript example's lock of that SDK. The schema and the
    SDKs are generated from the provider, so ``make version`` regenerates
    them after this; the plugin tarball takes
    its name from ``VERSION`` when ``make dist`` builds it. Returns the files
    written.
    """
    validate(version)
    (root / "VERSION").write_text(version + "\n", encoding="utf-8")
    written = [root / "VERSION"]
    for module in (PROVIDER_VERSION_FILE, POLICY_VERSION_FILE):
        (root / module).write_text(VERSION_MODULE_TEXT.format(version=version), encoding="utf-8")
        written.append(root / module)
    for relative, pattern, replacement in (
        (POLICY_PACK_FILE, _YAML_VERSION, f"\\g<1>{version}"),
        (YAML_EXAMPLE, _YAML_OPTIONS_VERSION, f"\\g<1>{version}"),
        (JAVA_EXAMPLE_POM, _JAVA_EXAMPLE_VERSION, f"<envstack.version>{version}</envstack.version>"),
    ):
        path = root / relative
        if path.is_file():
            text, count = pattern.subn(replacement, path.read_text(encoding="utf-8"), count=1)
            if count != 1:
                raise VersionError(f"{relative} has no version line to stamp")
            path.write_text(text, encoding="utf-8")
            written.append(path)
    lock = root / NODEJS_LOCK
    if lock.is_file():
        document = json.loads(lock.read_text(encoding="utf-8"))
        document["version"] = version
        document["packages"][""]["version"] = version
        lock.write_text(json.dumps(document, indent=4) + "\n", encoding="utf-8")
        written.append(lock)
    example_lock = root / EXAMPLE_LOCK
    if example_lock.is_file():
        document = json.loads(example_lock.read_text(encoding="utf-8"))
        document["packages"][EXAMPLE_SDK_ENTRY]["version"] = version
        example_lock.write_text(json.dumps(document, indent=4) + "\n", encoding="utf-8")
        written.append(example_lock)
    return written


def _module_version(path: Path) -> str:
    found = _ASSIGNMENT.search(path.read_text(encoding="utf-8"))
    if found is None:
        raise VersionError(f'{path} has no VERSION = "..." line')
    return found.group(1)


def _json_field(path: Path, *keys: str) -> str:
    value: object = json.loads(path.read_text(encoding="utf-8"))
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise VersionError(f"{path} has no {'.'.join(keys)}")
        value = value[key]
    return str(value)


def _pattern_copies(root: Path, relative: Path, pattern: re.Pattern[str], what: str) -> list[VersionCopy]:
    """Each version ``pattern`` finds in ``relative`` (if the file exists); a file without one is an error.

    A generator that changed its output's shape must fail the check, not
    silently drop a copy from it.
    """
    path = root / relative
    if not path.is_file():
        return []
    found = pattern.findall(path.read_text(encoding="utf-8"))
    if not found:
        raise VersionError(f"{relative} has no {what} version to check")
    return [VersionCopy(f"{relative} {what} #{number}", str(value)) for number, value in enumerate(found, 1)]


def copies(root: Path = REPO_ROOT) -> list[VersionCopy]:
    """Every version the repository carries: the source, and each copy that exists.

    The SDKs and the policy pack are read when they are present, so the
    check works on a checkout where ``make sdks`` has not run yet; ``make
    dist`` builds from the same files and so cannot ship an absent copy.
    """
    found = [
        VersionCopy("VERSION", (root / "VERSION").read_text(encoding="utf-8").strip()),
        VersionCopy(str(PROVIDER_VERSION_FILE), _module_version(root / PROVIDER_VERSION_FILE)),
        VersionCopy("schema.json version", _json_field(root / "schema.json", "version")),
    ]
    if (root / POLICY_VERSION_FILE).is_file():
        found.append(VersionCopy(str(POLICY_VERSION_FILE), _module_version(root / POLICY_VERSION_FILE)))
    python_sdk = root / "sdk/python/pyproject.toml"
    if python_sdk.is_file():
        project = tomllib.loads(python_sdk.read_text(encoding="utf-8"))["project"]
        found.append(VersionCopy("sdk/python/pyproject.toml", str(project.get("version", ""))))
    if (root / POLICY_PACK_FILE).is_file():
        line = _YAML_VERSION.search((root / POLICY_PACK_FILE).read_text(encoding="utf-8"))
        pack_version = line.group(0).split(":", 1)[1].strip() if line else ""
        found.append(VersionCopy(str(POLICY_PACK_FILE), pack_version))
    if (root / YAML_EXAMPLE).is_file():
        pin = _YAML_OPTIONS_VERSION.search((root / YAML_EXAMPLE).read_text(encoding="utf-8"))
        pinned = pin.group(0).rsplit(":", 1)[1].strip() if pin else ""
        found.append(VersionCopy(f"{YAML_EXAMPLE} options.version", pinned))
    package_json = root / "sdk/nodejs/package.json"
    if package_json.is_file():
        found.append(VersionCopy("sdk/nodejs/package.json version", _json_field(package_json, "version")))
        found.append(
            VersionCopy(
                "sdk/nodejs/package.json pulumi.version", _json_field(package_json, "pulumi", "version")
            )
        )
    if (root / NODEJS_LOCK).is_file():
        found.append(VersionCopy(f"{NODEJS_LOCK} version", _json_field(root / NODEJS_LOCK, "version")))
        found.append(
            VersionCopy(
                f"{NODEJS_LOCK} packages[''].version",
                _json_field(root / NODEJS_LOCK, "packages", "", "version"),
            )
        )
    if (root / EXAMPLE_LOCK).is_file():
        found.append(
            VersionCopy(
                f"{EXAMPLE_LOCK} {EXAMPLE_SDK_ENTRY}",
                _json_field(root / EXAMPLE_LOCK, "packages", EXAMPLE_SDK_ENTRY, "version"),
            )
        )
    found.extend(_pattern_copies(root, JAVA_EXAMPLE_POM, _JAVA_EXAMPLE_VERSION, "<envstack.version>"))
    found.extend(_pattern_copies(root, JAVA_SDK_BUILD, _GRADLE_DEFAULT_VERSION, "default version"))
    found.extend(_pattern_copies(root, GO_SDK_UTILITIES, _GO_SEMVER, "semver.MustParse"))
    if (root / "sdk/dotnet/version.txt").is_file():
        found.append(
            VersionCopy("sdk/dotnet/version.txt", (root / "sdk/dotnet/version.txt").read_text().strip())
        )
    sdk = root / "sdk"
    if sdk.is_dir():
        for plugin_json in sorted(sdk.glob("*/**/pulumi-plugin.json")):
            if not GENERATED_OUTPUT_DIRS & set(plugin_json.relative_to(sdk).parts):
                where = str(plugin_json.relative_to(root))
                found.append(VersionCopy(where, _json_field(plugin_json, "version")))
    return found


def check_agreement(root: Path = REPO_ROOT) -> str:
    """Return the one version every copy carries; raise ``VersionError`` naming each stray one."""
    version = read_version(root)
    strays = [copy for copy in copies(root) if copy.version != version]
    if strays:
        listing = "\n".join(f"  {copy.where}: {copy.version!r}" for copy in strays)
        raise VersionError(
            f"VERSION says {version} but these copies disagree"
            f" (run `make version VERSION={version}`):\n{listing}"
        )
    return version
