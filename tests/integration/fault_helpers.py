"""Helpers of the fault-injection and control-plane tests (issue 3), on top of harness.py.

- ControlPlane: the JSON control plane under /_qapps/ through http.client, one connection per
  call, each answer checked to be JSON with the headers every answer carries.
- retrying_client(): a boto3 client with botocore's standard retry mode, as users have it.
- signed_operation_headers() / call_operation(): one raw GetQAppSessionMetadata call on a
  connection of its own, for tests that run many at once from threads.
- run_at_once(): runs functions in threads released together by a barrier.
- write_json(): a JSON file in a temporary folder, for --fixtures and --faults.

Python standard library plus boto3/botocore only.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence
from urllib.parse import quote

import harness
from harness import ERROR_STATUS, OPERATION_PATH, UUID_RE, HttpAnswer, signed_headers
from botocore.config import Config  # harness has already cleaned the environment

JOURNAL_TIME_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


@dataclass
class ControlAnswer:
    status: int
    headers: http.client.HTTPMessage
    body: object  # the parsed JSON

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)


class ControlPlane:
    """The control plane of the server on `port`; every answer must be JSON with a request id."""

    def __init__(self, port: int, test=None):
        self.port = port
        self.test = test  # a unittest.TestCase, for failure messages; optional

    def request(self, method: str, path: str, body=None) -> ControlAnswer:
        if body is None:
            payload = None
        elif isinstance(body, (bytes, str)):
            payload = body.encode("utf-8") if isinstance(body, str) else body
        else:
            payload = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        answer = harness.http_request(self.port, method, path, headers=headers, body=payload)
        where = f"{method} {path} -> {answer.status} {answer.body!r}"
        if answer.header("Content-Type") != "application/json":
            raise AssertionError(f"not a JSON answer: {where}")
        if not UUID_RE.match(answer.header("x-amzn-RequestId") or ""):
            raise AssertionError(f"no x-amzn-RequestId: {where}")
        try:
            parsed = answer.json()
        except ValueError as error:
            raise AssertionError(f"body is not JSON ({error}): {where}") from None
        return ControlAnswer(answer.status, answer.headers, parsed)

    def ok(self, method: str, path: str, body=None, status: int = 200):
        """The parsed body of a call that must answer `status`."""
        answer = self.request(method, path, body)
        if answer.status != status:
            raise AssertionError(f"{method} {path}: expected {status}, got {answer.status} "
                                 f"{answer.body!r}")
        return answer.body

    # The calls of the SPEC 5 table.
    def health(self) -> dict:
        return self.ok("GET", "/_qapps/health")

    def sessions(self, instance_id: Optional[str] = None) -> list:
        path = "/_qapps/sessions"
        if instance_id is not None:
            path += "?instanceId=" + quote(instance_id, safe="")
        return self.ok("GET", path)["sessions"]

    def load_fixtures(self, document) -> dict:
        return self.ok("POST", "/_qapps/fixtures", document)

    def add_fault(self, rule) -> int:
        return self.ok("POST", "/_qapps/faults", rule, status=201)["id"]

    def faults(self) -> list:
        return self.ok("GET", "/_qapps/faults")["faults"]

    def remove_fault(self, rule_id) -> dict:
        return self.ok("DELETE", f"/_qapps/faults/{rule_id}")

    def clear_faults(self) -> dict:
        return self.ok("DELETE", "/_qapps/faults")

    def requests(self) -> list:
        return self.ok("GET", "/_qapps/requests")["requests"]

    def clear_requests(self) -> dict:
        return self.ok("DELETE", "/_qapps/requests")

    def reset(self) -> dict:
        return self.ok("POST", "/_qapps/reset")

    def observable_state(self) -> dict:
        """Everything the control plane shows (reading it changes nothing)."""
        return {"health": self.health(), "sessions": self.sessions(), "faults": self.faults(),
                "requests": self.requests()}


# --- boto3 ------------------------------------------------------------------------------------


def retrying_client(endpoint_url: str, access_key: str = "AKIAALICE", max_retries: int = 3):
    """A qapps client with botocore's standard retry mode, which retries ThrottlingException
    (botocore's max_attempts counts the retries after the first attempt)."""
    return harness.boto3.session.Session().client(
        "qapps", endpoint_url=endpoint_url, region_name="us-east-1",
        aws_access_key_id=access_key, aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": max_retries},
                      connect_timeout=5, read_timeout=15))


def record_attempts(client) -> list:
    """A list that fills with (status, headers with lower-case names) of every HTTP response the
    client receives for GetQAppSessionMetadata, retried attempts included."""
    attempts: list = []

    def received(response_dict=None, **_):
        if response_dict is not None:
            headers = {name.lower(): value for name, value in response_dict["headers"].items()}
            attempts.append((response_dict["status_code"], headers))

    client.meta.events.register("response-received.qapps.GetQAppSessionMetadata", received)
    return attempts


def error_call(test, client, code: str, **params) -> dict:
    """Calls GetQAppSessionMetadata expecting client.exceptions.<code>; its error response."""
    exception_class = getattr(client.exceptions, code)
    with test.assertRaises(exception_class) as caught:
        client.get_q_app_session_metadata(**params)
    error = caught.exception.response
    test.assertEqual(error["Error"]["Code"], code)
    test.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], ERROR_STATUS[code])
    test.assertEqual(error["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype"), code)
    return error


# --- raw calls from many threads --------------------------------------------------------------


def operation_path(session_id: str) -> str:
    return f"{OPERATION_PATH}?sessionId={quote(session_id, safe='')}"


def signed_operation_headers(port: int, instance_id: str, session_id: str,
                             access_key: str = "AKIAALICE") -> dict:
    return signed_headers(f"http://127.0.0.1:{port}", "GET", operation_path(session_id),
                          access_key=access_key, headers={"instance-id": instance_id})


def call_operation(port: int, session_id: str, headers: dict, timeout: float = 30.0) -> HttpAnswer:
    """One GetQAppSessionMetadata call on a connection of its own."""
    return harness.http_request(port, "GET", operation_path(session_id), headers=headers,
                                timeout=timeout)


def run_at_once(functions: Sequence[Callable[[], object]], timeout: float = 60.0) -> list:
    """Runs every function in a thread of its own, all released at the same moment; returns
    their results in order (an exception raised by one is re-raised here)."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    errors: list = []

    def run(index: int, function) -> None:
        try:
            barrier.wait(timeout)
            results[index] = function()
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, f), daemon=True)
               for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"threads still running after {timeout} s")
    if errors:
        raise errors[0]
    return results


# --- files ------------------------------------------------------------------------------------


def write_json(test, name: str, document, folder: Optional[Path] = None) -> Path:
    """`document` (JSON-encoded unless it is a str) as `name` in `folder`, else in a temporary
    folder removed when the test ends."""
    if folder is None:
        holder = tempfile.TemporaryDirectory(prefix="qapps-faults-")
        test.addCleanup(holder.cleanup)
        folder = Path(holder.name)
    path = folder / name
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def temporary_folder(test_or_class) -> Path:
    """A temporary folder removed at the end of the test (or class, for a TestCase class)."""
    holder = tempfile.TemporaryDirectory(prefix="qapps-faults-")
    if isinstance(test_or_class, type):
        test_or_class.addClassCleanup(holder.cleanup)
    else:
        test_or_class.addCleanup(holder.cleanup)
    return Path(holder.name)


def server_exit(*flags: str, fixtures=harness.FIXTURES_DIR, timeout: float = 20.0):
    """Runs qapps-local with `flags` expecting it to refuse to start: (exit code, stdout lines,
    stderr lines)."""
    args = [str(harness.BINARY), "--port", "0"]
    if fixtures is not None:
        args += ["--fixtures", str(fixtures)]
    args += list(flags)
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                              env=harness.server_environment(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"qapps-local did not exit within {timeout} s: {' '.join(args)}") \
            from None
    return (done.returncode, done.stdout.decode("utf-8", "replace").splitlines(),
            done.stderr.decode("utf-8", "replace").splitlines())
