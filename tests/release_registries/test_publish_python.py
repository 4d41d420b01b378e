"""``make publish-python`` against a real pypiserver: refusals, success, no overwrite, no leaked secret."""

import base64
import hashlib
import os
import shutil
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tools.release.distributions import Release, build_python_project
from tools.release.versions import REPO_ROOT

from .conftest import SLOW, Published, Publisher, run_make
from .package_index import PackageIndex, serve_index

pytestmark = SLOW


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _python_dists(release: Release) -> dict[str, str]:
    return {path.name: _sha256(path) for path in release.python}


def _no_credentials() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("TWINE_")}


@pytest.fixture
def empty_index(tmp_path: Path, publisher: Publisher) -> Iterator[PackageIndex]:
    """An index of its own for one test, holding nothing yet."""
    with serve_index(
        tmp_path / "packages", {publisher.username: publisher.password}, tmp_path / "state"
    ) as index:
        yield index


def _raw_upload(index: PackageIndex, wheel: Path) -> int:
    """POST a wheel the way twine does, with no Authorization header; return the HTTP status."""
    boundary = uuid.uuid4().hex
    name, version = wheel.name.split("-")[:2]
    parts = []
    for field, value in ((":action", "file_upload"), ("name", name), ("version", version)):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="{wheel.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + wheel.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        index.url + "/",
        data=b"".join(parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_upload_without_credentials_is_refused_by_the_server_and_by_make_publish(
    release: Release, empty_index: PackageIndex
) -> None:
    wheel = next(path for path in release.python if path.suffix == ".whl")

    assert _raw_upload(empty_index, wheel) in (401, 403)
    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": empty_index.url + "/", "DIST_DIR": str(release.plugin.parent)},
        _no_credentials(),
    )

    assert result.returncode != 0
    assert empty_index.files() == {}


def test_upload_with_a_wrong_password_is_refused_and_the_password_is_not_printed(
    release: Release, empty_index: PackageIndex, publisher: Publisher
) -> None:
    wrong = Publisher(publisher.username, "not-" + publisher.password)

    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": empty_index.url + "/", "DIST_DIR": str(release.plugin.parent)},
        wrong.environment(),
    )

    assert result.returncode != 0
    assert "403" in result.stdout + result.stderr
    assert wrong.password not in result.stdout + result.stderr
    assert empty_index.files() == {}


def test_upload_with_credentials_succeeds_and_never_prints_them(
    release: Release, published: Published, publisher: Publisher, index: PackageIndex
) -> None:
    output = published.result.stdout + published.result.stderr

    assert published.result.returncode == 0, output
    assert publisher.password not in output
    assert {name: published.files[name] for name in _python_dists(release)} == _python_dists(release)
    simple = urllib.request.urlopen(index.simple_url + "pulumi-envstack/", timeout=30).read().decode()
    (wheel,) = [p for p in release.python if p.name.startswith("pulumi_envstack-") and p.suffix == ".whl"]
    assert f"{wheel.name}#sha256={_sha256(wheel)}" in simple
    assert not [
        name for name in published.files if name.startswith("pulumi-resource-") or name.endswith(".tgz")
    ]


def test_credentials_from_pypirc_are_used_for_a_matching_repository_url(
    release: Release, empty_index: PackageIndex, publisher: Publisher, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".pypirc").write_text(
        "[distutils]\nindex-servers = internal\n\n"
        f"[internal]\nrepository = {empty_index.url}\n"
        f"username = {publisher.username}\npassword = {publisher.password}\n"
    )

    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": empty_index.url + "/", "DIST_DIR": str(release.plugin.parent)},
        {**_no_credentials(), "HOME": str(home)},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert publisher.password not in result.stdout + result.stderr
    assert empty_index.files() == _python_dists(release)


def test_a_repository_url_with_credentials_in_it_is_refused_without_echoing_it(
    release: Release, empty_index: PackageIndex, publisher: Publisher
) -> None:
    url = empty_index.url.replace("http://", f"http://{publisher.username}:{publisher.password}@") + "/"

    result = run_make(
        "publish-python", {"REPOSITORY_URL": url, "DIST_DIR": str(release.plugin.parent)}, _no_credentials()
    )

    assert result.returncode != 0
    assert "must not carry credentials" in result.stderr
    assert publisher.password not in result.stdout + result.stderr
    assert empty_index.files() == {}


def test_the_same_version_again_is_refused_and_the_first_upload_stays(
    release: Release, published: Published, publisher: Publisher, index: PackageIndex, tmp_path: Path
) -> None:
    assert published.result.returncode == 0
    # A rebuild of the same version with different content: same file names, other bytes.
    project = tmp_path / "provider"
    shutil.copytree(
        REPO_ROOT / "provider", project, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    (project / "README.md").write_text((project / "README.md").read_text() + "\nRebuilt.\n")
    shutil.copyfile(REPO_ROOT / "LICENSE", tmp_path / "LICENSE")
    rebuilt_dir = tmp_path / "dist"
    rebuilt_dir.mkdir()
    rebuilt = build_python_project(project, rebuilt_dir, tmp_path / "stage", root=tmp_path)
    first = {path.name: published.files[path.name] for path in rebuilt}
    assert all(_sha256(path) != first[path.name] for path in rebuilt)

    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": index.url + "/", "DIST_DIR": str(rebuilt_dir)},
        publisher.environment(),
    )

    assert result.returncode != 0
    assert "already exists" in index.log()
    assert {name: index.files()[name] for name in first} == first


class _EchoingIndex(BaseHTTPRequestHandler):
    """A careless index that repeats the uploader's password in its refusal."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _, _, encoded = self.headers.get("Authorization", "").partition(" ")
        password = base64.b64decode(encoded).decode().partition(":")[2]
        self.send_response(403, f"wrong password {password}")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_a_password_echoed_by_the_server_is_masked_in_the_output(
    release: Release, publisher: Publisher
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingIndex)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = run_make(
            "publish-python",
            {"REPOSITORY_URL": url, "DIST_DIR": str(release.plugin.parent)},
            publisher.environment(),
        )
    finally:
        server.shutdown()
        server.server_close()

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "wrong password ********" in output
    assert publisher.password not in output


def test_a_dist_of_another_version_is_refused_before_anything_is_uploaded(
    release: Release, empty_index: PackageIndex, publisher: Publisher, tmp_path: Path
) -> None:
    stale = tmp_path / "dist"
    stale.mkdir()
    for path in release.python:
        shutil.copyfile(path, stale / path.name)
    wheel = next(path for path in release.python if path.suffix == ".whl")
    shutil.copyfile(wheel, stale / wheel.name.replace(f"-{release.version}-", "-0.0.1-"))

    result = run_make(
        "publish-python",
        {"REPOSITORY_URL": empty_index.url + "/", "DIST_DIR": str(stale)},
        publisher.environment(),
    )

    assert result.returncode != 0
    assert "holds files of another version" in result.stderr
    assert empty_index.files() == {}
