// Reading JSON that people write (fixture files, `--faults FILE`, control-plane request bodies)
// so that every refusal says where to look: each one is FixtureError(source, JSON path, reason),
// worded the same whichever document is read, e.g.
//   fixtures/demo.json: invalid JSON at line 3, column 15: syntax error
//   faults.json: faults[2].match.sessionId: expected a string, got null
// The fixture parser and the fault-rule parser share these so that their messages cannot drift
// apart. Pure functions, and a reader that only refers to its source name: safe on any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace qapps {

// The one JSON value `text` holds. Invalid JSON, empty text and anything after the value are
// refused with FixtureError(source, "", "invalid JSON at line L, column C: <Boost.JSON's
// reason>"), L and C 1-based as editors number them (C in bytes).
boost::json::value parse_json_text(std::string_view text, const std::string& source);

// A value's type as refusals name it: "null", "boolean", "number", "string", "array", "object".
std::string kind_of(const boost::json::value& value);

// JSON paths as refusals print them: member_path("faults[2]", "match") is "faults[2].match",
// member_path("", "faults") is "faults", index_path("faults", 2) is "faults[2]".
std::string member_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& array_path, std::size_t index);

// Reads the fields of one document, refusing with FixtureError(source, the field's path, reason).
// A wrong type, null included, is refused as "expected a string, got null". Parsers derive from
// it and add the fields and checks that only their documents have.
class JsonFieldReader {
  public:
    // `source` names the document in refusals (a file path, "request body") and must outlive
    // the reader.
    explicit JsonFieldReader(const std::string& source) : source_(source) {}

    const std::string& source() const { return source_; }

    [[noreturn]] void fail(std::string path, std::string reason) const;

    // The document's root, which must be an object; the refusal has an empty path.
    const boost::json::object& expect_top_level_object(const boost::json::value& root) const;
    const boost::json::object& expect_object(const boost::json::value& value,
                                             const std::string& path) const;

    // Refuses the first member whose key is not in `known` ("unknown field 'x'"). Call it before
    // looking for required fields, so that a misspelt field is reported as the typo it is
    // rather than as missing, or as a field that silently does nothing.
    void refuse_unknown_fields(const boost::json::object& object, const std::string& path,
                               std::initializer_list<std::string_view> known) const;

    // The member `key` of `object` (at `path`), refused as "missing required field" if absent.
    const boost::json::value& required(const boost::json::object& object, const std::string& path,
                                       std::string_view key) const;

    // The string member `key`, or nullopt if absent. An empty string is refused ("must not be
    // empty") unless `allow_empty`.
    std::optional<std::string> optional_string(const boost::json::object& object,
                                               const std::string& path, std::string_view key,
                                               bool allow_empty) const;

  private:
    const std::string& source_;
};

}  // namespace qapps
