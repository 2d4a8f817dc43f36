#include <doctest/doctest.h>

#include <set>

#include "request_id.hpp"
#include "session_id.hpp"

TEST_CASE("request ids are distinct version-4 UUIDs") {
    qapps::RequestIdGenerator ids{42};
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
        const auto id = ids.next();
        // The model's UUID pattern accepts version 4 with the RFC variant, in lowercase.
        REQUIRE(qapps::is_valid_session_id(id));
        CHECK(id[14] == '4');
        seen.insert(id);
    }
    CHECK(seen.size() == 10000);
}

TEST_CASE("two generators with different keys give different ids") {
    qapps::RequestIdGenerator first{1};
    qapps::RequestIdGenerator second{2};
    CHECK(first.next() != second.next());
}
