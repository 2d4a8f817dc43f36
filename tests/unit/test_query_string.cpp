#include <doctest/doctest.h>

#include "query_string.hpp"

using qapps::query_parameter;
using qapps::target_path;

TEST_CASE("target_path drops the query") {
    CHECK(target_path("/runtime.getQAppSessionMetadata?sessionId=x") ==
          "/runtime.getQAppSessionMetadata");
    CHECK(target_path("/_qapps/health") == "/_qapps/health");
    CHECK(target_path("/?") == "/");
}

TEST_CASE("query_parameter finds, decodes and distinguishes absent from empty") {
    CHECK(query_parameter("/p?sessionId=abc", "sessionId") == "abc");
    CHECK(query_parameter("/p?a=1&sessionId=x%2Dy&sessionId=second", "sessionId") == "x-y");
    CHECK(query_parameter("/p?sessionId=a+b%20c", "sessionId") == "a b c");
    CHECK(query_parameter("/p?sessionId=", "sessionId") == "");
    CHECK(query_parameter("/p?sessionId", "sessionId") == "");
    CHECK_FALSE(query_parameter("/p?sessionid=abc", "sessionId").has_value());
    CHECK_FALSE(query_parameter("/p", "sessionId").has_value());
    CHECK_FALSE(query_parameter("/p?", "sessionId").has_value());
}

TEST_CASE("malformed escapes are kept as sent") {
    CHECK(query_parameter("/p?sessionId=%zz%4", "sessionId") == "%zz%4");
    CHECK(query_parameter("/p?sessionId=%41", "sessionId") == "A");
}
