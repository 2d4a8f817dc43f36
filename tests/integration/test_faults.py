"""Fault injection (SPEC section 4) as users drive it: rules added through the control plane or
given at start, the per-request header, and what boto3 makes of the answers: its retries, its
modeled exceptions with their members, throttling by a token bucket, seeded probabilities, exact
counts under concurrency, and delays that do not hold up the server.
"""

import time
import unittest

from harness import (ERROR_STATUS, INJECT_HEADER, SESSION_QUOTA_CODE, THROTTLING_QUOTA_CODE,
                     ServerProcess, ServerTestCase, add_header_before_sign, demo_session,
                     first_session, qapps_client, unknown_session_id, without_metadata)
from fault_helpers import (ControlPlane, call_operation, error_call,
                           record_attempts, retrying_client, run_at_once,
                           signed_operation_headers, write_json)

SHARED = first_session(shared=True)  # demo-instance, owned by alice, shared
OTHER_SHARED = demo_session("3b4c5d6e-7f80-4192-a3b4-c5d6e7f80912")  # demo-instance, bob's, shared
SALES_OF_ALICE = demo_session("91a2b3c4-d5e6-4f70-9182-93a4b5c6d7e8")  # sales-instance, alice's

# The default messages of injected errors (server/injected_error.cpp).
DEFAULT_MESSAGES = {
    "ValidationException": "The request failed validation",
    "UnauthorizedException": "The security token included in the request is invalid",
    "ServiceQuotaExceededException": "The service quota for Q App sessions has been exceeded",
    "AccessDeniedException": "You do not have sufficient access to perform this action",
    "ResourceNotFoundException": (f"Q App session {SHARED.session_id} not found in instance "
                                  f"{SHARED.instance_id}"),
    "ThrottlingException": "Rate exceeded",
    "InternalServerException": "An internal error occurred while processing the request",
}
# The members each error carries besides message, for a call on SHARED.
EXPECTED_MEMBERS = {
    "ValidationException": {},
    "UnauthorizedException": {},
    "ServiceQuotaExceededException": {"resourceId": SHARED.session_id,
                                      "resourceType": "QAppSession", "serviceCode": "qapps",
                                      "quotaCode": SESSION_QUOTA_CODE},
    "AccessDeniedException": {},
    "ResourceNotFoundException": {"resourceId": SHARED.session_id, "resourceType": "QAppSession"},
    "ThrottlingException": {"serviceCode": "qapps", "quotaCode": THROTTLING_QUOTA_CODE},
    "InternalServerException": {},
}
MODELED_MEMBERS = ("resourceId", "resourceType", "serviceCode", "quotaCode", "retryAfterSeconds")


def shared_call(client):
    return client.get_q_app_session_metadata(instanceId=SHARED.instance_id,
                                             sessionId=SHARED.session_id)


class FaultTestCase(ServerTestCase):
    """One server per class; every test starts from its start state (POST /_qapps/reset)."""

    def setUp(self):
        super().setUp()
        self.control = ControlPlane(self.server.port)
        self.control.reset()

    def assert_members(self, error: dict, code: str, retry_after=None):
        """The modeled members boto3 parsed: exactly those the error has, with their values."""
        expected = dict(EXPECTED_MEMBERS[code])
        if retry_after is not None:
            expected["retryAfterSeconds"] = retry_after
        present = {name: error[name] for name in MODELED_MEMBERS if name in error}
        self.assertEqual(present, expected)
        header = error["ResponseMetadata"]["HTTPHeaders"].get("retry-after")
        self.assertEqual(header, None if retry_after is None else str(retry_after))


class RetriesAndRateLimits(FaultTestCase):

    def test_throttling_count_2_makes_boto3_retry_and_succeed(self):
        self.control.add_fault({"error": "ThrottlingException", "count": 2,
                                "match": {"sessionId": SHARED.session_id}})
        client = retrying_client(self.server.endpoint)
        attempts = record_attempts(client)

        response = shared_call(client)

        self.assertEqual(without_metadata(response), SHARED.expected_metadata(True))
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual([status for status, _ in attempts], [429, 429, 200])
        for _, headers in attempts[:2]:
            self.assertEqual(headers.get("x-amzn-errortype"), "ThrottlingException")
            self.assertEqual(headers.get("retry-after"), "1")

        journal = self.control.requests()
        self.assertEqual([(e["status"], e["error"], e["injected"]) for e in journal],
                         [(429, "ThrottlingException", True), (429, "ThrottlingException", True),
                          (200, None, False)])
        self.assertEqual([e["requestId"] for e in journal],
                         [headers["x-amzn-requestid"] for _, headers in attempts])
        self.assertEqual(journal[-1]["requestId"], response["ResponseMetadata"]["RequestId"])
        for entry in journal:
            self.assertEqual((entry["instanceId"], entry["sessionId"], entry["caller"]),
                             (SHARED.instance_id, SHARED.session_id, "AKIAALICE"))
        # The rule has fired its two times and is gone.
        self.assertEqual(self.control.faults(), [])

    def test_throttling_past_the_retries_raises_after_max_attempts(self):
        self.control.add_fault({"error": "ThrottlingException", "count": 5,
                                "message": "still throttled"})
        client = retrying_client(self.server.endpoint, max_retries=1)
        error = error_call(self, client, "ThrottlingException", instanceId=SHARED.instance_id,
                           sessionId=SHARED.session_id)
        self.assertEqual(error["ResponseMetadata"]["RetryAttempts"], 1)
        self.assertEqual(error["Error"]["Message"], "still throttled")
        self.assertEqual([f["remaining"] for f in self.control.faults()], [3])  # 2 attempts

    def test_rate_limit_5_per_second_burst_5_lets_5_of_10_through(self):
        self.control.add_fault({"rateLimit": {"requestsPerSecond": 5, "burst": 5},
                                "match": {"instanceId": SHARED.instance_id}})
        client = qapps_client(self.server.endpoint, "AKIAALICE")
        # A first call on another instance (not limited), so that the ten below are quick.
        client.get_q_app_session_metadata(instanceId=SALES_OF_ALICE.instance_id,
                                          sessionId=SALES_OF_ALICE.session_id)

        outcomes = []
        started = time.monotonic()
        for _ in range(10):
            try:
                outcomes.append(shared_call(client))
            except client.exceptions.ThrottlingException as caught:
                outcomes.append(caught)
        elapsed = time.monotonic() - started

        passed = [o for o in outcomes if isinstance(o, dict)]
        refused = [o for o in outcomes if not isinstance(o, dict)]
        self.assertTrue(all(isinstance(o, dict) for o in outcomes[:5]), outcomes)
        if elapsed < 0.2:
            # At 5/s no token comes back within 0.2 s: exactly the burst passes.
            self.assertEqual(len(passed), 5, outcomes)
            self.assertEqual(len(refused), 5, outcomes)
        else:  # a slow machine: each 0.2 s may have brought one more token
            self.assertLessEqual(len(passed), 5 + int(elapsed * 5),
                                 f"{outcomes} in {elapsed:.3f} s")
        for response in passed:
            self.assertEqual(without_metadata(response), SHARED.expected_metadata(True))
        for caught in refused:
            error = caught.response
            self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 429)
            self.assertEqual(error["Error"]["Code"], "ThrottlingException")
            self.assertGreaterEqual(error["retryAfterSeconds"], 1)
            self.assertEqual(error["retryAfterSeconds"], 1)  # <= 0.2 s to a token, rounded up
            self.assertEqual(error["serviceCode"], "qapps")
            self.assertEqual(error["quotaCode"], THROTTLING_QUOTA_CODE)

        journal = self.control.requests()[1:]  # after the first call
        self.assertEqual([e["status"] for e in journal],
                         [200 if isinstance(o, dict) else 429 for o in outcomes])
        self.assertEqual([e["injected"] for e in journal],
                         [not isinstance(o, dict) for o in outcomes])
        self.assertEqual([e["error"] for e in journal],
                         [None if isinstance(o, dict) else "ThrottlingException"
                          for o in outcomes])

        # The bucket is per (instance, caller): bob has his own, and other instances none.
        bob = qapps_client(self.server.endpoint, "AKIABOB")
        response = bob.get_q_app_session_metadata(instanceId=OTHER_SHARED.instance_id,
                                                  sessionId=OTHER_SHARED.session_id)
        self.assertEqual(without_metadata(response), OTHER_SHARED.expected_metadata(True))
        client.get_q_app_session_metadata(instanceId=SALES_OF_ALICE.instance_id,
                                          sessionId=SALES_OF_ALICE.session_id)

    def test_rate_limit_refills_with_time(self):
        self.control.add_fault({"rateLimit": {"requestsPerSecond": 4, "burst": 1}})
        client = qapps_client(self.server.endpoint)
        shared_call(client)
        with self.assertRaises(client.exceptions.ThrottlingException):
            shared_call(client)
        time.sleep(0.3)  # a token every 0.25 s
        shared_call(client)


class InjectedErrors(FaultTestCase):
    """Each of the seven errors, asked for by a rule and by the header, as boto3 raises it."""

    def test_each_error_by_rule(self):
        for code in ERROR_STATUS:
            with self.subTest(code=code):
                self.control.clear_faults()
                rule = {"error": code, "match": {"sessionId": SHARED.session_id}}
                retry_after = None
                if code in ("ThrottlingException", "InternalServerException"):
                    rule["retryAfterSeconds"] = retry_after = 7
                self.control.add_fault(rule)
                client = qapps_client(self.server.endpoint)

                error = error_call(self, client, code, instanceId=SHARED.instance_id,
                                   sessionId=SHARED.session_id)
                self.assertEqual(error["Error"]["Message"], DEFAULT_MESSAGES[code])
                self.assert_members(error, code, retry_after)

                entry = self.control.requests()[-1]
                self.assertEqual(entry["requestId"], error["ResponseMetadata"]["RequestId"])
                self.assertEqual((entry["status"], entry["error"], entry["injected"]),
                                 (ERROR_STATUS[code], code, True))

    def test_each_error_by_rule_with_a_custom_message(self):
        client = qapps_client(self.server.endpoint)
        for code in ERROR_STATUS:
            with self.subTest(code=code):
                self.control.clear_faults()
                self.control.add_fault({"error": code, "message": f"custom {code} message"})
                error = error_call(self, client, code, instanceId=SHARED.instance_id,
                                   sessionId=SHARED.session_id)
                self.assertEqual(error["Error"]["Message"], f"custom {code} message")

    def test_retry_after_defaults(self):
        client = qapps_client(self.server.endpoint)
        self.control.add_fault({"error": "ThrottlingException", "count": 1})
        error = error_call(self, client, "ThrottlingException", instanceId=SHARED.instance_id,
                           sessionId=SHARED.session_id)
        self.assert_members(error, "ThrottlingException", retry_after=1)

        self.control.add_fault({"error": "InternalServerException", "count": 1})
        error = error_call(self, client, "InternalServerException", instanceId=SHARED.instance_id,
                           sessionId=SHARED.session_id)
        self.assert_members(error, "InternalServerException", retry_after=None)

    def test_a_rule_quota_code_is_reported(self):
        client = qapps_client(self.server.endpoint)
        self.control.add_fault({"error": "ThrottlingException", "count": 1,
                                "quotaCode": "L-CUSTOM-1"})
        self.control.add_fault({"error": "ServiceQuotaExceededException", "count": 1,
                                "quotaCode": "L-CUSTOM-2"})
        error = error_call(self, client, "ThrottlingException", instanceId=SHARED.instance_id,
                           sessionId=SHARED.session_id)
        self.assertEqual(error["quotaCode"], "L-CUSTOM-1")
        error = error_call(self, client, "ServiceQuotaExceededException",
                           instanceId=SHARED.instance_id, sessionId=SHARED.session_id)
        self.assertEqual(error["quotaCode"], "L-CUSTOM-2")
        self.assertEqual(error["resourceId"], SHARED.session_id)

    def test_members_name_the_session_of_the_request(self):
        session_id = unknown_session_id()  # injection comes before the lookup
        self.control.add_fault({"error": "ResourceNotFoundException", "count": 1})
        self.control.add_fault({"error": "ServiceQuotaExceededException", "count": 1})
        client = qapps_client(self.server.endpoint)
        error = error_call(self, client, "ResourceNotFoundException", instanceId="any-instance",
                           sessionId=session_id)
        self.assertEqual((error["resourceId"], error["resourceType"]), (session_id, "QAppSession"))
        self.assertEqual(error["Error"]["Message"],
                         f"Q App session {session_id} not found in instance any-instance")
        error = error_call(self, client, "ServiceQuotaExceededException",
                           instanceId="any-instance", sessionId=session_id)
        self.assertEqual((error["resourceId"], error["resourceType"]), (session_id, "QAppSession"))

    def test_each_error_by_header(self):
        for code in ERROR_STATUS:
            with self.subTest(code=code):
                client = qapps_client(self.server.endpoint)
                add_header_before_sign(client, INJECT_HEADER, code)
                error = error_call(self, client, code, instanceId=SHARED.instance_id,
                                   sessionId=SHARED.session_id)
                self.assertEqual(error["Error"]["Message"], DEFAULT_MESSAGES[code])
                retryable = code in ("ThrottlingException", "InternalServerException")
                self.assert_members(error, code, 1 if retryable else None)
                entry = self.control.requests()[-1]
                self.assertEqual(entry["requestId"], error["ResponseMetadata"]["RequestId"])
                self.assertEqual((entry["status"], entry["error"], entry["injected"]),
                                 (ERROR_STATUS[code], code, True))

    def test_an_unknown_error_name_in_the_header_is_a_validation_error_naming_it(self):
        client = qapps_client(self.server.endpoint)
        add_header_before_sign(client, INJECT_HEADER, "SlowDownException")
        error = error_call(self, client, "ValidationException", instanceId=SHARED.instance_id,
                           sessionId=SHARED.session_id)
        self.assertEqual(
            error["Error"]["Message"],
            "1 validation error detected: Value 'SlowDownException' at 'x-qapps-inject-error' "
            "failed to satisfy constraint: Member must satisfy enum value set: "
            "[ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
            "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
            "InternalServerException]")
        entry = self.control.requests()[-1]
        self.assertEqual((entry["status"], entry["error"], entry["injected"]),
                         (400, "ValidationException", False))

    def test_the_header_answers_whatever_the_rules(self):
        rule_id = self.control.add_fault({"error": "ThrottlingException", "count": 2})
        client = qapps_client(self.server.endpoint)
        add_header_before_sign(client, INJECT_HEADER, "AccessDeniedException")
        error_call(self, client, "AccessDeniedException", instanceId=SHARED.instance_id,
                   sessionId=SHARED.session_id)
        # The rule was not used up by a request it did not answer.
        self.assertEqual([(f["id"], f["remaining"], f["fired"]) for f in self.control.faults()],
                         [(rule_id, 2, 0)])

    def test_a_delay_only_rule_answers_normally(self):
        self.control.add_fault({"delayMs": 100})
        client = qapps_client(self.server.endpoint)
        started = time.monotonic()
        response = shared_call(client)
        self.assertGreaterEqual(time.monotonic() - started, 0.095)
        self.assertEqual(without_metadata(response), SHARED.expected_metadata(True))
        entry = self.control.requests()[-1]
        self.assertEqual((entry["status"], entry["error"], entry["injected"]), (200, None, False))
        self.assertGreaterEqual(entry["latencyMicros"], 100000)


class Matching(FaultTestCase):
    """`match` on instanceId, sessionId and the caller's access key; rules in the order added."""

    def assert_passes(self, client, session):
        response = client.get_q_app_session_metadata(instanceId=session.instance_id,
                                                     sessionId=session.session_id)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(response["sessionId"], session.session_id)

    def assert_denied(self, client, session):
        error_call(self, client, "AccessDeniedException", instanceId=session.instance_id,
                   sessionId=session.session_id)

    def test_match_on_access_key(self):
        self.control.add_fault({"error": "AccessDeniedException",
                                "match": {"accessKeyId": "AKIABOB"}})
        alice = qapps_client(self.server.endpoint, "AKIAALICE")
        bob = qapps_client(self.server.endpoint, "AKIABOB")
        self.assert_passes(alice, SHARED)
        self.assert_passes(alice, OTHER_SHARED)
        self.assert_denied(bob, SHARED)
        self.assert_denied(bob, OTHER_SHARED)
        self.assertEqual([(e["caller"], e["status"], e["injected"])
                          for e in self.control.requests()],
                         [("AKIAALICE", 200, False), ("AKIAALICE", 200, False),
                          ("AKIABOB", 403, True), ("AKIABOB", 403, True)])

    def test_match_on_instance(self):
        self.control.add_fault({"error": "AccessDeniedException",
                                "match": {"instanceId": SALES_OF_ALICE.instance_id}})
        alice = qapps_client(self.server.endpoint)
        self.assert_passes(alice, SHARED)
        self.assert_denied(alice, SALES_OF_ALICE)

    def test_match_on_session(self):
        self.control.add_fault({"error": "AccessDeniedException",
                                "match": {"sessionId": OTHER_SHARED.session_id}})
        alice = qapps_client(self.server.endpoint)
        self.assert_passes(alice, SHARED)
        self.assert_denied(alice, OTHER_SHARED)

    def test_match_on_all_three(self):
        self.control.add_fault({"error": "AccessDeniedException",
                                "match": {"instanceId": SHARED.instance_id,
                                          "sessionId": SHARED.session_id,
                                          "accessKeyId": "AKIABOB"}})
        alice = qapps_client(self.server.endpoint, "AKIAALICE")
        bob = qapps_client(self.server.endpoint, "AKIABOB")
        self.assert_passes(alice, SHARED)
        self.assert_passes(bob, OTHER_SHARED)
        self.assert_denied(bob, SHARED)

    def test_the_first_rule_that_fires_answers(self):
        self.control.add_fault({"error": "ValidationException", "probability": 0})
        self.control.add_fault({"error": "ValidationException",
                                "match": {"accessKeyId": "AKIACAROL"}})
        self.control.add_fault({"error": "ServiceQuotaExceededException", "count": 1})
        self.control.add_fault({"error": "InternalServerException"})
        client = qapps_client(self.server.endpoint)
        error_call(self, client, "ServiceQuotaExceededException", instanceId=SHARED.instance_id,
                   sessionId=SHARED.session_id)
        error_call(self, client, "InternalServerException", instanceId=SHARED.instance_id,
                   sessionId=SHARED.session_id)
        self.assertEqual([f["fired"] for f in self.control.faults()], [0, 0, 1])


def statuses_of(server, calls: int = 40) -> list:
    """The status of each of `calls` sequential calls on SHARED, one boto3 client, no retries."""
    client = qapps_client(server.endpoint)
    statuses = []
    for _ in range(calls):
        try:
            statuses.append(shared_call(client)["ResponseMetadata"]["HTTPStatusCode"])
        except client.exceptions.InternalServerException as caught:
            statuses.append(caught.response["ResponseMetadata"]["HTTPStatusCode"])
    return statuses


class SeededProbability(unittest.TestCase):
    """--seed makes a probability rule repeat exactly, run after run."""

    def start(self, seed: int, *flags: str):
        server = ServerProcess("--seed", str(seed), "--faults", str(self.rules), *flags).start()
        self.addCleanup(server.stop_expecting_success)
        return server

    def setUp(self):
        self.rules = write_json(self, "faults.json", {"faults": [
            {"error": "InternalServerException", "probability": 0.5}]})

    def check_repeats(self, *flags: str):
        first, same, other = (self.start(11, *flags), self.start(11, *flags),
                              self.start(12, *flags))
        sequence = statuses_of(first)
        self.assertEqual(set(sequence), {200, 500})  # both outcomes occur
        self.assertEqual(statuses_of(same), sequence)
        self.assertNotEqual(statuses_of(other), sequence)

    def test_the_same_seed_repeats_the_same_statuses(self):
        self.check_repeats()

    def test_the_same_seed_repeats_with_four_server_threads(self):
        self.check_repeats("--threads", "4")

    def test_reset_reseeds(self):
        server = self.start(11, "--threads", "2")
        sequence = statuses_of(server)
        self.assertEqual(set(sequence), {200, 500})
        self.assertNotEqual(statuses_of(server), sequence)  # the generator went on
        ControlPlane(server.port).reset()
        self.assertEqual(statuses_of(server), sequence)


class Concurrency(ServerTestCase):
    """Counts stay exact and delays do not hold threads, with many clients at once."""

    server_flags = ("--threads", "2")

    def setUp(self):
        super().setUp()
        self.control = ControlPlane(self.server.port)
        self.control.reset()

    def concurrent_calls(self, clients: int):
        """`clients` calls on SHARED released together, each on its own connection: a list of
        (HttpAnswer, seconds it took)."""
        port = self.server.port
        headers = [signed_operation_headers(port, SHARED.instance_id, SHARED.session_id)
                   for _ in range(clients)]

        def one(index):
            def call():
                started = time.monotonic()
                answer = call_operation(port, SHARED.session_id, headers[index])
                return answer, time.monotonic() - started
            return call

        return run_at_once([one(i) for i in range(clients)])

    def test_count_3_fires_exactly_3_times_for_50_clients_at_once(self):
        rule_id = self.control.add_fault({"error": "ThrottlingException", "count": 3})
        results = self.concurrent_calls(50)
        statuses = [answer.status for answer, _ in results]
        self.assertEqual(statuses.count(429), 3, statuses)
        self.assertEqual(statuses.count(200), 47, statuses)
        for answer, _ in results:
            if answer.status == 429:
                self.assertEqual(answer.header("x-amzn-ErrorType"), "ThrottlingException")
                self.assertEqual(answer.json(), {"message": "Rate exceeded", "serviceCode": "qapps",
                                                 "quotaCode": THROTTLING_QUOTA_CODE})
        self.assertNotIn(rule_id, [f["id"] for f in self.control.faults()])
        journal = self.control.requests()
        self.assertEqual(len(journal), 50)
        self.assertEqual(sum(1 for e in journal if e["injected"]), 3)
        self.assertEqual(sorted(e["requestId"] for e in journal),
                         sorted(answer.header("x-amzn-RequestId") for answer, _ in results))

    def test_delay_500ms_for_100_clients_at_once_takes_about_half_a_second(self):
        self.control.add_fault({"delayMs": 500})
        started = time.monotonic()
        results = self.concurrent_calls(100)
        total = time.monotonic() - started
        for answer, took in results:
            self.assertEqual(answer.status, 200)
            self.assertEqual(answer.json(), SHARED.expected_metadata(True))
            self.assertGreaterEqual(took, 0.45)
        # 100 x 0.5 s would be 50 s if the delay held a server thread (2 of them: 25 s).
        self.assertLess(total, 5.0)
        self.assertEqual(len(self.control.requests()), 100)


if __name__ == "__main__":
    unittest.main()
