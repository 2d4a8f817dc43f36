// Turns fixture JSON into a FixtureDocument, refusing anything malformed with the source, the
// JSON path and the reason (FixtureError). Pure: touches no database. Checks that need stored
// state (owner references, keys shared across documents) are SqliteStore::apply's.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "fixture_document.hpp"

namespace qapps {

// `source` names the document in errors: a file path, or "request body".
FixtureDocument parse_fixture_text(std::string_view text, const std::string& source);
FixtureDocument parse_fixture_value(const boost::json::value& root, const std::string& source);

// The ARN given to a session whose fixture does not set sessionArn.
std::string derive_session_arn(const InstanceRecord& instance, std::string_view session_id);

}  // namespace qapps
