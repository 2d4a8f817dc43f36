"""Starting qapps-local: flags, bad input refused with one line, --db persistence, fixture
folders loaded in name order."""

import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import (BINARY, DEMO_FIXTURE, ServerProcess, ServerTestCase, first_session,
                     project_version, qapps_client, server_environment, without_metadata)

RUN_TIMEOUT = 20


def run_binary(*args: str) -> subprocess.CompletedProcess:
    """Runs qapps-local to completion (for flags that make it exit at once)."""
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL,
                          env=server_environment())


def instance_document(session_name: str, session_id: str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3",
                      instance_id: str = "order-instance") -> dict:
    return {
        "instances": [{
            "instanceId": instance_id,
            "accountId": "111122223333",
            "region": "eu-west-1",
            "users": [{"userId": "dana", "accessKeyId": "AKIADANA", "secretAccessKey": "s"}],
            "sessions": [{
                "sessionId": session_id, "sessionName": session_name, "owner": "dana",
                "sharingConfiguration": {"enabled": False},
            }],
        }],
    }


class Refusals(unittest.TestCase):
    def assert_refused_with_one_line(self, result: subprocess.CompletedProcess) -> str:
        self.assertNotEqual(result.returncode, 0, "qapps-local should have refused to start")
        self.assertLess(result.returncode, 128, f"killed by a signal: {result.returncode}")
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got:\n{result.stderr}")
        self.assertTrue(lines[0].startswith("qapps-local:"), lines[0])
        self.assertNotIn("listening", result.stdout)
        return lines[0]

    def test_port_out_of_range(self):
        line = self.assert_refused_with_one_line(run_binary("--port", "99999"))
        self.assertIn("port", line.lower())
        self.assertIn("99999", line)

    def test_unknown_flag(self):
        line = self.assert_refused_with_one_line(run_binary("--bogus"))
        self.assertIn("--bogus", line)

    def test_flag_without_its_value(self):
        self.assert_refused_with_one_line(run_binary("--port"))

    def test_unknown_auth_mode(self):
        line = self.assert_refused_with_one_line(run_binary("--auth", "sometimes"))
        self.assertIn("sometimes", line)

    def test_missing_fixtures_path(self):
        missing = "/nonexistent/qapps-fixtures.json"
        line = self.assert_refused_with_one_line(
            run_binary("--port", "0", "--fixtures", missing))
        self.assertIn(missing, line)

    def test_bad_fixture_names_file_json_path_and_reason(self):
        with tempfile.TemporaryDirectory(prefix="qapps-bad-") as folder:
            bad = Path(folder) / "bad.json"
            document = instance_document("Bad one", session_id="not-a-session-id")
            bad.write_text(json.dumps(document), encoding="utf-8")
            line = self.assert_refused_with_one_line(
                run_binary("--port", "0", "--fixtures", str(bad)))
        self.assertIn(str(bad), line)
        self.assertIn("instances[0].sessions[0].sessionId", line)
        self.assertIn("not a valid session id", line)

    def test_bad_json_names_file_and_position(self):
        with tempfile.TemporaryDirectory(prefix="qapps-bad-") as folder:
            bad = Path(folder) / "broken.json"
            bad.write_text('{"instances": [\n  {"instanceId": }\n]}', encoding="utf-8")
            line = self.assert_refused_with_one_line(
                run_binary("--port", "0", "--fixtures", str(bad)))
        self.assertIn(str(bad), line)
        self.assertIn("line 2", line)

    def test_a_bad_file_in_a_folder_refuses_the_start(self):
        with tempfile.TemporaryDirectory(prefix="qapps-bad-") as folder:
            shutil.copy(DEMO_FIXTURE, Path(folder) / "00-demo.json")
            bad = Path(folder) / "10-bad.json"
            bad.write_text(json.dumps(instance_document("x", session_id="abc")), encoding="utf-8")
            line = self.assert_refused_with_one_line(
                run_binary("--port", "0", "--fixtures", folder))
        self.assertIn("10-bad.json", line)
        self.assertIn("instances[0].sessions[0].sessionId", line)


class Information(unittest.TestCase):
    def test_help_lists_the_flags(self):
        result = run_binary("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for flag in ("--port", "--host", "--db", "--fixtures", "--auth", "--version", "--help"):
            self.assertIn(flag, result.stdout)

    def test_version(self):
        result = run_binary("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(project_version(), result.stdout)
        self.assertEqual(len(result.stdout.strip().splitlines()), 1, result.stdout)


class Storage(unittest.TestCase):
    start_server = ServerTestCase.start_server

    def setUp(self):
        folder = tempfile.TemporaryDirectory(prefix="qapps-db-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def test_db_file_survives_a_restart(self):
        session = first_session(shared=False)
        db = self.folder / "qapps.sqlite"

        first = ServerProcess("--db", str(db)).start()
        try:
            response = qapps_client(first.endpoint, session.owner_key()) \
                .get_q_app_session_metadata(instanceId=session.instance_id,
                                            sessionId=session.session_id)
            self.assertEqual(without_metadata(response), session.expected_metadata(True))
        finally:
            first.stop_expecting_success()
        self.assertTrue(db.is_file(), "no database file was written")

        second = self.start_server("--db", str(db), fixtures=None)
        client = qapps_client(second.endpoint, session.owner_key())
        response = client.get_q_app_session_metadata(instanceId=session.instance_id,
                                                     sessionId=session.session_id)
        self.assertEqual(without_metadata(response), session.expected_metadata(True))
        # The users came back too: another user is still refused the unshared session.
        other = qapps_client(second.endpoint, "AKIACAROL" if session.owner_key() != "AKIACAROL"
                             else "AKIAALICE")
        with self.assertRaises(other.exceptions.AccessDeniedException):
            other.get_q_app_session_metadata(instanceId=session.instance_id,
                                             sessionId=session.session_id)

    def test_without_db_nothing_survives(self):
        session = first_session(shared=True)
        first = self.start_server()
        qapps_client(first.endpoint, session.owner_key()).get_q_app_session_metadata(
            instanceId=session.instance_id, sessionId=session.session_id)
        first.stop_expecting_success()
        server = self.start_server(fixtures=None)
        client = qapps_client(server.endpoint)
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId=session.instance_id,
                                              sessionId=session.session_id)
        self.assertEqual(caught.exception.response["resourceType"], "Instance")

    def test_fixture_folder_is_loaded_in_name_order(self):
        session_id = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"
        # Written in the opposite order of their names, so that creation order cannot pass for
        # name order.
        (self.folder / "20-override.json").write_text(
            json.dumps(instance_document("Second name", session_id)), encoding="utf-8")
        (self.folder / "10-base.json").write_text(
            json.dumps(instance_document("First name", session_id)), encoding="utf-8")
        (self.folder / "notes.txt").write_text("not a fixture {", encoding="utf-8")

        server = self.start_server(fixtures=self.folder)
        client = qapps_client(server.endpoint, "AKIADANA", region="eu-west-1")
        response = client.get_q_app_session_metadata(instanceId="order-instance",
                                                     sessionId=session_id)
        self.assertEqual(without_metadata(response), {
            "sessionId": session_id,
            "sessionArn": "arn:aws:qapps:eu-west-1:111122223333:application/order-instance/"
                          f"qapp-session/{session_id}",
            "sessionName": "Second name",
            "sharingConfiguration": {"enabled": False},
            "sessionOwner": True,
        })

    def test_a_single_fixture_file_is_accepted(self):
        session = first_session(shared=True)
        server = self.start_server(fixtures=DEMO_FIXTURE)
        response = qapps_client(server.endpoint, session.owner_key()) \
            .get_q_app_session_metadata(instanceId=session.instance_id,
                                        sessionId=session.session_id)
        self.assertEqual(without_metadata(response), session.expected_metadata(True))


class EnvironmentVariables(unittest.TestCase):
    start_server = ServerTestCase.start_server

    def test_flags_can_come_from_the_environment(self):
        # QAPPS_LOCAL_AUTH=none: an unsigned call is answered, as the anonymous caller.
        session = first_session(shared=True)
        server = self.start_server(env={"QAPPS_LOCAL_AUTH": "none"})
        client = qapps_client(server.endpoint, unsigned=True)
        response = client.get_q_app_session_metadata(instanceId=session.instance_id,
                                                     sessionId=session.session_id)
        self.assertEqual(without_metadata(response), session.expected_metadata(False))

    def test_a_flag_wins_over_the_environment(self):
        server = self.start_server("--auth", "lenient", env={"QAPPS_LOCAL_AUTH": "none"})
        client = qapps_client(server.endpoint, unsigned=True)
        with self.assertRaises(client.exceptions.UnauthorizedException):
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=first_session(shared=True).session_id)


if __name__ == "__main__":
    unittest.main()
