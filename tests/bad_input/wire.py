"""Raw HTTP/1.1 on a socket: send exact bytes to a real server and read what comes back.

``exchange`` sends bytes (optionally in timed pieces) and reads until the
server closes the connection or stays silent for ``idle`` seconds;
``parse_responses`` splits what was read into responses (Content-Length or
chunked framing), so pipelined answers can be counted.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class RawResponse:
    """One response read off the wire."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Exchange:
    """What one connection gave back."""

    raw: bytes
    closed: bool  # the server closed the connection (EOF or reset)
    responses: list[RawResponse] = field(default_factory=list)

    @property
    def statuses(self) -> list[int]:
        """The status of every complete response, in order."""
        return [r.status for r in self.responses]


def exchange(
    port: int,
    data: bytes | Sequence[bytes],
    *,
    idle: float = 1.5,
    limit: float = 10.0,
    pause: float = 0.0,
) -> Exchange:
    """Send ``data`` (pieces ``pause`` seconds apart) and read until close or ``idle`` silence."""
    pieces = [data] if isinstance(data, bytes) else list(data)
    with socket.create_connection(("127.0.0.1", port), timeout=limit) as sock:
        for index, piece in enumerate(pieces):
            if index and pause:
                time.sleep(pause)
            try:
                sock.sendall(piece)
            except OSError:
                break  # the server already answered and closed: read what it said
        raw, closed = _read(sock, idle, limit)
    return Exchange(raw, closed, parse_responses(raw))


def _read(sock: socket.socket, idle: float, limit: float) -> tuple[bytes, bool]:
    buffer = bytearray()
    deadline = time.monotonic() + limit
    sock.settimeout(idle)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return bytes(buffer), False
        except ConnectionResetError:
            return bytes(buffer), True
        if not chunk:
            return bytes(buffer), True
        buffer += chunk
    return bytes(buffer), False


def parse_responses(raw: bytes) -> list[RawResponse]:
    """Every complete response in ``raw``, in order (an incomplete tail is ignored)."""
    responses = []
    rest = raw
    while rest:
        head, sep, after = rest.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
        response = RawResponse(status, headers)  # type: ignore[arg-type]
        length = response.header("content-length")
        if status < 200 or status in (204, 304):
            body = b""
        elif response.header("transfer-encoding") == "chunked":
            body, after = _dechunk(after)
        elif length is not None:
            body, after = after[: int(length)], after[int(length) :]
        else:
            body, after = after, b""
        response.body = body
        responses.append(response)
        rest = after
    return responses


def _dechunk(data: bytes) -> tuple[bytes, bytes]:
    body = bytearray()
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            _, _, data = data.partition(b"\r\n")
            return bytes(body), data
        body += data[:size]
        data = data[size + 2 :]


def request(
    method: str = "GET",
    target: str = "/api/products/1/",
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    *,
    host: str = "127.0.0.1",
    version: str = "HTTP/1.1",
) -> bytes:
    """The bytes of one request; Host first unless ``host`` is empty."""
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append(f"Host: {host}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
