"""``python -m tools.release``: the steps of ``make version``, ``dist`` and ``publish``.

The make targets stay one line each and the logic lives in typed, tested
modules: ``versions`` (one version, many copies), ``distributions`` (what a
release is made of), and one publisher per kind of registry: ``publishing``
(twine to a Python index, without leaking credentials), ``npm_registry``
(``npm publish`` with a scoped ``.npmrc``), ``maven_repository`` (``mvn
deploy``) and ``go_proxy`` (a Go module proxy's folder).
"""

import argparse
import datetime
import hashlib
import sys
import tempfile
from pathlib import Path

from . import changelog, gates, schema_compat
from .distributions import BuildError, build_release
from .go_proxy import publish_go
from .maven_repository import STAGED_PROJECT, deploy_maven
from .npm_registry import publish_npm
from .publishing import PublishError, publish
from .versions import REPO_ROOT, VersionError, check_agreement, check_go_major, read_version, stamp, validate


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validate(args: argparse.Namespace) -> int:
    check_go_major(validate(args.version), REPO_ROOT)
    return 0


def _check_release(args: argparse.Namespace) -> int:
    print(gates.check_release(REPO_ROOT, args.version))
    return 0


def _stamp(args: argparse.Namespace) -> int:
    path = REPO_ROOT / changelog.CHANGELOG
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    path.write_text(changelog.release_entry(changelog.read(REPO_ROOT), args.version, today), encoding="utf-8")
    for written in [*stamp(args.version, REPO_ROOT), path]:
        print(f"stamped {args.version} into {written.relative_to(REPO_ROOT)}")
    return 0


def _changelog_schema(_: argparse.Namespace) -> int:
    """Write schema-tools' report into the changelog entry of ``VERSION``."""
    version = read_version(REPO_ROOT)
    text = changelog.read(REPO_ROOT)
    entry = changelog.entry_for(text, version)
    if entry is None:
        raise changelog.ChangelogError(f"CHANGELOG.md has no entry for {version}")
    verdict = schema_compat.compare(REPO_ROOT, version)
    text = changelog.replace_section(text, entry, changelog.SCHEMA_COMPARISON, verdict.report())
    (REPO_ROOT / changelog.CHANGELOG).write_text(text, encoding="utf-8")
    print(verdict.report())
    return 0


def _check_changelog(_: argparse.Namespace) -> int:
    print(gates.check_publishable(REPO_ROOT, read_version(REPO_ROOT)))
    return 0


def _check(_: argparse.Namespace) -> int:
    print(f"every copy carries version {check_agreement(REPO_ROOT)}")
    return 0


def _dist(args: argparse.Namespace) -> int:
    out_dir = Path(args.out_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="envstack-dist-") as scratch:
        release = build_release(out_dir, Path(scratch), REPO_ROOT)
    lines = [f"{_sha256(path)}  {path.relative_to(out_dir)}" for path in release.all()]
    (out_dir / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"built envstack {release.version} into {out_dir}:")
    print("\n".join(lines))
    return 0


def _publish(args: argparse.Namespace) -> int:
    return publish(args.repository_url, Path(args.dist_dir), version=read_version(REPO_ROOT))


def _publish_npm(args: argparse.Namespace) -> int:
    return publish_npm(args.registry_url, Path(args.dist_dir), read_version(REPO_ROOT))


def _publish_maven(args: argparse.Namespace) -> int:
    return deploy_maven(args.repository_url, REPO_ROOT / STAGED_PROJECT, read_version(REPO_ROOT))


def _publish_go(args: argparse.Namespace) -> int:
    return publish_go(args.proxy_dir, REPO_ROOT, read_version(REPO_ROOT))


def main(argv: list[str] | None = None) -> int:
    """Run one release step; a refusal prints its reason and exits non-zero."""
    parser = argparse.ArgumentParser(prog="python -m tools.release")
    steps = parser.add_subparsers(dest="step", required=True)
    validate_parser = steps.add_parser(
        "validate", help="refuse a malformed version, or a Go major without /vN"
    )
    validate_parser.add_argument("version")
    validate_parser.set_defaults(run=_validate)
    release_parser = steps.add_parser("check-release", help="refuse a bump smaller than the changes require")
    release_parser.add_argument("version")
    release_parser.set_defaults(run=_check_release)
    steps.add_parser("changelog-schema", help="write schema-tools' report into the entry").set_defaults(
        run=_changelog_schema
    )
    steps.add_parser("check-changelog", help="refuse a version without a changelog entry").set_defaults(
        run=_check_changelog
    )
    stamp_parser = steps.add_parser("stamp", help="write VERSION and the hand-kept copies")
    stamp_parser.add_argument("version")
    stamp_parser.set_defaults(run=_stamp)
    steps.add_parser("check", help="fail unless every copy carries VERSION").set_defaults(run=_check)
    dist_parser = steps.add_parser("dist", help="build every artifact of the release")
    dist_parser.add_argument("out_dir")
    dist_parser.set_defaults(run=_dist)
    publish_parser = steps.add_parser("publish", help="upload the Python distributions with twine")
    publish_parser.add_argument("repository_url")
    publish_parser.add_argument("dist_dir")
    publish_parser.set_defaults(run=_publish)
    npm_parser = steps.add_parser("publish-npm", help="npm publish the TypeScript SDK to a registry")
    npm_parser.add_argument("registry_url")
    npm_parser.add_argument("dist_dir")
    npm_parser.set_defaults(run=_publish_npm)
    maven_parser = steps.add_parser("publish-maven", help="mvn deploy the Java SDK to a Maven repository")
    maven_parser.add_argument("repository_url")
    maven_parser.set_defaults(run=_publish_maven)
    go_parser = steps.add_parser("publish-go", help="write the Go SDK's module into a module proxy's folder")
    go_parser.add_argument("proxy_dir")
    go_parser.set_defaults(run=_publish_go)
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (
        VersionError,
        BuildError,
        PublishError,
        changelog.ChangelogError,
        schema_compat.SchemaCompatError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
