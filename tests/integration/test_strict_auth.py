"""--auth strict (SPEC section 2): the access key must be a fixture user's, and the SigV4 signature,
recomputed with that user's secretAccessKey, must match and be at most 15 minutes old or new.

Signed by three independent implementations: boto3 (botocore), the AWS CLI and curl's
--aws-sigv4 (skipped when curl is missing).
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import botocore.auth

from harness import (OPERATION_PATH, ServerTestCase, demo_sessions, http_request, qapps_client,
                     signed_headers, without_metadata)

CLI_TIMEOUT = 60
# The demo fixture's users (fixtures/demo.json).
ALICE = ("AKIAALICE", "alice-secret")
BOB = ("AKIABOB", "bob-secret")

SHARED_OF_ALICE = next(s for s in demo_sessions()
                       if s.instance_id == "demo-instance" and s.shared
                       and s.owner_user_id() == "alice")

def utc_now() -> datetime.datetime:
    """Now in UTC, without tzinfo, as botocore.auth.get_current_datetime returns it."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.")


class StrictAuth(ServerTestCase):
    server_flags = ("--auth", "strict")

    def call(self, access_key: str, secret_key: str, session=SHARED_OF_ALICE):
        client = qapps_client(self.server.endpoint, access_key, secret_key=secret_key)
        return client.get_q_app_session_metadata(instanceId=session.instance_id,
                                                 sessionId=session.session_id)

    def assert_unauthorized(self, access_key: str, secret_key: str) -> str:
        """Calls with these credentials, expects UnauthorizedException, returns its message."""
        client = qapps_client(self.server.endpoint, access_key, secret_key=secret_key)
        with self.assertRaises(client.exceptions.UnauthorizedException) as caught:
            client.get_q_app_session_metadata(instanceId=SHARED_OF_ALICE.instance_id,
                                              sessionId=SHARED_OF_ALICE.session_id)
        error = caught.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 401)
        return error["Error"]["Message"]

    # --- boto3 ---------------------------------------------------------------------------------

    def test_boto3_with_the_users_secret_gets_the_metadata(self):
        response = self.call(*ALICE)
        self.assertEqual(without_metadata(response), SHARED_OF_ALICE.expected_metadata(True))
        self.assertTrue(response["sessionOwner"])

    def test_another_user_with_their_own_secret_is_not_the_owner(self):
        response = self.call(*BOB)
        self.assertEqual(without_metadata(response), SHARED_OF_ALICE.expected_metadata(False))

    def test_a_wrong_secret_is_unauthorized(self):
        message = self.assert_unauthorized("AKIAALICE", "not-alice-secret")
        self.assertTrue(message.startswith(MISMATCH), message)
        # Like AWS, the answer shows what the server signed.
        self.assertIn("The Canonical String for this request should have been", message)
        self.assertIn(f"\n{OPERATION_PATH}\nsessionId={SHARED_OF_ALICE.session_id}\n", message)

    def test_another_users_secret_is_unauthorized(self):
        message = self.assert_unauthorized("AKIAALICE", "bob-secret")
        self.assertTrue(message.startswith(MISMATCH), message)

    def test_an_unknown_key_is_unauthorized(self):
        message = self.assert_unauthorized("AKIANOBODY", "whatever")
        self.assertEqual(message, "The security token included in the request is invalid: no "
                                  "fixture user has the access key id AKIANOBODY")

    def test_dummy_credentials_work_only_with_the_fixture_secret(self):
        # lenient's `test`/anything no longer passes; the `test` user's own secret does.
        self.assertTrue(self.assert_unauthorized("test", "x").startswith(MISMATCH))
        session = next(s for s in demo_sessions() if s.owner_key() == "test")
        self.assertTrue(self.call("test", "test", session)["sessionOwner"])

    def test_a_signature_older_than_15_minutes_is_unauthorized(self):
        signed_at = utc_now() - datetime.timedelta(minutes=20)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=signed_at):
            message = self.assert_unauthorized(*ALICE)
        self.assertTrue(message.startswith("Signature expired: " +
                                           signed_at.strftime("%Y%m%dT%H%M%SZ") +
                                           " is now earlier than "), message)
        self.assertTrue(message.endswith(" - 15 min.)"), message)

    def test_a_signature_15_minutes_ahead_is_unauthorized(self):
        signed_at = utc_now() + datetime.timedelta(minutes=20)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=signed_at):
            message = self.assert_unauthorized(*ALICE)
        self.assertTrue(message.startswith("Signature not yet current: "), message)

    def test_a_signature_a_few_minutes_off_is_accepted(self):
        signed_at = utc_now() - datetime.timedelta(minutes=5)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=signed_at):
            self.assertTrue(self.call(*ALICE)["sessionOwner"])

    # --- raw HTTP ------------------------------------------------------------------------------

    def test_an_unsigned_request_is_unauthorized(self):
        answer = http_request(self.server.port, "GET",
                              f"{OPERATION_PATH}?sessionId={SHARED_OF_ALICE.session_id}",
                              {"instance-id": SHARED_OF_ALICE.instance_id})
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.header("x-amzn-ErrorType"), "UnauthorizedException")

    def test_a_signed_header_changed_after_signing_is_unauthorized(self):
        path = f"{OPERATION_PATH}?sessionId={SHARED_OF_ALICE.session_id}"
        headers = signed_headers(self.server.endpoint, "GET", path, *ALICE,
                                 headers={"instance-id": SHARED_OF_ALICE.instance_id})
        self.assertEqual(http_request(self.server.port, "GET", path, headers).status, 200)
        headers["instance-id"] = "sales-instance"
        answer = http_request(self.server.port, "GET", path, headers)
        self.assertEqual(answer.status, 401)
        self.assertTrue(answer.json()["message"].startswith(MISMATCH))

    # --- the AWS CLI ---------------------------------------------------------------------------

    def aws(self, access_key: str, secret_key: str, *args):
        with tempfile.TemporaryDirectory(prefix="qapps-cli-") as home:
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({
                "AWS_ACCESS_KEY_ID": access_key,
                "AWS_SECRET_ACCESS_KEY": secret_key,
                "AWS_CONFIG_FILE": os.path.join(home, "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_MAX_ATTEMPTS": "1",
                "HOME": home,
            })
            command = [sys.executable, "-m", "awscli", "qapps", "get-q-app-session-metadata",
                       "--instance-id", SHARED_OF_ALICE.instance_id,
                       "--session-id", SHARED_OF_ALICE.session_id,
                       "--endpoint-url", self.server.endpoint, "--region", "us-east-1",
                       "--output", "json", *args]
            return subprocess.run(command, env=env, capture_output=True, text=True,
                                  timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)

    def test_aws_cli_with_the_users_secret_gets_the_metadata(self):
        result = self.aws(*ALICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), SHARED_OF_ALICE.expected_metadata(True))

    def test_aws_cli_with_a_wrong_secret_is_unauthorized(self):
        result = self.aws("AKIAALICE", "not-alice-secret")
        self.assertIn(result.returncode, (254, 255), result.stderr)
        self.assertIn("UnauthorizedException", result.stderr)
        self.assertIn("The request signature we calculated does not match", result.stderr)

    # --- curl --aws-sigv4 ----------------------------------------------------------------------

    def curl(self, user: str):
        curl = shutil.which("curl")
        if curl is None:
            self.skipTest("curl is not installed")
        url = f"{self.server.endpoint}{OPERATION_PATH}?sessionId={SHARED_OF_ALICE.session_id}"
        return subprocess.run(
            [curl, "--silent", "--show-error", "--noproxy", "*", "--max-time", "15",
             "--write-out", "\n%{http_code}", "--aws-sigv4", "aws:amz:us-east-1:qapps",
             "--user", user, "-H", f"instance-id: {SHARED_OF_ALICE.instance_id}", url],
            capture_output=True, text=True, timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)

    def test_curl_aws_sigv4_with_the_users_secret_gets_the_metadata(self):
        result = self.curl("AKIAALICE:alice-secret")
        self.assertEqual(result.returncode, 0, result.stderr)
        body, _, status = result.stdout.rpartition("\n")
        self.assertEqual(status, "200", body)
        self.assertEqual(json.loads(body), SHARED_OF_ALICE.expected_metadata(True))

    def test_curl_aws_sigv4_with_a_wrong_secret_is_unauthorized(self):
        result = self.curl("AKIAALICE:not-alice-secret")
        self.assertEqual(result.returncode, 0, result.stderr)
        body, _, status = result.stdout.rpartition("\n")
        self.assertEqual(status, "401", body)
        self.assertIn("The request signature we calculated does not match", body)


if __name__ == "__main__":
    unittest.main()
