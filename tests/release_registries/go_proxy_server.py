"""A Go module proxy on loopback: the folder ``make publish-go`` wrote, served over HTTP.

The GOPROXY protocol is plain GETs of static files (``<module>/@v/list``,
``.info``, ``.mod``, ``.zip``), so a static file server over the folder is
a complete proxy, as a team's web server or bucket in front of the same
folder would be. Every request is logged with its status, which is how a
test proves the go command fetched the module from here.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class GoProxy:
    """A running proxy: its URL and each request as ``(path, status)``."""

    url: str
    directory: Path
    requests: list[tuple[str, int]] = field(default_factory=list)


@contextmanager
def serve_proxy(directory: Path) -> Iterator[GoProxy]:
    """Serve ``directory`` on 127.0.0.1 at a free port until the block ends."""
    proxy = GoProxy(url="", directory=directory)
    lock = threading.Lock()

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            with lock:
                proxy.requests.append((self.path, int(code)))

        def log_message(self, format: str, *args: Any) -> None:
            """Requests are kept in ``proxy.requests``; nothing goes to stderr."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(directory)))
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="go-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
