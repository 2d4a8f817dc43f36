"""The AWS CLI (v1, run as `python -m awscli` with this same interpreter) against qapps-local."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

from harness import ServerTestCase, demo_sessions, load_demo, unknown_session_id

CLI_TIMEOUT = 60


class AwsCli(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = tempfile.TemporaryDirectory(prefix="qapps-cli-")
        cls.document = load_demo()

    @classmethod
    def tearDownClass(cls):
        cls.home.cleanup()
        super().tearDownClass()

    def aws(self, *args, access_key="AKIAALICE", region="us-east-1"):
        # Only this test's credentials and settings: the machine's own AWS configuration
        # (files, profile, endpoint variables) must not change what the CLI does.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_CONFIG_FILE": os.path.join(self.home.name, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home.name, "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
            "HOME": self.home.name,
        })
        command = [sys.executable, "-m", "awscli", "qapps", *args,
                   "--endpoint-url", self.server.endpoint, "--region", region,
                   "--output", "json"]
        return subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)

    def get(self, instance_id, session_id, **kwargs):
        return self.aws("get-q-app-session-metadata", "--instance-id", instance_id,
                        "--session-id", session_id, **kwargs)

    def test_owner_gets_the_metadata_as_json(self):
        session = next(s for s in demo_sessions(self.document) if s.owner_key() == "AKIAALICE")
        result = self.get(session.instance_id, session.session_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), session.expected_metadata(True))

    def test_non_owner_reads_a_shared_session(self):
        session = next(s for s in demo_sessions(self.document)
                       if s.shared and s.owner_key() != "AKIAALICE"
                       and s.instance_id == "demo-instance")
        result = self.get(session.instance_id, session.session_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), session.expected_metadata(False))

    def test_a_session_without_name_omits_it(self):
        session = next(s for s in demo_sessions(self.document) if "sessionName" not in s.session)
        result = self.get(session.instance_id, session.session_id, access_key=session.owner_key())
        self.assertEqual(result.returncode, 0, result.stderr)
        output = json.loads(result.stdout)
        self.assertNotIn("sessionName", output)
        self.assertEqual(output, session.expected_metadata(True))

    def test_unknown_session_fails_with_resource_not_found(self):
        missing = unknown_session_id()
        result = self.get("demo-instance", missing)
        # AWS CLI v1 exits 255 on a service error; v2 exits 254.
        self.assertIn(result.returncode, (254, 255), result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("ResourceNotFoundException", result.stderr)
        self.assertIn("GetQAppSessionMetadata", result.stderr)
        self.assertIn(f"Q App session {missing} not found in instance demo-instance",
                      result.stderr)

    def test_unshared_session_of_another_user_fails_with_access_denied(self):
        session = next(s for s in demo_sessions(self.document)
                       if not s.shared and s.owner_key() == "AKIABOB")
        result = self.get(session.instance_id, session.session_id, access_key="AKIAALICE")
        self.assertIn(result.returncode, (254, 255), result.stderr)
        self.assertIn("AccessDeniedException", result.stderr)

    def test_bad_session_id_fails_with_validation(self):
        result = self.get("demo-instance", "abc")
        self.assertIn(result.returncode, (254, 255), result.stderr)
        self.assertIn("ValidationException", result.stderr)
        self.assertIn("Value 'abc' at 'sessionId' failed to satisfy constraint", result.stderr)


if __name__ == "__main__":
    unittest.main()
