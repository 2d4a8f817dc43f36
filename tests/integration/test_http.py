"""HTTP behaviour below the SDKs: routing, 404/405, health, connections, limits, access log,
idle timeout and shutdown. Raw sockets and http.client only."""

import http.client
import re
import signal
import socket
import time
import unittest
import uuid

from harness import (OPERATION_PATH, UUID_RE, HttpAnswer, ServerProcess, ServerTestCase,
                     first_session,
                     http_request, lines_containing, project_version, read_http_response,
                     signed_headers)

SHARED = first_session(shared=True)
TIMEOUT = 10.0


def unique_path(prefix: str = "/no-such-path") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)


def raw_request(method: str, path: str, headers: dict = None, body: bytes = b"",
                version: str = "HTTP/1.1") -> bytes:
    lines = [f"{method} {path} {version}", "Host: 127.0.0.1"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def wait_for_eof(sock: socket.socket, timeout: float) -> float:
    """Seconds until the peer closed the connection (reads and drops any bytes before that)."""
    start = time.monotonic()
    sock.settimeout(timeout)
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return time.monotonic() - start
        if not data:
            return time.monotonic() - start


class JsonAnswers:
    def assert_json_answer(self, answer: HttpAnswer, status: int, error_type=None):
        """Every answer: the status, JSON content type, a request id, a non-empty JSON body."""
        self.assertEqual(answer.status, status, answer.body)
        self.assertEqual(answer.header("Content-Type"), "application/json")
        self.assertRegex(answer.header("x-amzn-RequestId") or "", UUID_RE)
        self.assertTrue(answer.body, "empty body")
        self.assertEqual(answer.header("Content-Length"), str(len(answer.body)))
        body = answer.json()
        self.assertIsInstance(body, dict)
        self.assertEqual(answer.header("x-amzn-ErrorType"), error_type)
        if error_type is not None:
            self.assertIsInstance(body.get("message"), str)
            self.assertTrue(body["message"])
        return body


class Routing(JsonAnswers, ServerTestCase):
    def test_unknown_path_is_unknown_operation(self):
        for method in ("GET", "POST", "DELETE"):
            with self.subTest(method=method):
                path = unique_path()
                answer = http_request(self.server.port, method, path + "?sessionId=x")
                body = self.assert_json_answer(answer, 404, "UnknownOperationException")
                self.assertEqual(body, {"message": f"No operation matches {method} {path}"})

    def test_unknown_control_plane_path_is_unknown_operation(self):
        answer = http_request(self.server.port, "GET", "/_qapps/no-such-call")
        self.assert_json_answer(answer, 404, "UnknownOperationException")

    def test_root_path_is_unknown_operation_not_html(self):
        answer = http_request(self.server.port, "GET", "/")
        self.assert_json_answer(answer, 404, "UnknownOperationException")

    def test_other_methods_on_the_operation_path_are_405_with_allow(self):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                answer = http_request(self.server.port, method,
                                      f"{OPERATION_PATH}?sessionId={SHARED.session_id}",
                                      {"instance-id": "demo-instance"}, body=b"{}")
                body = self.assert_json_answer(answer, 405, "MethodNotAllowedException")
                self.assertEqual(answer.header("Allow"), "GET")
                self.assertEqual(body, {"message": f"Method {method} is not allowed here; use GET"})

    def test_health(self):
        answer = http_request(self.server.port, "GET", "/_qapps/health")
        body = self.assert_json_answer(answer, 200)
        expected = {"status": "ok", "version": project_version(), "instances": 2, "sessions": 10}
        self.assertEqual({key: body.get(key) for key in expected}, expected)
        # Further counts may come along; those the demo fixture fixes must be right.
        optional = {"users": 5, "faults": 0}
        self.assertEqual({key: body[key] for key in optional if key in body},
                         {key: value for key, value in optional.items() if key in body})
        for key, value in body.items():
            if key not in ("status", "version"):
                self.assertIsInstance(value, int, key)
                self.assertGreaterEqual(value, 0, key)

    def test_health_refuses_other_methods(self):
        answer = http_request(self.server.port, "POST", "/_qapps/health", body=b"")
        self.assert_json_answer(answer, 405, "MethodNotAllowedException")
        self.assertEqual(answer.header("Allow"), "GET")

    def test_signed_operation_over_raw_http(self):
        path = f"{OPERATION_PATH}?sessionId={SHARED.session_id}"
        headers = signed_headers(self.server.endpoint, "GET", path,
                                 headers={"instance-id": "demo-instance"})
        answer = http_request(self.server.port, "GET", path, headers)
        body = self.assert_json_answer(answer, 200)
        self.assertEqual(body, SHARED.expected_metadata(True))

    def test_percent_encoded_session_id_is_decoded(self):
        encoded = SHARED.session_id.replace("-", "%2D")
        path = f"{OPERATION_PATH}?sessionId={encoded}"
        headers = signed_headers(self.server.endpoint, "GET", path,
                                 headers={"instance-id": "demo-instance"})
        answer = http_request(self.server.port, "GET", path, headers)
        self.assertEqual(self.assert_json_answer(answer, 200), SHARED.expected_metadata(True))


class Connections(JsonAnswers, ServerTestCase):
    def test_keep_alive_reuses_the_connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT)
        try:
            connection.request("GET", "/_qapps/health")
            first = connection.getresponse()
            first_body = first.read()
            self.assertEqual(first.status, 200)
            self.assertNotEqual((first.getheader("Connection") or "").lower(), "close")
            sock = connection.sock
            self.assertIsNotNone(sock, "the client closed the connection after the first answer")
            local = sock.getsockname()

            path = unique_path()
            connection.request("GET", path)
            second = connection.getresponse()
            second_body = second.read()
            self.assertIs(connection.sock, sock, "the second request needed a new connection")
            self.assertEqual(connection.sock.getsockname(), local)
            self.assertEqual(second.status, 404)
            self.assertIn(path.encode(), second_body)
            self.assertTrue(first_body)
            self.assertNotEqual(first.getheader("x-amzn-RequestId"),
                                second.getheader("x-amzn-RequestId"))
        finally:
            connection.close()

    def test_pipelined_requests_are_answered_in_order(self):
        first_path, second_path = unique_path("/first"), unique_path("/second")
        with connect(self.server.port) as sock:
            sock.sendall(raw_request("GET", "/_qapps/health") + raw_request("GET", first_path) +
                         raw_request("DELETE", second_path))
            reader = sock.makefile("rb")
            answers = [read_http_response(reader) for _ in range(3)]
        health = self.assert_json_answer(answers[0], 200)
        self.assertEqual(health["status"], "ok")
        first = self.assert_json_answer(answers[1], 404, "UnknownOperationException")
        self.assertEqual(first["message"], f"No operation matches GET {first_path}")
        second = self.assert_json_answer(answers[2], 404, "UnknownOperationException")
        self.assertEqual(second["message"], f"No operation matches DELETE {second_path}")
        self.assertEqual(len({a.header("x-amzn-RequestId") for a in answers}), 3)

    def test_http_1_0_connection_is_closed_after_the_answer(self):
        with connect(self.server.port) as sock:
            sock.sendall(raw_request("GET", "/_qapps/health", version="HTTP/1.0"))
            reader = sock.makefile("rb")
            answer = read_http_response(reader)
            self.assert_json_answer(answer, 200)
            self.assertEqual(reader.read(), b"", "the connection stayed open")

    def test_connection_close_is_honoured(self):
        with connect(self.server.port) as sock:
            sock.sendall(raw_request("GET", "/_qapps/health", {"Connection": "close"}))
            reader = sock.makefile("rb")
            answer = read_http_response(reader)
            self.assert_json_answer(answer, 200)
            self.assertEqual((answer.header("Connection") or "").lower(), "close")
            self.assertEqual(reader.read(), b"")

    def test_oversized_header_gets_431_and_the_server_goes_on(self):
        big = "a" * (64 * 1024)
        with connect(self.server.port) as sock:
            try:
                sock.sendall(raw_request("GET", "/_qapps/health", {"X-Big": big}))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and stop reading before all of it is sent
            answer = read_http_response(sock.makefile("rb"))
        body = self.assert_json_answer(answer, 431, "RequestHeaderFieldsTooLargeException")
        self.assertEqual(set(body), {"message"})
        # A new connection is served as usual.
        self.assert_json_answer(http_request(self.server.port, "GET", "/_qapps/health"), 200)

    def test_oversized_body_gets_413(self):
        with connect(self.server.port) as sock:
            sock.sendall(f"POST /_qapps/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Type: application/json\r\n"
                         f"Content-Length: {64 * 1024 * 1024}\r\n\r\n{{".encode())
            answer = read_http_response(sock.makefile("rb"))
        self.assert_json_answer(answer, 413, "RequestEntityTooLargeException")
        self.assert_json_answer(http_request(self.server.port, "GET", "/_qapps/health"), 200)

    def test_malformed_request_gets_a_json_400(self):
        with connect(self.server.port) as sock:
            sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            answer = read_http_response(sock.makefile("rb"))
        self.assert_json_answer(answer, 400, "BadRequestException")
        self.assert_json_answer(http_request(self.server.port, "GET", "/_qapps/health"), 200)


class AccessLog(JsonAnswers, ServerTestCase):
    # A line looks like: <time> GET /path?query 404 UnknownOperationException 0.12ms req=<id>
    LINE = re.compile(r"^\S+ (?P<method>\S+) (?P<target>\S+) (?P<status>\d{3}) (?P<error>\S+) "
                      r".*req=(?P<request_id>\S+)")

    def log_lines_for(self, text: str, count: int = 1):
        """Waits until `count` stdout lines contain text; returns them all (parsed)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            found = lines_containing(self.server.stdout_lines(), text)
            if len(found) >= count:
                break
            time.sleep(0.05)
        time.sleep(0.2)  # a duplicate line would have shown up by now
        found = lines_containing(self.server.stdout_lines(), text)
        parsed = []
        for line in found:
            match = self.LINE.match(line)
            self.assertIsNotNone(match, f"access-log line not in the expected form: {line!r}")
            parsed.append(match)
        return parsed

    def test_one_line_for_an_error_answer(self):
        path = unique_path()
        answer = http_request(self.server.port, "GET", path)
        self.assert_json_answer(answer, 404, "UnknownOperationException")
        lines = self.log_lines_for(path)
        self.assertEqual(len(lines), 1, [m.group(0) for m in lines])
        line = lines[0]
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["target"], path)
        self.assertEqual(line["status"], "404")
        self.assertEqual(line["error"], "UnknownOperationException")
        self.assertEqual(line["request_id"], answer.header("x-amzn-RequestId"))

    def test_one_line_for_a_successful_operation_call(self):
        marker = uuid.uuid4().hex
        path = f"{OPERATION_PATH}?sessionId={SHARED.session_id}&marker={marker}"
        headers = signed_headers(self.server.endpoint, "GET", path,
                                 headers={"instance-id": "demo-instance"})
        answer = http_request(self.server.port, "GET", path, headers)
        self.assert_json_answer(answer, 200)
        lines = self.log_lines_for(marker)
        self.assertEqual(len(lines), 1, [m.group(0) for m in lines])
        self.assertEqual(lines[0]["method"], "GET")
        self.assertEqual(lines[0]["target"], path)
        self.assertEqual(lines[0]["status"], "200")
        self.assertEqual(lines[0]["error"], "-")
        self.assertEqual(lines[0]["request_id"], answer.header("x-amzn-RequestId"))

    def test_one_line_per_pipelined_request(self):
        marker = uuid.uuid4().hex
        with connect(self.server.port) as sock:
            sock.sendall(raw_request("GET", f"/_qapps/health?m={marker}") +
                         raw_request("PUT", f"{OPERATION_PATH}?m={marker}", body=b"{}"))
            reader = sock.makefile("rb")
            answers = [read_http_response(reader) for _ in range(2)]
        lines = self.log_lines_for(marker, count=2)
        self.assertEqual([(m["method"], m["status"], m["error"]) for m in lines],
                         [("GET", "200", "-"), ("PUT", "405", "MethodNotAllowedException")])
        self.assertEqual([m["request_id"] for m in lines],
                         [a.header("x-amzn-RequestId") for a in answers])

    def test_rejected_requests_are_logged_too(self):
        cases = [
            (b"THIS IS NOT HTTP\r\n\r\n", "400", "BadRequestException"),
            (raw_request("GET", "/_qapps/health", {"X-Big": "a" * 65536}), "431",
             "RequestHeaderFieldsTooLargeException"),
        ]
        for request, status, error in cases:
            with self.subTest(error=error):
                with connect(self.server.port) as sock:
                    try:
                        sock.sendall(request)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    answer = read_http_response(sock.makefile("rb"))
                request_id = answer.header("x-amzn-RequestId")
                lines = self.log_lines_for(f"req={request_id}")
                self.assertEqual(len(lines), 1)
                self.assertEqual(lines[0]["status"], status)
                self.assertEqual(lines[0]["error"], error)


class IdleTimeout(JsonAnswers, ServerTestCase):
    server_flags = ("--idle-timeout", "1")

    def test_a_silent_connection_is_closed_after_the_idle_timeout(self):
        with connect(self.server.port) as sock:
            waited = wait_for_eof(sock, timeout=10)
        self.assertGreater(waited, 0.5)
        self.assertLess(waited, 5.0)

    def test_a_kept_alive_connection_is_closed_once_idle(self):
        with connect(self.server.port) as sock:
            sock.sendall(raw_request("GET", "/_qapps/health"))
            reader = sock.makefile("rb")
            self.assert_json_answer(read_http_response(reader), 200)
            start = time.monotonic()
            self.assertEqual(reader.read(), b"")
            waited = time.monotonic() - start
        self.assertGreater(waited, 0.5)
        self.assertLess(waited, 5.0)

    def test_the_server_still_answers_after_closing_idle_connections(self):
        with connect(self.server.port) as sock:
            wait_for_eof(sock, timeout=10)
        self.assert_json_answer(http_request(self.server.port, "GET", "/_qapps/health"), 200)


class Shutdown(JsonAnswers, unittest.TestCase):
    """Each test has its own server: each ends it."""

    start_server = ServerTestCase.start_server

    def test_sigterm_with_an_idle_connection_open_exits_0(self):
        server = self.start_server()
        with connect(server.port) as sock:
            sock.sendall(raw_request("GET", "/_qapps/health"))
            reader = sock.makefile("rb")
            self.assert_json_answer(read_http_response(reader), 200)
            server.send_signal(signal.SIGTERM)
            self.assertEqual(server.wait(10), 0, server.output())
            self.assertEqual(reader.read(), b"", "the connection was not closed")

    def test_sigterm_finishes_the_request_in_flight(self):
        server = self.start_server()
        with connect(server.port) as sock:
            request = raw_request("GET", "/_qapps/health")
            sock.sendall(request[:-2])  # all but the blank line that ends the header
            time.sleep(0.2)
            server.send_signal(signal.SIGTERM)
            server.wait_for_line(lambda line: "SIGTERM" in line, stream="stderr", timeout=3)
            time.sleep(0.2)
            sock.sendall(request[-2:])
            reader = sock.makefile("rb")
            answer = read_http_response(reader)
            self.assert_json_answer(answer, 200)
            self.assertEqual((answer.header("Connection") or "").lower(), "close")
            self.assertEqual(reader.read(), b"")
        self.assertEqual(server.wait(10), 0, server.output())

    def test_sigint_exits_0_too(self):
        server = self.start_server()
        self.assert_json_answer(http_request(server.port, "GET", "/_qapps/health"), 200)
        server.send_signal(signal.SIGINT)
        self.assertEqual(server.wait(10), 0, server.output())

    def test_sigterm_right_after_the_listening_line_exits_0(self):
        # The "listening" line tells supervisors and tests that the server is ready: from then
        # on SIGTERM must be the graceful stop, never the default action (death by signal 15).
        # The window is short, so the start is repeated to catch it.
        for attempt in range(25):
            server = ServerProcess().start()
            server.send_signal(signal.SIGTERM)
            code = server.wait(10)
            if code is None:
                server.kill()
            self.assertEqual(code, 0, f"attempt {attempt + 1}: exit code {code} "
                                      f"(-15: killed by SIGTERM)\n{server.output()}")

    def test_no_new_connection_after_shutdown(self):
        server = self.start_server()
        port = server.port
        self.assert_json_answer(http_request(port, "GET", "/_qapps/health"), 200)
        server.send_signal(signal.SIGTERM)
        self.assertEqual(server.wait(10), 0, server.output())
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


if __name__ == "__main__":
    unittest.main()
