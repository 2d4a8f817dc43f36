"""Shared by the integration tests: start and stop the real qapps-local binary, talk to it.

- ServerProcess: runs the binary given by $QAPPS_LOCAL_BINARY on a free port (--port 0), waits
  for its "listening" line, keeps draining stdout and stderr (lines kept: tests read the access
  log) and stops it with SIGTERM, expecting exit code 0.
- ServerTestCase: one server per test class (setUpClass), plus start_server() for tests that need
  a server with their own flags.
- qapps_client(): a boto3 client for the server, one attempt per call (no retries).
- http_request() / read_http_response() / signed_headers(): raw HTTP, for what boto3 hides.
- The demo fixture (fixtures/demo.json) and the answers expected for it.

Python standard library plus boto3/botocore only.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import unittest
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("QAPPS_LOCAL_BINARY") or REPO_ROOT / "build" / "server" / "qapps-local")
FIXTURES_DIR = Path(os.environ.get("QAPPS_FIXTURES_DIR") or REPO_ROOT / "fixtures")
DEMO_FIXTURE = FIXTURES_DIR / "demo.json"

STARTUP_TIMEOUT = 20.0  # seconds to wait for the "listening" line
STOP_TIMEOUT = 10.0  # seconds to wait for exit after SIGTERM

OPERATION_PATH = "/runtime.getQAppSessionMetadata"
LISTENING = re.compile(r"qapps-local listening on http://127\.0\.0\.1:(\d+)\s*$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SESSION_ID_PATTERN = (
    r"[\da-f]{8}-[\da-f]{4}-[45][\da-f]{3}-[89ABab][\da-f]{3}-[\da-f]{12}"
)

INJECT_HEADER = "x-qapps-inject-error"
ERROR_STATUS = {  # the seven errors of GetQAppSessionMetadata and their status (the model's)
    "ValidationException": 400,
    "UnauthorizedException": 401,
    "ServiceQuotaExceededException": 402,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}
# The quota codes qapps-local reports (server/api_error.hpp).
THROTTLING_QUOTA_CODE = "L-QAPPS-REQUESTS-PER-SECOND"
SESSION_QUOTA_CODE = "L-QAPPS-SESSIONS"


def _isolate_from_the_machine() -> None:
    """Keep this machine's AWS configuration and proxies out of the tests' clients."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


_isolate_from_the_machine()

import boto3  # noqa: E402  (after the environment is cleaned)
from botocore import UNSIGNED  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402


def server_environment() -> dict:
    """The environment for a qapps-local process: ours without any QAPPS_* setting, since every
    flag can also come from a QAPPS_LOCAL_* variable and the tests pass flags explicitly."""
    return {k: v for k, v in os.environ.items() if not k.startswith("QAPPS_")}


# --- the server process ---------------------------------------------------------------------


class ServerProcess:
    """One qapps-local process. Use start(), then stop() (or stop_expecting_success())."""

    def __init__(self, *flags: str, fixtures: Optional[os.PathLike | str] = FIXTURES_DIR,
                 host: str = "127.0.0.1", port: str = "0", env: Optional[dict] = None):
        self.env = {**server_environment(), **(env or {})}
        self.args = [str(BINARY), "--port", port, "--host", host]
        if fixtures is not None:
            self.args += ["--fixtures", str(fixtures)]
        self.args += list(flags)
        self.process: Optional[subprocess.Popen] = None
        self.port: Optional[int] = None
        self._lines: list[tuple[str, str]] = []  # (stream name, line without newline)
        self._changed = threading.Condition()
        self._readers: list[threading.Thread] = []
        self._streams_open = 0
        self._stop_checked = False

    # -- output --

    def _drain(self, stream, name: str) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self._changed:
                self._lines.append((name, line))
                self._changed.notify_all()
        stream.close()
        with self._changed:
            self._streams_open -= 1
            self._changed.notify_all()

    def lines(self, stream: Optional[str] = None) -> list[str]:
        with self._changed:
            return [line for name, line in self._lines if stream is None or name == stream]

    def stdout_lines(self) -> list[str]:
        return self.lines("stdout")

    def stderr_lines(self) -> list[str]:
        return self.lines("stderr")

    def output(self) -> str:
        with self._changed:
            return "\n".join(f"[{name}] {line}" for name, line in self._lines) or "(no output)"

    def wait_for_line(self, predicate: Callable[[str], bool], stream: str = "stdout",
                      timeout: float = 5.0) -> Optional[str]:
        """The first line of `stream` that satisfies predicate, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, line in self._lines:
                    if name == stream and predicate(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or (self._streams_open == 0 and self.process.poll() is not None):
                    return None
                self._changed.wait(min(left, 0.2))

    # -- life cycle --

    def start(self) -> "ServerProcess":
        if not BINARY.is_file():
            raise AssertionError(f"qapps-local binary not found at {BINARY} "
                                 "(set QAPPS_LOCAL_BINARY or build it first)")
        self.process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=self.env)
        self._streams_open = 2
        for stream, name in ((self.process.stdout, "stdout"), (self.process.stderr, "stderr")):
            reader = threading.Thread(target=self._drain, args=(stream, name), daemon=True)
            reader.start()
            self._readers.append(reader)

        line = self.wait_for_line(lambda text: LISTENING.search(text) is not None,
                                  timeout=STARTUP_TIMEOUT)
        if line is None:
            exited = self.process.poll()
            self.kill()
            raise AssertionError(
                f"qapps-local did not print 'qapps-local listening on http://127.0.0.1:<port>' "
                f"within {STARTUP_TIMEOUT:.0f} s "
                f"({'it exited with code ' + str(exited) if exited is not None else 'still running'})"
                f"\ncommand: {' '.join(self.args)}\noutput:\n{self.output()}")
        self.port = int(LISTENING.search(line).group(1))
        return self

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def send_signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def wait(self, timeout: float) -> Optional[int]:
        """The exit code, or None if the process is still running after timeout seconds."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def stop(self, timeout: float = STOP_TIMEOUT) -> Optional[int]:
        """SIGTERM, then the exit code; None (and the process killed) if it did not exit in time."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.wait(timeout)
        if code is None:
            self.kill()
        return code

    def stop_expecting_success(self) -> None:
        """Stops the server; fails unless it exits 0. Checks once: later calls do nothing."""
        if self._stop_checked:
            return
        self._stop_checked = True
        code = self.stop()
        if code != 0:
            raise AssertionError(
                f"qapps-local did not exit with code 0 within {STOP_TIMEOUT:.0f} s of SIGTERM "
                f"(got {'no exit: killed' if code is None else code})\noutput:\n{self.output()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)


class ServerTestCase(unittest.TestCase):
    """One server for the whole class, started with `server_flags`, stopped with SIGTERM."""

    server_flags: tuple = ()
    server: ServerProcess

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = ServerProcess(*cls.server_flags).start()

    @classmethod
    def tearDownClass(cls) -> None:
        server = cls.__dict__.get("server")
        if server is not None:
            del cls.server
            server.stop_expecting_success()
        super().tearDownClass()

    def start_server(self, *flags: str, **kwargs) -> ServerProcess:
        """A server of this test's own, stopped (and checked to exit 0) when the test ends."""
        server = ServerProcess(*flags, **kwargs).start()
        self.addCleanup(server.stop_expecting_success)
        return server

    def client(self, access_key: str = "AKIAALICE", **kwargs):
        return qapps_client(self.server.endpoint, access_key, **kwargs)


# --- boto3 ------------------------------------------------------------------------------------


def qapps_client(endpoint_url: str, access_key: str = "AKIAALICE", region: str = "us-east-1",
                 unsigned: bool = False, secret_key: str = "x"):
    """A boto3 qapps client that makes exactly one attempt per call."""
    options = {"retries": {"total_max_attempts": 1}, "connect_timeout": 5, "read_timeout": 15}
    if unsigned:
        options["signature_version"] = UNSIGNED
    return boto3.session.Session().client(
        "qapps", endpoint_url=endpoint_url, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=Config(**options))


def add_header_before_sign(client, name: str, value: str) -> None:
    """Every GetQAppSessionMetadata call of `client` carries the header name: value."""
    def add(request, **_):
        request.headers[name] = value
    client.meta.events.register("before-sign.qapps.GetQAppSessionMetadata", add)


def strip_authorization_before_send(client) -> None:
    """Every request of `client` goes out without its Authorization header."""
    def strip(request, **_):
        for header in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token"):
            if header in request.headers:
                del request.headers[header]
    client.meta.events.register("before-send.qapps", strip)


# --- raw HTTP ---------------------------------------------------------------------------------


@dataclass
class HttpAnswer:
    status: int
    reason: str
    headers: http.client.HTTPMessage  # case-insensitive get(); get_all() for repeated fields
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)


def signed_headers(endpoint: str, method: str, path: str, access_key: str = "AKIAALICE",
                   secret_key: str = "x", region: str = "us-east-1",
                   headers: Optional[dict] = None) -> dict:
    """The headers of a real SigV4-signed request (as botocore signs), for raw HTTP tests."""
    request = AWSRequest(method=method, url=endpoint + path, headers=dict(headers or {}))
    SigV4Auth(Credentials(access_key, secret_key), "qapps", region).add_auth(request)
    signed = dict(request.headers.items())
    signed["Host"] = urlsplit(endpoint).netloc
    return signed


def http_request(port: int, method: str, path: str, headers: Optional[dict] = None,
                 body: Optional[bytes] = None, timeout: float = 10.0) -> HttpAnswer:
    """One request on a fresh connection, closed afterwards."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return HttpAnswer(response.status, response.reason, response.headers, response.read())
    finally:
        connection.close()


def read_http_response(reader) -> HttpAnswer:
    """Reads one response (Content-Length framed) from a binary file made by socket.makefile."""
    status_line = reader.readline(65537)
    if not status_line:
        raise ConnectionError("the server closed the connection before answering")
    parts = status_line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise AssertionError(f"not an HTTP status line: {status_line!r}")
    headers = http.client.parse_headers(reader)
    length = headers.get("Content-Length")
    if length is None:
        raise AssertionError(f"response without Content-Length: {status_line!r} {headers.items()}")
    body = reader.read(int(length))
    return HttpAnswer(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, body)


# --- the demo fixture and what the server must answer for it ---------------------------------


def load_demo() -> dict:
    with open(DEMO_FIXTURE, encoding="utf-8") as file:
        return json.load(file)


@dataclass
class DemoSession:
    instance: dict
    session: dict

    @property
    def instance_id(self) -> str:
        return self.instance["instanceId"]

    @property
    def session_id(self) -> str:
        return self.session["sessionId"]

    @property
    def region(self) -> str:
        return self.instance.get("region", "us-east-1")

    @property
    def shared(self) -> bool:
        return bool(self.session["sharingConfiguration"]["enabled"])

    def owner_user_id(self) -> str:
        """The user the session's `owner` names: a user id, or a user's access key id."""
        owner = self.session["owner"]
        users = self.instance.get("users", [])
        for user in users:
            if user["userId"] == owner:
                return owner
        for user in users:
            if user["accessKeyId"] == owner:
                return user["userId"]
        raise AssertionError(f"owner {owner!r} of {self.session_id} is no user of the fixture")

    def owner_key(self) -> str:
        owner_id = self.owner_user_id()
        return next(u["accessKeyId"] for u in self.instance["users"] if u["userId"] == owner_id)

    def non_owner_key(self, document: dict) -> str:
        """An access key whose user is not the owner (a key from the fixture)."""
        owner_id = self.owner_user_id()
        for key in ("AKIABOB", "AKIAALICE", "AKIACAROL", "test"):
            if user_id_for_key(document, key) != owner_id:
                return key
        raise AssertionError("no non-owner key")

    def expected_metadata(self, caller_is_owner: bool) -> dict:
        """The whole response body GetQAppSessionMetadata must give (SPEC section 1)."""
        sharing_fixture = self.session["sharingConfiguration"]
        sharing = {"enabled": sharing_fixture["enabled"]}
        for member in ("acceptResponses", "revealCards"):
            if member in sharing_fixture:
                sharing[member] = sharing_fixture[member]
        expected = {
            "sessionId": self.session_id,
            "sessionArn": self.session.get("sessionArn") or (
                f"arn:aws:qapps:{self.region}:{self.instance.get('accountId', '123456789012')}:"
                f"application/{self.instance_id}/qapp-session/{self.session_id}"),
            "sharingConfiguration": sharing,
            "sessionOwner": caller_is_owner,
        }
        if "sessionName" in self.session:
            expected["sessionName"] = self.session["sessionName"]
        return expected


def user_id_for_key(document: dict, access_key: str) -> str:
    """The caller's user id (SPEC section 2): the fixture user holding the key, else the key."""
    for instance in document["instances"]:
        for user in instance.get("users", []):
            if user["accessKeyId"] == access_key:
                return user["userId"]
    return access_key


def demo_sessions(document: Optional[dict] = None) -> Iterator[DemoSession]:
    document = document or load_demo()
    for instance in document["instances"]:
        for session in instance.get("sessions", []):
            yield DemoSession(instance, session)


def demo_session(session_id: str) -> DemoSession:
    return next(s for s in demo_sessions() if s.session_id == session_id)


def first_session(shared: bool, instance_id: str = "demo-instance") -> DemoSession:
    return next(s for s in demo_sessions()
                if s.shared == shared and s.instance_id == instance_id)


def unknown_session_id() -> str:
    """A valid session id that no fixture has."""
    known = {s.session_id for s in demo_sessions()}
    while True:
        candidate = str(uuid.uuid4())
        if candidate not in known:
            return candidate


def without_metadata(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def lines_containing(lines: Iterable[str], text: str) -> list[str]:
    return [line for line in lines if text in line]


def project_version() -> str:
    """The version in the top CMakeLists.txt's project() call."""
    text = (REPO_ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*qapps-local\s+VERSION\s+([0-9][0-9.]*)", text)
    if match is None:
        raise AssertionError("no project(qapps-local VERSION ...) in CMakeLists.txt")
    return match.group(1)
