"""The control plane (SPEC section 5) over HTTP, as a test suite uses it next to boto3: every call
of the table with its JSON answer, the journal of the calls a test made, reset back to the start
state (start fixtures with their faults, --faults, empty journal), rules given at start, and
malformed input refused with a 400 that changes nothing.
"""

import re
import unittest

from harness import (ServerProcess, ServerTestCase, demo_session, demo_sessions, first_session,
                     load_demo, project_version, qapps_client, unknown_session_id,
                     without_metadata)
from fault_helpers import (JOURNAL_TIME_RE, ControlPlane, error_call, server_exit,
                           temporary_folder, write_json)

SHARED = first_session(shared=True)  # demo-instance, alice's, shared
SALES_OF_ALICE = demo_session("91a2b3c4-d5e6-4f70-9182-93a4b5c6d7e8")

ERROR_NAMES = ("ValidationException, UnauthorizedException, ServiceQuotaExceededException, "
               "AccessDeniedException, ResourceNotFoundException, ThrottlingException, "
               "InternalServerException")
BAD_SESSION_REASON = ("not a valid session id: must match "
                      r"[\da-f]{8}-[\da-f]{4}-[45][\da-f]{3}-[89ABab][\da-f]{3}-[\da-f]{12}")

# A document a test loads at run time: a new instance, one user, two sessions, one rule.
NEW_INSTANCE = {
    "instances": [{
        "instanceId": "runtime-instance", "accountId": "333333333333", "region": "eu-west-1",
        "users": [{"userId": "dave", "accessKeyId": "AKIADAVE", "secretAccessKey": "d"}],
        "sessions": [
            {"sessionId": "aaaaaaaa-0000-4000-8000-000000000001", "sessionName": "Runtime one",
             "owner": "dave", "sharingConfiguration": {"enabled": True}},
            {"sessionId": "aaaaaaaa-0000-4000-8000-000000000002", "owner": "AKIADAVE",
             "sharingConfiguration": {"enabled": False, "revealCards": True}},
        ]}],
    "faults": [{"error": "ThrottlingException", "match": {"instanceId": "runtime-instance"},
                "count": 1}],
}


def expected_listing(document: dict, instance_id=None) -> list:
    """GET /_qapps/sessions for `document`: every session, by instance id then session id."""
    listed = []
    for session in demo_sessions(document):
        if instance_id is not None and session.instance_id != instance_id:
            continue
        entry = {"instanceId": session.instance_id, "sessionId": session.session_id,
                 "sessionArn": session.expected_metadata(True)["sessionArn"],
                 "owner": session.session["owner"], "ownerUserId": session.owner_user_id(),
                 "sharingConfiguration": session.session["sharingConfiguration"]}
        for optional in ("sessionName", "appId"):
            if optional in session.session:
                entry[optional] = session.session[optional]
        listed.append(entry)
    return sorted(listed, key=lambda e: (e["instanceId"], e["sessionId"]))


def demo_counts(document: dict) -> dict:
    instances = document["instances"]
    return {"instances": len(instances),
            "users": sum(len(i.get("users", [])) for i in instances),
            "sessions": sum(len(i.get("sessions", [])) for i in instances)}


class ControlPlaneTestCase(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.control = ControlPlane(self.server.port)
        self.control.reset()

    def assert_refused(self, method, path, body, status, error_type, message):
        answer = self.control.request(method, path, body)
        self.assertEqual(answer.status, status, answer.body)
        self.assertEqual(answer.header("x-amzn-ErrorType"), error_type)
        if isinstance(message, re.Pattern):
            self.assertEqual(set(answer.body), {"message"})
            self.assertRegex(answer.body["message"], message)
        else:
            self.assertEqual(answer.body, {"message": message})
        return answer


class Calls(ControlPlaneTestCase):
    """Every call of the SPEC 5 table on a server with the demo fixtures."""

    def test_health(self):
        answer = self.control.request("GET", "/_qapps/health")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.body, {"status": "ok", "version": project_version(),
                                       **demo_counts(load_demo()), "faults": 0, "requests": 0})

    def test_health_counts_follow_the_state(self):
        start = self.control.health()
        self.control.load_fixtures(NEW_INSTANCE)
        self.control.add_fault({"delayMs": 1, "match": {"instanceId": "nowhere"}})
        qapps_client(self.server.endpoint).get_q_app_session_metadata(
            instanceId=SHARED.instance_id, sessionId=SHARED.session_id)
        self.assertEqual(self.control.health(), {
            **start, "instances": start["instances"] + 1, "users": start["users"] + 1,
            "sessions": start["sessions"] + 2, "faults": 2, "requests": 1})

    def test_sessions(self):
        self.assertEqual(self.control.sessions(), expected_listing(load_demo()))
        self.assertEqual(self.control.sessions("sales-instance"),
                         expected_listing(load_demo(), "sales-instance"))
        self.assertEqual(self.control.sessions("no-such-instance"), [])

    def test_fixtures_loads_sessions_and_their_rules(self):
        answer = self.control.load_fixtures(NEW_INSTANCE)
        self.assertEqual(answer, {"instances": 1, "users": 1, "sessions": 2, "faultIds": [1]})

        expected = expected_listing(load_demo()) + expected_listing(NEW_INSTANCE)
        self.assertEqual(self.control.sessions(),
                         sorted(expected, key=lambda e: (e["instanceId"], e["sessionId"])))
        self.assertEqual(self.control.faults(), [
            {"id": 1, "error": "ThrottlingException", "match": {"instanceId": "runtime-instance"},
             "probability": 1, "count": 1, "delayMs": 0, "remaining": 1, "fired": 0}])

        # boto3 sees the new session at once; its rule answers first, once.
        dave = qapps_client(self.server.endpoint, "AKIADAVE")
        error_call(self, dave, "ThrottlingException", instanceId="runtime-instance",
                   sessionId="aaaaaaaa-0000-4000-8000-000000000002")
        response = dave.get_q_app_session_metadata(
            instanceId="runtime-instance", sessionId="aaaaaaaa-0000-4000-8000-000000000002")
        self.assertEqual(without_metadata(response), {
            "sessionId": "aaaaaaaa-0000-4000-8000-000000000002",
            "sessionArn": "arn:aws:qapps:eu-west-1:333333333333:application/runtime-instance/"
                          "qapp-session/aaaaaaaa-0000-4000-8000-000000000002",
            "sharingConfiguration": {"enabled": False, "revealCards": True},
            "sessionOwner": True})

    def test_fixtures_loaded_twice_leave_the_same_state(self):
        document = {"instances": NEW_INSTANCE["instances"]}
        answer = {"instances": 1, "users": 1, "sessions": 2, "faultIds": []}
        self.assertEqual(self.control.load_fixtures(document), answer)
        once = self.control.observable_state()
        self.assertEqual(self.control.load_fixtures(document), answer)
        self.assertEqual(self.control.observable_state(), once)

    def test_fixtures_upsert_by_id(self):
        renamed = {"instances": [{"instanceId": SHARED.instance_id, "sessions": [
            {**SHARED.session, "sessionName": "Renamed at run time"}]}]}
        self.control.load_fixtures(renamed)
        self.assertEqual(len(self.control.sessions()), demo_counts(load_demo())["sessions"])
        response = qapps_client(self.server.endpoint).get_q_app_session_metadata(
            instanceId=SHARED.instance_id, sessionId=SHARED.session_id)
        self.assertEqual(response["sessionName"], "Renamed at run time")

    def test_faults_add_list_remove(self):
        first = self.control.request("POST", "/_qapps/faults",
                                     {"error": "AccessDeniedException",
                                      "match": {"accessKeyId": "AKIABOB"}})
        self.assertEqual((first.status, first.body), (201, {"id": 1}))
        self.assertEqual(self.control.add_fault(
            {"rateLimit": {"requestsPerSecond": 2.5, "burst": 3}, "delayMs": 20}), 2)
        self.assertEqual(self.control.add_fault(
            {"error": "InternalServerException", "probability": 0.25, "count": 4,
             "retryAfterSeconds": 9, "message": "boom"}), 3)
        self.assertEqual(self.control.faults(), [
            {"id": 1, "error": "AccessDeniedException", "match": {"accessKeyId": "AKIABOB"},
             "probability": 1, "delayMs": 0, "fired": 0},
            {"id": 2, "rateLimit": {"requestsPerSecond": 2.5, "burst": 3}, "match": {},
             "delayMs": 20, "fired": 0},
            {"id": 3, "error": "InternalServerException", "match": {}, "probability": 0.25,
             "count": 4, "retryAfterSeconds": 9, "message": "boom", "delayMs": 0,
             "remaining": 4, "fired": 0}])

        self.assertEqual(self.control.remove_fault(2), {"deleted": 2})
        self.assertEqual([f["id"] for f in self.control.faults()], [1, 3])
        self.assert_refused("DELETE", "/_qapps/faults/2", None, 404, "NotFoundException",
                            "no fault rule with id 2")
        self.assertEqual(self.control.clear_faults(), {"deleted": 2})
        self.assertEqual(self.control.faults(), [])
        self.assertEqual(self.control.add_fault({"delayMs": 1}), 4)  # ids are not reused

    def test_journal_lists_the_calls_of_the_test_newest_last(self):
        alice = qapps_client(self.server.endpoint, "AKIAALICE")
        bob = qapps_client(self.server.endpoint, "AKIABOB")
        missing = unknown_session_id()
        expected = []

        response = alice.get_q_app_session_metadata(instanceId=SHARED.instance_id,
                                                    sessionId=SHARED.session_id)
        expected.append((response["ResponseMetadata"]["RequestId"], SHARED.instance_id,
                         SHARED.session_id, "AKIAALICE", 200, None, False))
        self.control.health()  # control-plane calls are not journaled
        error = error_call(self, bob, "ResourceNotFoundException", instanceId=SHARED.instance_id,
                           sessionId=missing)
        expected.append((error["ResponseMetadata"]["RequestId"], SHARED.instance_id, missing,
                         "AKIABOB", 404, "ResourceNotFoundException", False))
        self.control.add_fault({"error": "ServiceQuotaExceededException", "count": 1})
        error = error_call(self, alice, "ServiceQuotaExceededException",
                           instanceId=SALES_OF_ALICE.instance_id,
                           sessionId=SALES_OF_ALICE.session_id)
        expected.append((error["ResponseMetadata"]["RequestId"], SALES_OF_ALICE.instance_id,
                         SALES_OF_ALICE.session_id, "AKIAALICE", 402,
                         "ServiceQuotaExceededException", True))
        error = error_call(self, alice, "ValidationException", instanceId=SHARED.instance_id,
                           sessionId="not-a-session")
        expected.append((error["ResponseMetadata"]["RequestId"], SHARED.instance_id,
                         "not-a-session", "AKIAALICE", 400, "ValidationException", False))

        journal = self.control.requests()
        self.assertEqual([(e["requestId"], e["instanceId"], e["sessionId"], e["caller"],
                           e["status"], e["error"], e["injected"]) for e in journal], expected)
        for entry in journal:
            self.assertEqual(set(entry), {"time", "requestId", "instanceId", "sessionId",
                                          "caller", "status", "error", "injected",
                                          "latencyMicros"})
            self.assertRegex(entry["time"], JOURNAL_TIME_RE)
            self.assertIsInstance(entry["latencyMicros"], int)
            self.assertGreaterEqual(entry["latencyMicros"], 0)
        self.assertEqual([e["time"] for e in journal], sorted(e["time"] for e in journal))

        self.assertEqual(self.control.clear_requests(), {"deleted": 4})
        self.assertEqual(self.control.requests(), [])
        self.assertEqual(self.control.health()["requests"], 0)

    def test_wrong_methods_are_405_with_allow(self):
        before = self.control.observable_state()
        for method, path, allow in (
                ("POST", "/_qapps/health", "GET"),
                ("GET", "/_qapps/fixtures", "POST"),
                ("DELETE", "/_qapps/sessions", "GET"),
                ("PUT", "/_qapps/faults", "GET, POST, DELETE"),
                ("GET", "/_qapps/faults/1", "DELETE"),
                ("POST", "/_qapps/requests", "GET, DELETE"),
                ("GET", "/_qapps/reset", "POST"),
                ("DELETE", "/_qapps/reset", "POST")):
            with self.subTest(method=method, path=path):
                answer = self.assert_refused(
                    method, path, None, 405, "MethodNotAllowedException",
                    f"Method {method} is not allowed here; use {allow}")
                self.assertEqual(answer.header("Allow"), allow)
        self.assertEqual(self.control.observable_state(), before)

    def test_unknown_paths_are_404_unknown_operation(self):
        for method, path in (("GET", "/_qapps/nope"), ("POST", "/_qapps/"),
                             ("GET", "/_qapps/health/more"), ("DELETE", "/_qapps/faultsx")):
            with self.subTest(method=method, path=path):
                self.assert_refused(method, path + "?a=b", None, 404, "UnknownOperationException",
                                    f"No operation matches {method} {path}")

    def test_a_malformed_rule_changes_nothing(self):
        self.control.add_fault({"error": "AccessDeniedException", "count": 1,
                                "match": {"accessKeyId": "AKIANOBODY"}})
        before = self.control.faults()
        for body, message in (
                ('{"error": "ThrottlingException",\n "count": }',
                 "request body: invalid JSON at line 2, column 11: syntax error"),
                ('[{"error": "ThrottlingException"}]',
                 "request body: expected an object, got array"),
                ({"error": "SlowDown"},
                 f"request body: error: unknown error 'SlowDown'; expected one of {ERROR_NAMES}"),
                ({"error": "ThrottlingException", "match": {"sessionId": "abc"}},
                 f"request body: match.sessionId: {BAD_SESSION_REASON}"),
                ({"error": "ThrottlingException", "match": {"instanceId": ""}},
                 "request body: match.instanceId: must not be empty; leave the field out to "
                 "match every request"),
                ({"error": "ThrottlingException", "count": -1},
                 "request body: count: must be a positive integer, got -1"),
                ({"error": "ThrottlingException", "probability": "half"},
                 "request body: probability: expected a number, got string"),
                ({"error": "AccessDeniedException", "retryAfterSeconds": 3},
                 "request body: retryAfterSeconds: retryAfterSeconds applies only to "
                 "ThrottlingException and InternalServerException"),
                ({"error": "ThrottlingException", "rateLimit": {"requestsPerSecond": 1,
                                                                "burst": 1}},
                 "request body: rateLimit replaces error; give one of them"),
                ({"rateLimit": {"requestsPerSecond": 1}},
                 "request body: rateLimit.burst: missing required field")):
            with self.subTest(body=body):
                self.assert_refused("POST", "/_qapps/faults", body, 400, "BadRequestException",
                                    message)
                self.assertEqual(self.control.faults(), before)

    def test_malformed_fixtures_change_nothing(self):
        before = self.control.observable_state()
        valid_instance = NEW_INSTANCE["instances"][0]
        for body, message in (
                ('{"instances": [\n  {"instanceId": "x",}]}',
                 "request body: invalid JSON at line 2, column 22: syntax error"),
                ({"instances": [valid_instance, {"instanceId": "two", "sessions": [
                    {"sessionId": "aaaaaaaa-0000-4000-8000-000000000003", "owner": "x",
                     "sharingConfiguration": {"enabled": True}},
                    {"sessionId": "bad-id", "owner": "x",
                     "sharingConfiguration": {"enabled": True}}]}]},
                 f"request body: instances[1].sessions[1].sessionId: {BAD_SESSION_REASON}"),
                ({"instances": [valid_instance], "faults": [{"delayMs": 1}, {"error": "Nope"}]},
                 f"request body: faults[1].error: unknown error 'Nope'; expected one of "
                 f"{ERROR_NAMES}"),
                ({"instances": [{**valid_instance, "sessions": [
                    {**valid_instance["sessions"][0], "owner": "nobody"}]}]},
                 re.compile(r"^request body: instances\[0\]\.sessions\[0\]\.owner: .*nobody")),
                ({"instances": [{**valid_instance, "users": [
                    {"userId": "mallory", "accessKeyId": "AKIAALICE", "secretAccessKey": "m"}]}]},
                 re.compile(r"^request body: instances\[0\]\.users\[0\].*AKIAALICE"))):
            with self.subTest(body=body):
                self.assert_refused("POST", "/_qapps/fixtures", body, 400, "BadRequestException",
                                    message)
                self.assertEqual(self.control.sessions(), before["sessions"])
                self.assertEqual(self.control.observable_state(), before)


class StartState(ControlPlaneTestCase):
    """A server started with fixtures that carry faults and a --faults file; what reset restores."""

    START_FAULTS = [
        {"id": 1, "error": "ServiceQuotaExceededException",
         "match": {"instanceId": "quota-instance"}, "probability": 1, "count": 2, "delayMs": 0,
         "remaining": 2, "fired": 0},
        {"id": 2, "error": "AccessDeniedException", "match": {"accessKeyId": "AKIAMALLORY"},
         "probability": 1, "delayMs": 0, "fired": 0},
        {"id": 3, "error": "InternalServerException", "match": {"instanceId": "broken-instance"},
         "probability": 1, "retryAfterSeconds": 2, "delayMs": 0, "fired": 0},
    ]

    @classmethod
    def setUpClass(cls):
        folder = temporary_folder(cls)
        fixtures = folder / "fixtures"
        fixtures.mkdir()
        write_json(None, "a-demo.json", load_demo(), fixtures)
        write_json(None, "b-faults.json", {"instances": [], "faults": [
            {"error": "ServiceQuotaExceededException", "match": {"instanceId": "quota-instance"},
             "count": 2},
            {"error": "AccessDeniedException", "match": {"accessKeyId": "AKIAMALLORY"}}]},
            fixtures)
        faults_file = write_json(None, "faults.json", {"faults": [
            {"error": "InternalServerException", "match": {"instanceId": "broken-instance"},
             "retryAfterSeconds": 2}]}, folder)
        # After the harness's --fixtures: the last of a repeated flag wins.
        cls.server_flags = ("--fixtures", str(fixtures), "--faults", str(faults_file))
        super().setUpClass()

    def test_start_rules_are_loaded_in_order_and_fire(self):
        self.assertEqual(self.control.faults(), self.START_FAULTS)
        alice = qapps_client(self.server.endpoint)
        error = error_call(self, alice, "ServiceQuotaExceededException",
                           instanceId="quota-instance", sessionId=SHARED.session_id)
        self.assertEqual((error["resourceId"], error["resourceType"]),
                         (SHARED.session_id, "QAppSession"))
        error = error_call(self, alice, "InternalServerException", instanceId="broken-instance",
                           sessionId=SHARED.session_id)
        self.assertEqual(error["retryAfterSeconds"], 2)
        mallory = qapps_client(self.server.endpoint, "AKIAMALLORY")
        error_call(self, mallory, "AccessDeniedException", instanceId=SHARED.instance_id,
                   sessionId=SHARED.session_id)
        self.assertEqual([(f["id"], f["fired"]) for f in self.control.faults()],
                         [(1, 1), (2, 1), (3, 1)])

    def test_reset_restores_the_start_state(self):
        start = self.control.observable_state()
        self.assertEqual(start["faults"], self.START_FAULTS)
        self.assertEqual(start["requests"], [])
        self.assertEqual(start["sessions"], expected_listing(load_demo()))

        # Change everything a test can change.
        self.control.load_fixtures(NEW_INSTANCE)
        self.control.load_fixtures({"instances": [{"instanceId": SHARED.instance_id, "sessions": [
            {**SHARED.session, "sessionName": "Renamed"}]}]})
        added = self.control.add_fault({"delayMs": 5, "match": {"instanceId": "elsewhere"}})
        self.control.remove_fault(2)
        alice = qapps_client(self.server.endpoint)
        error_call(self, alice, "ServiceQuotaExceededException", instanceId="quota-instance",
                   sessionId=SHARED.session_id)
        dave = qapps_client(self.server.endpoint, "AKIADAVE")
        new_session = NEW_INSTANCE["instances"][0]["sessions"][0]["sessionId"]
        error_call(self, dave, "ThrottlingException", instanceId="runtime-instance",
                   sessionId=new_session)
        self.assertEqual(dave.get_q_app_session_metadata(
            instanceId="runtime-instance", sessionId=new_session)["sessionId"], new_session)
        changed = self.control.observable_state()
        for part in ("health", "sessions", "faults", "requests"):
            self.assertNotEqual(changed[part], start[part], part)
        self.assertIn(added, [f["id"] for f in changed["faults"]])

        answer = self.control.request("POST", "/_qapps/reset")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.body, {**start["health"], "status": "reset"})
        self.assertEqual(self.control.observable_state(), start)

        # What boto3 sees: the run-time session is gone, the start session has its start name,
        # the start rule with a count fires its two times again.
        error = error_call(self, dave, "ResourceNotFoundException", instanceId="runtime-instance",
                           sessionId=new_session)
        self.assertEqual((error["resourceId"], error["resourceType"]),
                         ("runtime-instance", "Instance"))
        response = alice.get_q_app_session_metadata(instanceId=SHARED.instance_id,
                                                    sessionId=SHARED.session_id)
        self.assertEqual(without_metadata(response), SHARED.expected_metadata(True))
        for _ in range(2):
            error_call(self, alice, "ServiceQuotaExceededException", instanceId="quota-instance",
                       sessionId=SHARED.session_id)
        error_call(self, alice, "ResourceNotFoundException", instanceId="quota-instance",
                   sessionId=SHARED.session_id)


class JournalSize(unittest.TestCase):
    def test_journal_size_bounds_the_journal(self):
        server = ServerProcess("--journal-size", "5").start()
        self.addCleanup(server.stop_expecting_success)
        client = qapps_client(server.endpoint)
        request_ids = [client.get_q_app_session_metadata(
            instanceId=SHARED.instance_id, sessionId=SHARED.session_id)
            ["ResponseMetadata"]["RequestId"] for _ in range(8)]
        control = ControlPlane(server.port)
        self.assertEqual([e["requestId"] for e in control.requests()], request_ids[-5:])
        self.assertEqual(control.health()["requests"], 5)


class StartFailures(unittest.TestCase):
    """A bad --faults file (or bad faults in a fixture) stops the start with one clear line."""

    def assert_refused_to_start(self, flags, fixtures, *expected_parts):
        code, stdout, stderr = server_exit(*flags, fixtures=fixtures)
        self.assertNotEqual(code, 0)
        self.assertFalse([line for line in stdout if "listening" in line], stdout)
        self.assertEqual(len(stderr), 1, stderr)
        for part in expected_parts:
            self.assertIn(part, stderr[0])
        return stderr[0]

    def test_a_bad_rule_in_the_faults_file(self):
        path = write_json(self, "bad.json", {"faults": [
            {"error": "ThrottlingException"},
            {"error": "ThrottlingException", "match": {"sessionId": "abc"}}]})
        line = self.assert_refused_to_start(("--faults", str(path)), None)
        self.assertEqual(line, f"qapps-local: {path}: faults[1].match.sessionId: "
                               f"{BAD_SESSION_REASON}")

    def test_invalid_json_in_the_faults_file(self):
        path = write_json(self, "broken.json", '{"faults": [\n  {"error": }]}')
        line = self.assert_refused_to_start(("--faults", str(path)), None)
        self.assertEqual(line, f"qapps-local: {path}: invalid JSON at line 2, column 13: "
                               "syntax error")

    def test_a_faults_file_of_another_shape(self):
        path = write_json(self, "shape.json", {"faults": {"error": "ThrottlingException"}})
        line = self.assert_refused_to_start(("--faults", str(path)), None)
        self.assertEqual(line, f"qapps-local: {path}: faults: expected an array, got object")

    def test_a_missing_faults_file(self):
        folder = temporary_folder(self)
        self.assert_refused_to_start(("--faults", str(folder / "none.json")), None,
                                     str(folder / "none.json"))

    def test_a_bad_rule_in_a_start_fixture(self):
        folder = temporary_folder(self)
        write_json(self, "a.json", load_demo(), folder)
        bad = write_json(self, "b.json", {"instances": [], "faults": [
            {"delayMs": 5}, {"error": "ThrottlingException", "probability": 2}]}, folder)
        line = self.assert_refused_to_start((), folder)
        self.assertEqual(line, f"qapps-local: {bad}: faults[1].probability: must be from 0 to 1, "
                               "got 2")

    def test_a_good_faults_file_starts(self):
        path = write_json(self, "good.json", {"faults": [
            {"error": "ThrottlingException", "count": 1}, {"delayMs": 1}]})
        server = ServerProcess("--faults", str(path)).start()
        self.addCleanup(server.stop_expecting_success)
        self.assertEqual([(f["id"], f.get("error")) for f in ControlPlane(server.port).faults()],
                         [(1, "ThrottlingException"), (2, None)])


if __name__ == "__main__":
    unittest.main()
