"""The seven modeled errors of GetQAppSessionMetadata, as boto3 parses them, with every member.

Real errors come from real requests (bad input, no signature, a non-owner, unknown ids); the
three that a request cannot provoke (quota, throttling, internal) are asked for with the
per-request header x-qapps-inject-error (SPEC section 4).
"""

import unittest

from harness import (ERROR_STATUS as ERRORS, INJECT_HEADER as INJECT, SESSION_QUOTA_CODE,
                     THROTTLING_QUOTA_CODE, OPERATION_PATH, SESSION_ID_PATTERN, UUID_RE, ServerTestCase,
                     add_header_before_sign, demo_sessions, first_session, http_request,
                     qapps_client, signed_headers, strip_authorization_before_send,
                     unknown_session_id, without_metadata)

SHARED = first_session(shared=True)  # owned by alice, shared
UNSHARED_OF_BOB = next(s for s in demo_sessions()  # owned by bob, not shared
                       if s.instance_id == "demo-instance" and not s.shared
                       and s.owner_user_id() == "bob")


def bad_session_id_message(value: str) -> str:
    return (f"Value '{value}' at 'sessionId' failed to satisfy constraint: Member must satisfy "
            f"regular expression pattern: {SESSION_ID_PATTERN}")


NULL_INSTANCE_MESSAGE = ("Value null at 'instanceId' failed to satisfy constraint: "
                         "Member must not be null")


class ErrorAssertions:
    def assert_error(self, caught, code: str, message=None):
        """The common parts of every error answer; returns the parsed error response."""
        error = caught.exception.response
        metadata = error["ResponseMetadata"]
        headers = metadata["HTTPHeaders"]
        self.assertEqual(error["Error"]["Code"], code)
        self.assertEqual(metadata["HTTPStatusCode"], ERRORS[code])
        self.assertEqual(headers.get("x-amzn-errortype"), code)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertRegex(metadata["RequestId"], UUID_RE)
        self.assertEqual(headers.get("x-amzn-requestid"), metadata["RequestId"])
        self.assertEqual(metadata["RetryAttempts"], 0)
        self.assertTrue(error["Error"]["Message"], "the error has no message")
        if message is not None:
            self.assertEqual(error["Error"]["Message"], message)
        return error


class RealErrors(ErrorAssertions, ServerTestCase):
    """Errors that real requests provoke, on a server in the default (lenient) auth mode."""

    def test_validation_bad_session_id(self):
        client = self.client()
        with self.assertRaises(client.exceptions.ValidationException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance", sessionId="abc")
        error = self.assert_error(caught, "ValidationException",
                                  "1 validation error detected: " + bad_session_id_message("abc"))
        self.assertNotIn("resourceId", error)

    def test_validation_counts_and_joins_every_violation(self):
        client = self.client()
        with self.assertRaises(client.exceptions.ValidationException) as caught:
            client.get_q_app_session_metadata(instanceId="", sessionId="abc")
        self.assert_error(caught, "ValidationException",
                          "2 validation errors detected: " + NULL_INSTANCE_MESSAGE + "; " +
                          bad_session_id_message("abc"))

    def test_validation_refuses_almost_valid_session_ids(self):
        client = self.client()
        valid = SHARED.session_id
        for bad in (valid.upper(),                       # upper-case hex digits
                    valid[:14] + "3" + valid[15:],       # version nibble not 4 or 5
                    valid[:19] + "c" + valid[20:],       # variant nibble not 8, 9, a, b
                    valid + "0",                         # one character too many
                    " " + valid):                        # not a full match
            with self.subTest(sessionId=bad):
                with self.assertRaises(client.exceptions.ValidationException) as caught:
                    client.get_q_app_session_metadata(instanceId="demo-instance", sessionId=bad)
                self.assert_error(caught, "ValidationException",
                                  "1 validation error detected: " + bad_session_id_message(bad))

    def test_unauthorized_without_a_signature(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        with self.assertRaises(client.exceptions.UnauthorizedException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=SHARED.session_id)
        error = self.assert_error(caught, "UnauthorizedException")
        self.assertIn("Authorization", error["Error"]["Message"])

    def test_unauthorized_when_the_authorization_header_is_stripped(self):
        client = self.client()
        strip_authorization_before_send(client)
        with self.assertRaises(client.exceptions.UnauthorizedException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=SHARED.session_id)
        self.assert_error(caught, "UnauthorizedException")

    def test_unauthorized_comes_before_validation(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        with self.assertRaises(client.exceptions.UnauthorizedException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance", sessionId="abc")
        self.assert_error(caught, "UnauthorizedException")

    def test_access_denied_for_a_non_owner_of_an_unshared_session(self):
        client = self.client("AKIAALICE")
        with self.assertRaises(client.exceptions.AccessDeniedException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=UNSHARED_OF_BOB.session_id)
        error = self.assert_error(caught, "AccessDeniedException")
        self.assertIn("alice", error["Error"]["Message"])
        self.assertIn(UNSHARED_OF_BOB.session_id, error["Error"]["Message"])
        # botocore copies the shape's members to the top level: AccessDenied has only message.
        self.assertEqual({k for k in error if k not in ("Error", "ResponseMetadata")},
                         {"message"})
        self.assertEqual(error["message"], error["Error"]["Message"])

    def test_resource_not_found_unknown_instance(self):
        client = self.client()
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId="no-such-instance",
                                              sessionId=SHARED.session_id)
        error = self.assert_error(caught, "ResourceNotFoundException",
                                  "Instance no-such-instance not found")
        self.assertEqual(error["resourceId"], "no-such-instance")
        self.assertEqual(error["resourceType"], "Instance")

    def test_resource_not_found_unknown_session(self):
        client = self.client()
        missing = unknown_session_id()
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance", sessionId=missing)
        error = self.assert_error(caught, "ResourceNotFoundException",
                                  f"Q App session {missing} not found in instance demo-instance")
        self.assertEqual(error["resourceId"], missing)
        self.assertEqual(error["resourceType"], "QAppSession")

    def test_a_session_of_another_instance_is_not_found(self):
        sales = first_session(shared=False, instance_id="sales-instance")
        client = self.client("AKIACAROL")
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=sales.session_id)
        error = self.assert_error(caught, "ResourceNotFoundException")
        self.assertEqual(error["resourceId"], sales.session_id)
        self.assertEqual(error["resourceType"], "QAppSession")

    def test_not_found_comes_before_access_denied(self):
        # An unknown session of an unknown instance tells nothing about ownership.
        client = self.client("AKIABOB")
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=unknown_session_id())
        self.assert_error(caught, "ResourceNotFoundException")

    def test_error_bodies_on_the_wire(self):
        """The raw JSON bodies: message plus exactly the shape's members."""
        missing = unknown_session_id()
        cases = [
            ("demo-instance", "abc", 400, "ValidationException",
             {"message": "1 validation error detected: " + bad_session_id_message("abc")}),
            ("demo-instance", missing, 404, "ResourceNotFoundException",
             {"message": f"Q App session {missing} not found in instance demo-instance",
              "resourceId": missing, "resourceType": "QAppSession"}),
            ("no-such-instance", missing, 404, "ResourceNotFoundException",
             {"message": "Instance no-such-instance not found",
              "resourceId": "no-such-instance", "resourceType": "Instance"}),
        ]
        for instance_id, session_id, status, code, body in cases:
            with self.subTest(code=code, instance=instance_id):
                path = f"{OPERATION_PATH}?sessionId={session_id}"
                headers = signed_headers(self.server.endpoint, "GET", path,
                                         headers={"instance-id": instance_id})
                answer = http_request(self.server.port, "GET", path, headers)
                self.assertEqual(answer.status, status)
                self.assertEqual(answer.header("x-amzn-ErrorType"), code)
                self.assertEqual(answer.header("Content-Type"), "application/json")
                self.assertRegex(answer.header("x-amzn-RequestId") or "", UUID_RE)
                self.assertEqual(answer.json(), body)

    def test_missing_instance_id_header_on_the_wire(self):
        path = f"{OPERATION_PATH}?sessionId={SHARED.session_id}"
        answer = http_request(self.server.port, "GET", path,
                              signed_headers(self.server.endpoint, "GET", path))
        self.assertEqual(answer.status, 400)
        self.assertEqual(answer.header("x-amzn-ErrorType"), "ValidationException")
        self.assertEqual(answer.json(),
                         {"message": "1 validation error detected: " + NULL_INSTANCE_MESSAGE})

    def test_missing_session_id_on_the_wire(self):
        answer = http_request(self.server.port, "GET", OPERATION_PATH,
                              signed_headers(self.server.endpoint, "GET", OPERATION_PATH,
                                             headers={"instance-id": "demo-instance"}))
        self.assertEqual(answer.status, 400)
        self.assertEqual(answer.header("x-amzn-ErrorType"), "ValidationException")
        self.assertEqual(answer.json(), {
            "message": "1 validation error detected: Value null at 'sessionId' failed to "
                       "satisfy constraint: Member must not be null"})

    def test_malformed_authorization_header_on_the_wire(self):
        path = f"{OPERATION_PATH}?sessionId={SHARED.session_id}"
        answer = http_request(self.server.port, "GET", path, {
            "instance-id": "demo-instance", "Authorization": "Basic YWxpY2U6c2VjcmV0"})
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.header("x-amzn-ErrorType"), "UnauthorizedException")
        body = answer.json()
        self.assertEqual(set(body), {"message"})
        self.assertIn("Signature Version 4", body["message"])


class InjectedErrors(ErrorAssertions, ServerTestCase):
    """x-qapps-inject-error: <Name> answers that error, whatever the session (SPEC 4)."""

    def injecting(self, name: str, key: str = "AKIAALICE"):
        client = self.client(key)
        add_header_before_sign(client, INJECT, name)
        return client

    def call(self, client, session_id=None, instance_id="demo-instance"):
        return client.get_q_app_session_metadata(instanceId=instance_id,
                                                 sessionId=session_id or SHARED.session_id)

    def test_service_quota_exceeded(self):
        client = self.injecting("ServiceQuotaExceededException")
        with self.assertRaises(client.exceptions.ServiceQuotaExceededException) as caught:
            self.call(client)
        error = self.assert_error(caught, "ServiceQuotaExceededException")
        self.assertEqual(error["resourceId"], SHARED.session_id)
        self.assertEqual(error["resourceType"], "QAppSession")
        self.assertEqual(error["serviceCode"], "qapps")
        self.assertEqual(error["quotaCode"], SESSION_QUOTA_CODE)
        self.assertNotIn("retry-after", error["ResponseMetadata"]["HTTPHeaders"])

    def test_throttling(self):
        client = self.injecting("ThrottlingException")
        with self.assertRaises(client.exceptions.ThrottlingException) as caught:
            self.call(client)
        error = self.assert_error(caught, "ThrottlingException", "Rate exceeded")
        self.assertEqual(error["retryAfterSeconds"], 1)
        self.assertEqual(error["ResponseMetadata"]["HTTPHeaders"].get("retry-after"), "1")
        self.assertEqual(error["serviceCode"], "qapps")
        self.assertEqual(error["quotaCode"], THROTTLING_QUOTA_CODE)

    def test_internal_server(self):
        client = self.injecting("InternalServerException")
        with self.assertRaises(client.exceptions.InternalServerException) as caught:
            self.call(client)
        error = self.assert_error(caught, "InternalServerException")
        self.assertEqual(error["retryAfterSeconds"], 1)
        self.assertEqual(error["ResponseMetadata"]["HTTPHeaders"].get("retry-after"), "1")

    def test_each_of_the_seven_can_be_injected(self):
        for name, status in ERRORS.items():
            with self.subTest(error=name):
                client = self.injecting(name)
                with self.assertRaises(getattr(client.exceptions, name)) as caught:
                    self.call(client)
                error = self.assert_error(caught, name)
                retryable = name in ("ThrottlingException", "InternalServerException")
                self.assertEqual(error.get("retryAfterSeconds"), 1 if retryable else None)
                if name == "ResourceNotFoundException":
                    self.assertEqual(error["resourceId"], SHARED.session_id)
                    self.assertEqual(error["resourceType"], "QAppSession")

    def test_injected_errors_on_the_wire(self):
        expected_members = {
            "ValidationException": set(),
            "UnauthorizedException": set(),
            "ServiceQuotaExceededException": {"resourceId", "resourceType", "serviceCode",
                                              "quotaCode"},
            "AccessDeniedException": set(),
            "ResourceNotFoundException": {"resourceId", "resourceType"},
            "ThrottlingException": {"serviceCode", "quotaCode"},
            "InternalServerException": set(),
        }
        path = f"{OPERATION_PATH}?sessionId={SHARED.session_id}"
        for name, status in ERRORS.items():
            with self.subTest(error=name):
                headers = signed_headers(self.server.endpoint, "GET", path,
                                         headers={"instance-id": "demo-instance", INJECT: name})
                answer = http_request(self.server.port, "GET", path, headers)
                self.assertEqual(answer.status, status)
                self.assertEqual(answer.header("x-amzn-ErrorType"), name)
                self.assertEqual(answer.header("Content-Type"), "application/json")
                body = answer.json()
                self.assertIsInstance(body.get("message"), str)
                self.assertTrue(body["message"])
                self.assertEqual(set(body) - {"message"}, expected_members[name])
                retryable = name in ("ThrottlingException", "InternalServerException")
                self.assertEqual(answer.header("Retry-After"), "1" if retryable else None)

    def test_injection_applies_to_an_unknown_session_too(self):
        # Faults come before the look-up (SPEC 1, order of evaluation).
        client = self.injecting("ThrottlingException")
        with self.assertRaises(client.exceptions.ThrottlingException) as caught:
            self.call(client, session_id=unknown_session_id())
        self.assert_error(caught, "ThrottlingException")

    def test_validation_comes_before_injection(self):
        client = self.injecting("ThrottlingException")
        with self.assertRaises(client.exceptions.ValidationException) as caught:
            self.call(client, session_id="abc")
        self.assert_error(caught, "ValidationException",
                          "1 validation error detected: " + bad_session_id_message("abc"))

    def test_authentication_comes_before_injection(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        add_header_before_sign(client, INJECT, "ThrottlingException")
        with self.assertRaises(client.exceptions.UnauthorizedException) as caught:
            self.call(client)
        self.assert_error(caught, "UnauthorizedException")

    def test_unknown_injection_name_is_a_validation_error_naming_the_header(self):
        client = self.injecting("NoSuchException")
        with self.assertRaises(client.exceptions.ValidationException) as caught:
            self.call(client)
        error = self.assert_error(caught, "ValidationException")
        message = error["Error"]["Message"]
        self.assertIn(INJECT, message)
        self.assertIn("NoSuchException", message)
        self.assertTrue(message.startswith("1 validation error detected: "), message)

    def test_a_request_without_the_header_is_answered_normally(self):
        response = self.call(self.client("AKIAALICE"))
        self.assertEqual(without_metadata(response), SHARED.expected_metadata(True))


class AuthModeNone(ErrorAssertions, ServerTestCase):
    """--auth none: no signature needed; an unsigned caller is 'anonymous' (SPEC 2)."""

    server_flags = ("--auth", "none")

    def test_unsigned_call_reads_a_shared_session_as_a_non_owner(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        response = client.get_q_app_session_metadata(instanceId="demo-instance",
                                                     sessionId=SHARED.session_id)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(without_metadata(response), SHARED.expected_metadata(False))

    def test_unsigned_call_is_denied_an_unshared_session(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        with self.assertRaises(client.exceptions.AccessDeniedException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance",
                                              sessionId=UNSHARED_OF_BOB.session_id)
        error = self.assert_error(caught, "AccessDeniedException")
        self.assertIn("anonymous", error["Error"]["Message"])

    def test_a_signed_call_is_still_that_keys_caller(self):
        client = self.client(UNSHARED_OF_BOB.owner_key())
        response = client.get_q_app_session_metadata(instanceId="demo-instance",
                                                     sessionId=UNSHARED_OF_BOB.session_id)
        self.assertEqual(without_metadata(response), UNSHARED_OF_BOB.expected_metadata(True))

    def test_validation_still_applies(self):
        client = qapps_client(self.server.endpoint, unsigned=True)
        with self.assertRaises(client.exceptions.ValidationException) as caught:
            client.get_q_app_session_metadata(instanceId="demo-instance", sessionId="abc")
        self.assert_error(caught, "ValidationException",
                          "1 validation error detected: " + bad_session_id_message("abc"))


if __name__ == "__main__":
    unittest.main()
