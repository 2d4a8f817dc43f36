#include "json_input.hpp"

#include <algorithm>
#include <boost/json/stream_parser.hpp>
#include <utility>

#include "fixture_error.hpp"

namespace qapps {
namespace {

namespace json = boost::json;

// 1-based line and column (in bytes) of `offset` in `text`, as editors number them.
std::string describe_position(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace

json::value parse_json_text(std::string_view text, const std::string& source) {
    // stream_parser rather than json::parse: write() says how many bytes it consumed before
    // the error, which is where the error is.
    json::stream_parser parser;
    boost::system::error_code error;
    const std::size_t consumed = parser.write(text.data(), text.size(), error);
    if (!error) parser.finish(error);
    if (error) {
        throw FixtureError(
            source, "",
            "invalid JSON at " + describe_position(text, consumed) + ": " + error.message());
    }
    return parser.release();
}

std::string kind_of(const json::value& value) {
    switch (value.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "boolean";
        case json::kind::int64:
        case json::kind::uint64:
        case json::kind::double_:
            return "number";
        case json::kind::string:
            return "string";
        case json::kind::array:
            return "array";
        case json::kind::object:
            return "object";
    }
    return "unknown";
}

std::string member_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& array_path, std::size_t index) {
    return array_path + "[" + std::to_string(index) + "]";
}

void JsonFieldReader::fail(std::string path, std::string reason) const {
    throw FixtureError(source_, std::move(path), std::move(reason));
}

const json::object& JsonFieldReader::expect_top_level_object(const json::value& root) const {
    if (!root.is_object())
        fail("", "expected a JSON object at the top level, got " + kind_of(root));
    return root.get_object();
}

const json::object& JsonFieldReader::expect_object(const json::value& value,
                                                   const std::string& path) const {
    if (!value.is_object()) fail(path, "expected an object, got " + kind_of(value));
    return value.get_object();
}

void JsonFieldReader::refuse_unknown_fields(const json::object& object, const std::string& path,
                                            std::initializer_list<std::string_view> known) const {
    for (const auto& member : object) {
        const bool is_known =
            std::any_of(known.begin(), known.end(),
                        [&member](std::string_view name) { return member.key() == name; });
        if (!is_known)
            fail(member_path(path, member.key()),
                 "unknown field '" + std::string(member.key()) + "'");
    }
}

const json::value& JsonFieldReader::required(const json::object& object, const std::string& path,
                                             std::string_view key) const {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) fail(member_path(path, key), "missing required field");
    return *value;
}

std::optional<std::string> JsonFieldReader::optional_string(const json::object& object,
                                                            const std::string& path,
                                                            std::string_view key,
                                                            bool allow_empty) const {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string())
        fail(member_path(path, key), "expected a string, got " + kind_of(*value));
    const json::string& text = value->get_string();
    if (text.empty() && !allow_empty) fail(member_path(path, key), "must not be empty");
    return std::string(text);
}

}  // namespace qapps
