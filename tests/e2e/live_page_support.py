"""Helpers for the tests of the live page of `netchaos up` (Sources/Observability/LivePage.swift).

- `live_page_html()`: the page's HTML, taken from the Swift raw string literal.
- `render(url)` / `screenshot(url, path)`: Debian's chromium-headless-shell with a virtual time
  budget, so the page's one-second polling runs several times in well under a second of real time.
- `parse_page(html)`: a small DOM built with html.parser: elements by id, text, attributes and the
  rows of a table's tbody.
- `FixtureServer`: a threaded HTTP server on 127.0.0.1 serving the page at `/` and a dict as
  `/api/live`, which can change (or answer an error) after a number of requests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
LIVE_PAGE_SWIFT = ROOT / "Sources" / "Observability" / "LivePage.swift"
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser")


# ---- the page ---------------------------------------------------------------------------------

def live_page_html(path: Path = LIVE_PAGE_SWIFT) -> str:
    """The text of the raw string literal `#\"\"\" ... \"\"\"#` in LivePage.swift, with the literal's
    indentation (the closing delimiter's) removed from every line, as Swift does."""
    source = path.read_text(encoding="utf-8")
    opening = '#"""'
    closing = '"""#'
    start = source.find(opening)
    end = source.rfind(closing)
    if start < 0 or end < 0 or end <= start:
        raise AssertionError(f"no #\"\"\" ... \"\"\"# literal in {path}")
    if source.count(closing) != 1:
        raise AssertionError(f"{path} must contain exactly one closing \"\"\"# delimiter")
    body_start = source.index("\n", start) + 1
    line_start = source.rfind("\n", 0, end) + 1
    indent = source[line_start:end]
    if indent.strip():
        raise AssertionError("the closing delimiter must be on its own line")
    lines = source[body_start:line_start].split("\n")[:-1]  # the newline before the delimiter is not content
    out = []
    for number, line in enumerate(lines):
        if line.strip() == "":
            out.append("")
        elif line.startswith(indent):
            out.append(line[len(indent):])
        else:
            raise AssertionError(f"line {number + 1} of the literal is indented less than its closing delimiter")
    return "\n".join(out)


# ---- headless Chromium ------------------------------------------------------------------------

def chromium() -> str:
    """The headless Chromium binary (chromium-headless-shell, Debian's package), or an error saying so."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    fallback = "/usr/bin/chromium-headless-shell"
    if os.access(fallback, os.X_OK):
        return fallback
    raise RuntimeError(
        "chromium-headless-shell not found on PATH (install Debian's chromium-headless-shell package)"
    )


def _run_chromium(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="netchaos-chromium-") as profile:
        command = [
            chromium(), "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--mute-audio",
            f"--user-data-dir={profile}", *args,
        ]
        proc = subprocess.run(command, capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(
            f"chromium failed with exit status {proc.returncode}: {' '.join(command)}\n"
            + proc.stderr.decode("utf-8", "replace")[-4000:]
        )
    return proc


def render(url: str, budget_ms: int = 4000, timeout: float = 300) -> str:
    """The DOM of `url` (serialized) once `budget_ms` of virtual time have passed. The timeout only
    catches a hung browser: on a loaded machine a render has taken more than 90 s."""
    proc = _run_chromium([f"--virtual-time-budget={budget_ms}", "--dump-dom", url], timeout)
    return proc.stdout.decode("utf-8", "replace")


def screenshot(url: str, path: str | os.PathLike, width: int = 1400, height: int = 1800,
               budget_ms: int = 4000, timeout: float = 300) -> Path:
    """A PNG of `url` at width x height once `budget_ms` of virtual time have passed."""
    out = Path(path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _run_chromium([
        f"--virtual-time-budget={budget_ms}", f"--screenshot={out}", f"--window-size={width},{height}",
        "--hide-scrollbars", url,
    ], timeout)
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot at {out}")
    return out


# ---- a tiny DOM -------------------------------------------------------------------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}
_WS = re.compile(r"\s+")


class Node:
    """An element: tag, attributes (names lowercased), children (Nodes and strings), parent."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None" = None):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def raw_text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style"):
                parts.append(child.raw_text())
        return "".join(parts)

    @property
    def text(self) -> str:
        """The text content with runs of whitespace collapsed and trimmed."""
        return _WS.sub(" ", self.raw_text()).strip()

    def iter(self) -> Iterator["Node"]:
        """This element and all elements below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, predicate: Callable[["Node"], bool] | None = None,
                 **attrs: str | bool) -> list["Node"]:
        """Descendants (and self) with `tag`, whose attributes match `attrs` (`data_kind=...` means
        `data-kind`, `class_="x"` means having class x; a value of True means the attribute is present)
        and `predicate`."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if not all(node._matches(name, value) for name, value in wanted.items()):
                continue
            if predicate is not None and not predicate(node):
                continue
            found.append(node)
        return found

    def _matches(self, name: str, value: str | bool) -> bool:
        if name not in self.attrs:
            return False
        if value is True:
            return True
        if name == "class":  # class_="a b": every one of the classes
            return set(str(value).split()) <= self.classes
        return self.attrs[name] == value

    def find(self, tag: str | None = None, **attrs: str | bool) -> "Node | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs!r}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: (value if value is not None else "") for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {name: (value if value is not None else "") for name, value in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


class Page:
    """A parsed document with lookups by id."""

    def __init__(self, html: str):
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        self.html = html
        self.root = builder.root
        self.ids: dict[str, Node] = {}
        for node in self.root.iter():
            if node.id is not None:
                self.ids.setdefault(node.id, node)

    def by_id(self, element_id: str) -> Node:
        if element_id not in self.ids:
            raise AssertionError(f"no element with id={element_id!r} in the page")
        return self.ids[element_id]

    def has(self, element_id: str) -> bool:
        return element_id in self.ids

    def text(self, element_id: str) -> str:
        return self.by_id(element_id).text

    def attrs(self, element_id: str) -> dict[str, str]:
        return dict(self.by_id(element_id).attrs)

    def attr(self, element_id: str, name: str) -> str | None:
        return self.by_id(element_id).get(name)

    def row_nodes(self, table_id: str) -> list[Node]:
        """The <tr> elements of the table's tbody (all of them, hidden or not)."""
        table = self.by_id(table_id)
        body = table.find("tbody")
        if body is None:
            raise AssertionError(f"table id={table_id!r} has no tbody")
        return [child for child in body.children if isinstance(child, Node) and child.tag == "tr"]

    def rows(self, table_id: str) -> list[list[str]]:
        """The cell texts of each row of the table's tbody."""
        return [cells(row) for row in self.row_nodes(table_id)]

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        return self.root.find_all(tag, **attrs)

    @property
    def body(self) -> Node:
        body = self.root.find("body")
        if body is None:
            raise AssertionError("the page has no body")
        return body


def cells(row: Node) -> list[str]:
    return [child.text for child in row.children if isinstance(child, Node) and child.tag in ("td", "th")]


def cell_nodes(row: Node) -> list[Node]:
    return [child for child in row.children if isinstance(child, Node) and child.tag in ("td", "th")]


def parse_page(html: str) -> Page:
    return Page(html)


def render_page(url: str, budget_ms: int = 4000) -> Page:
    return Page(render(url, budget_ms))


# ---- a fixture server -------------------------------------------------------------------------

class FixtureServer:
    """Serves `html` (default: the live page) at `/` and `state` as JSON at `/api/live`.

    `set_state(state, status=200)` changes the answer now; `after(n, state=None, status=200)`
    changes it once `n` requests to /api/live have been answered (state None keeps the current
    one; status other than 200 answers that error with a small JSON body). `state` may also be a
    str or bytes sent as is. `api_requests` counts the requests to /api/live.

        with FixtureServer(STATE).after(2, status=500) as server:
            page = render_page(server.url)
    """

    def __init__(self, state: Any = None, html: str | None = None, host: str = "127.0.0.1"):
        self.html = html if html is not None else live_page_html()
        self._lock = threading.Lock()
        self._state: Any = state if state is not None else {}
        self._status = 200
        self._steps: list[tuple[int, Any, int]] = []
        self.api_requests = 0
        self.paths: list[str] = []
        fixture = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                fixture._handle(self)

            def log_message(self, format, *args):  # silence the per-request log
                pass

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def set_state(self, state: Any, status: int = 200) -> "FixtureServer":
        with self._lock:
            self._state = state
            self._status = status
        return self

    def fail(self, status: int = 500) -> "FixtureServer":
        with self._lock:
            self._status = status
        return self

    def after(self, requests: int, state: Any = None, status: int = 200) -> "FixtureServer":
        with self._lock:
            self._steps.append((requests, state, status))
            self._steps.sort(key=lambda step: step[0])
        return self

    def _next_api_answer(self) -> tuple[int, bytes]:
        with self._lock:
            while self._steps and self._steps[0][0] <= self.api_requests:
                _, state, status = self._steps.pop(0)
                if state is not None:
                    self._state = state
                self._status = status
            self.api_requests += 1
            if self._status != 200:
                return self._status, json.dumps({"error": "fixture failure"}).encode()
            state = self._state
        if isinstance(state, bytes):
            return 200, state
        if isinstance(state, str):
            return 200, state.encode("utf-8")
        return 200, json.dumps(state).encode("utf-8")

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        with self._lock:
            self.paths.append(request.path)
        if path == "/":
            status, body, kind = 200, self.html.encode("utf-8"), "text/html; charset=utf-8"
        elif path == "/api/live":
            status, body = self._next_api_answer()
            kind = "application/json"
        else:
            status, body, kind = 404, b'{"error":"not found"}', "application/json"
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(body)

    def start(self) -> "FixtureServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="live-fixture", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "FixtureServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
