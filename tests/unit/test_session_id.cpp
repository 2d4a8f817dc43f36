// is_valid_session_id must accept exactly what the model's pattern accepts:
// [\da-f]{8}-[\da-f]{4}-[45][\da-f]{3}-[89ABab][\da-f]{3}-[\da-f]{12}, as a full match.
#include <doctest/doctest.h>

#include <string>

#include "session_id.hpp"

using qapps::is_valid_session_id;

TEST_CASE("session id: a lowercase version 4 id is valid") {
    CHECK(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789ab"));
}

TEST_CASE("session id: version 5 is valid") {
    CHECK(is_valid_session_id("8f6e2a10-4b1c-5d2e-9f3a-0123456789ab"));
}

TEST_CASE("session id: versions other than 4 and 5 are rejected") {
    for (const char version : std::string("01236789abcdef")) {
        std::string id = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
        id[14] = version;
        CAPTURE(id);
        CHECK_FALSE(is_valid_session_id(id));
    }
}

TEST_CASE("session id: every variant nibble of [89ABab] is valid") {
    for (const char variant : std::string("89ABab")) {
        std::string id = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
        id[19] = variant;
        CAPTURE(id);
        CHECK(is_valid_session_id(id));
    }
}

TEST_CASE("session id: other variant nibbles are rejected") {
    for (const char variant : std::string("01234567cdefCDEF")) {
        std::string id = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
        id[19] = variant;
        CAPTURE(id);
        CHECK_FALSE(is_valid_session_id(id));
    }
}

TEST_CASE("session id: uppercase hex is rejected outside the variant nibble") {
    CHECK_FALSE(is_valid_session_id("8F6E2A10-4B1C-4D2E-9F3A-0123456789AB"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789aB"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4B1c-4d2e-9f3a-0123456789ab"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3A-0123456789ab"));
}

TEST_CASE("session id: wrong lengths are rejected") {
    CHECK_FALSE(is_valid_session_id(""));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789a"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789abc"));
    CHECK_FALSE(is_valid_session_id(" 8f6e2a10-4b1c-4d2e-9f3a-0123456789ab"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789ab\n"));
}

TEST_CASE("session id: dashes must be exactly at 8, 13, 18 and 23") {
    CHECK_FALSE(is_valid_session_id("8f6e2a104b1c4d2e9f3a0123456789ab"));
    CHECK_FALSE(is_valid_session_id("8f6e2a1-04b1c-4d2e-9f3a-0123456789ab"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10_4b1c-4d2e-9f3a-0123456789ab"));
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-01234567-9ab"));
    CHECK_FALSE(is_valid_session_id("{8f6e2a10-4b1c-4d2e-9f3a-0123456789a}"));
}

TEST_CASE("session id: non-hex characters are rejected") {
    CHECK_FALSE(is_valid_session_id("8f6e2a10-4b1c-4d2e-9f3a-0123456789ag"));
    CHECK_FALSE(is_valid_session_id("zf6e2a10-4b1c-4d2e-9f3a-0123456789ab"));
}

TEST_CASE("session id: an embedded NUL is rejected") {
    std::string id = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
    id[3] = '\0';
    CHECK_FALSE(is_valid_session_id(id));
}
