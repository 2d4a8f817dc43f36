"""GetQAppSessionMetadata through boto3 for every demo session, as its owner and as another user.

The expected answers are computed from fixtures/demo.json (harness.DemoSession), so the test
follows the fixture when it changes.
"""

import unittest
from concurrent.futures import ThreadPoolExecutor

from harness import (UUID_RE, ServerTestCase, demo_sessions, load_demo, qapps_client,
                     without_metadata)


class EveryDemoSession(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = load_demo()
        cls.clients = {}

    def client_for(self, key: str, region: str):
        if (key, region) not in self.clients:
            self.clients[(key, region)] = qapps_client(self.server.endpoint, key, region)
        return self.clients[(key, region)]

    def call(self, session, key):
        return self.client_for(key, session.region).get_q_app_session_metadata(
            instanceId=session.instance_id, sessionId=session.session_id)

    def assert_metadata_ok(self, response):
        metadata = response["ResponseMetadata"]
        self.assertEqual(metadata["HTTPStatusCode"], 200)
        self.assertRegex(metadata["RequestId"], UUID_RE)
        headers = metadata["HTTPHeaders"]
        self.assertEqual(headers.get("x-amzn-requestid"), metadata["RequestId"])
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(metadata["RetryAttempts"], 0)

    def test_the_fixture_has_sessions_of_every_kind(self):
        sessions = list(demo_sessions(self.document))
        self.assertEqual(len(sessions), 10)
        self.assertTrue(any(s.shared for s in sessions))
        self.assertTrue(any(not s.shared for s in sessions))
        self.assertTrue(any("sessionName" not in s.session for s in sessions))
        self.assertTrue(any("sessionArn" in s.session for s in sessions))
        self.assertTrue(any("revealCards" not in s.session["sharingConfiguration"]
                            for s in sessions))

    def test_owner_gets_the_whole_metadata(self):
        for session in demo_sessions(self.document):
            key = session.owner_key()
            with self.subTest(session=session.session_id, caller=key):
                response = self.call(session, key)
                self.assert_metadata_ok(response)
                self.assertEqual(without_metadata(response), session.expected_metadata(True))

    def test_non_owner_gets_shared_sessions_and_is_refused_unshared_ones(self):
        for session in demo_sessions(self.document):
            key = session.non_owner_key(self.document)
            with self.subTest(session=session.session_id, caller=key, shared=session.shared):
                client = self.client_for(key, session.region)
                if session.shared:
                    response = self.call(session, key)
                    self.assert_metadata_ok(response)
                    self.assertEqual(without_metadata(response),
                                     session.expected_metadata(False))
                    continue
                with self.assertRaises(client.exceptions.AccessDeniedException) as caught:
                    self.call(session, key)
                error = caught.exception.response
                self.assertEqual(error["Error"]["Code"], "AccessDeniedException")
                self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 403)
                self.assertIn(session.session_id, error["Error"]["Message"])

    def test_unknown_key_is_its_own_user_in_lenient_mode(self):
        # A key no fixture user holds is a caller whose user id is the key: it owns nothing.
        session = next(s for s in demo_sessions(self.document) if s.shared)
        response = self.call(session, "AKIANOBODY")
        self.assert_metadata_ok(response)
        self.assertEqual(without_metadata(response), session.expected_metadata(False))

    def test_session_id_is_matched_exactly_not_case_folded(self):
        # The pattern allows an upper-case variant nibble: 'B' instead of 'b' is a different id.
        session = next(s for s in demo_sessions(self.document)
                       if s.session_id[19] in "ab" and s.shared)
        client = self.client_for(session.owner_key(), session.region)
        other_id = session.session_id[:19] + session.session_id[19].upper() + session.session_id[20:]
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_q_app_session_metadata(instanceId=session.instance_id, sessionId=other_id)
        self.assertEqual(caught.exception.response["resourceId"], other_id)
        self.assertEqual(caught.exception.response["resourceType"], "QAppSession")

    def test_request_ids_differ_between_calls(self):
        session = next(s for s in demo_sessions(self.document) if s.shared)
        ids = {self.call(session, session.owner_key())["ResponseMetadata"]["RequestId"]
               for _ in range(5)}
        self.assertEqual(len(ids), 5)


class ConcurrentCalls(ServerTestCase):
    server_flags = ("--threads", "4")

    def test_parallel_clients_all_get_their_answers(self):
        document = load_demo()
        sessions = [s for s in demo_sessions(document)]

        def calls(worker: int):
            client = qapps_client(self.server.endpoint, "AKIAALICE")
            results = []
            for n in range(25):
                session = sessions[(worker + n) % len(sessions)]
                try:
                    response = client.get_q_app_session_metadata(
                        instanceId=session.instance_id, sessionId=session.session_id)
                except client.exceptions.AccessDeniedException as denied:
                    results.append((session, None, denied.response["ResponseMetadata"]))
                else:
                    results.append((session, without_metadata(response),
                                    response["ResponseMetadata"]))
            return results

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = [r for batch in pool.map(calls, range(8)) for r in batch]
        self.assertEqual(len(results), 200)
        self.assertEqual(len({metadata["RequestId"] for _, _, metadata in results}), 200)
        for session, body, metadata in results:
            is_owner = session.owner_user_id() == "alice"
            if session.shared or is_owner:
                self.assertEqual(body, session.expected_metadata(is_owner))
            else:
                self.assertIsNone(body)
                self.assertEqual(metadata["HTTPStatusCode"], 403)


if __name__ == "__main__":
    unittest.main()
