"""``python -m tools.release``: the steps of ``make version``, ``dist`` and ``publish``.

The make targets stay one line each and the logic lives in typed, tested
modules: ``versions`` (one version, many copies), ``distributions`` (what a
release is made of) and ``publishing`` (twine without leaking credentials).
"""

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

from .distributions import BuildError, build_release
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
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (VersionError, BuildError, PublishError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
