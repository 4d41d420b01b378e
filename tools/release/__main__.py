"""``python -m tools.release``: the steps of ``make version``, ``dist`` and ``publish``.

The make targets stay one line each and the logic lives in typed, tested
modules: ``versions`` (one version, many copies), ``distributions`` (what a
release is made of), and one publisher per kind of registry: ``publishing``
(twine to a Python index, without leaking credentials), ``npm_registry``
(``npm publish`` with a scoped ``.npmrc``), ``maven_repository`` (``mvn
deploy``) and ``go_proxy`` (a Go module proxy's folder).
"""

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

from .distributions import BuildError, build_release
from .go_proxy import publish_go
from .maven_repository import STAGED_PROJECT, deploy_maven
from .npm_registry import publish_npm
from .publishing import PublishError, publish
from .versions import REPO_ROOT, VersionError, check_agreement, read_version, stamp


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(args: argparse.Namespace) -> int:
    for path in stamp(args.version, REPO_ROOT):
        print(f"stamped {args.version} into {path.relative_to(REPO_ROOT)}")
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
    except (VersionError, BuildError, PublishError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
