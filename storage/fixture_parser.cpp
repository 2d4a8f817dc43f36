#include "fixture_parser.hpp"

#include <cstddef>
#include <optional>
#include <unordered_map>

#include "json_input.hpp"
#include "session_id.hpp"

namespace qapps {
namespace {

namespace json = boost::json;

constexpr std::string_view kDefaultAccountId = "123456789012";
constexpr std::string_view kDefaultRegion = "us-east-1";
constexpr std::size_t kSessionNameMaxCharacters = 100;  // the model's SessionName max

// The model counts characters, not bytes: count UTF-8 lead bytes (everything that is not a
// 10xxxxxx continuation byte).
std::size_t count_code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++count;
    return count;
}

bool is_twelve_digits(std::string_view text) {
    if (text.size() != 12) return false;
    for (const char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

// Walks one document, remembering where it is so that every refusal names the JSON path.
class Parser : private JsonFieldReader {
  public:
    explicit Parser(const std::string& source) : JsonFieldReader(source) {}

    FixtureDocument parse(const json::value& root) {
        const json::object& top = expect_top_level_object(root);
        refuse_unknown_fields(top, "", {"instances", "faults"});

        FixtureDocument document;
        document.source = source();
        if (const json::array* instances = optional_array(top, "", "instances")) {
            for (std::size_t i = 0; i < instances->size(); ++i)
                document.instances.push_back(
                    parse_instance((*instances)[i], index_path("instances", i)));
        }
        if (const json::array* faults = optional_array(top, "", "faults"))
            document.faults = *faults;
        return document;
    }

  private:
    // --- field access beyond JsonFieldReader's, refusing in the same way ------------------------

    std::string required_string(const json::object& object, const std::string& path,
                                std::string_view key) const {
        required(object, path, key);
        return *optional_string(object, path, key, /*allow_empty=*/false);
    }

    std::optional<bool> optional_bool(const json::object& object, const std::string& path,
                                      std::string_view key) const {
        const json::value* value = object.if_contains(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_bool())
            fail(member_path(path, key), "expected a boolean, got " + kind_of(*value));
        return value->get_bool();
    }

    bool required_bool(const json::object& object, const std::string& path,
                       std::string_view key) const {
        required(object, path, key);
        return *optional_bool(object, path, key);
    }

    const json::array* optional_array(const json::object& object, const std::string& path,
                                      std::string_view key) const {
        const json::value* value = object.if_contains(key);
        if (value == nullptr) return nullptr;
        if (!value->is_array())
            fail(member_path(path, key), "expected an array, got " + kind_of(*value));
        return &value->get_array();
    }

    // --- the document's parts ------------------------------------------------------------------

    FixtureInstance parse_instance(const json::value& value, const std::string& path) {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(object, path,
                              {"instanceId", "accountId", "region", "users", "sessions"});

        FixtureInstance instance;
        instance.path = path;
        instance.instance.instance_id = required_string(object, path, "instanceId");
        if (const auto [it, inserted] =
                instance_paths_.emplace(instance.instance.instance_id, path);
            !inserted) {
            fail(member_path(path, "instanceId"), "duplicate instanceId '" +
                                                      instance.instance.instance_id +
                                                      "' (first at " + it->second + ")");
        }

        instance.instance.account_id =
            optional_string(object, path, "accountId", /*allow_empty=*/true)
                .value_or(std::string(kDefaultAccountId));
        if (!is_twelve_digits(instance.instance.account_id)) {
            fail(member_path(path, "accountId"),
                 "must be exactly 12 digits, got '" + instance.instance.account_id + "'");
        }
        instance.instance.region = optional_string(object, path, "region", /*allow_empty=*/false)
                                       .value_or(std::string(kDefaultRegion));

        // Duplicates are looked for within one instance only: the same user or session id
        // under two instances are two different things.
        std::unordered_map<std::string, std::string> user_paths;
        if (const json::array* users = optional_array(object, path, "users")) {
            const std::string users_path = member_path(path, "users");
            for (std::size_t j = 0; j < users->size(); ++j) {
                instance.users.push_back(parse_user((*users)[j], index_path(users_path, j),
                                                    instance.instance, user_paths));
            }
        }

        std::unordered_map<std::string, std::string> session_paths;
        if (const json::array* sessions = optional_array(object, path, "sessions")) {
            const std::string sessions_path = member_path(path, "sessions");
            for (std::size_t k = 0; k < sessions->size(); ++k) {
                instance.sessions.push_back(parse_session((*sessions)[k],
                                                          index_path(sessions_path, k),
                                                          instance.instance, session_paths));
            }
        }
        return instance;
    }

    FixtureUser parse_user(const json::value& value, const std::string& path,
                           const InstanceRecord& instance,
                           std::unordered_map<std::string, std::string>& user_paths) {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(object, path, {"userId", "accessKeyId", "secretAccessKey"});

        FixtureUser user;
        user.path = path;
        user.user.instance_id = instance.instance_id;
        user.user.user_id = required_string(object, path, "userId");
        if (const auto [it, inserted] = user_paths.emplace(user.user.user_id, path); !inserted) {
            fail(member_path(path, "userId"),
                 "duplicate userId '" + user.user.user_id + "' (first at " + it->second + ")");
        }

        user.user.access_key_id = required_string(object, path, "accessKeyId");
        // Keys identify callers across every instance, so one key may not name two user ids
        // anywhere in the document; the same user holding it in two instances is fine.
        if (const auto [it, inserted] =
                key_holders_.emplace(user.user.access_key_id, KeyHolder{user.user.user_id, path});
            !inserted && it->second.user_id != user.user.user_id) {
            fail(member_path(path, "accessKeyId"),
                 "access key id '" + user.user.access_key_id + "' already belongs to user '" +
                     it->second.user_id + "' (first at " + it->second.path + ")");
        }

        user.user.secret_access_key = required_string(object, path, "secretAccessKey");
        return user;
    }

    FixtureSession parse_session(const json::value& value, const std::string& path,
                                 const InstanceRecord& instance,
                                 std::unordered_map<std::string, std::string>& session_paths) {
        const json::object& object = expect_object(value, path);
        refuse_unknown_fields(
            object, path,
            {"sessionId", "sessionName", "owner", "appId", "sessionArn", "sharingConfiguration"});

        FixtureSession fixture;
        fixture.path = path;
        SessionRecord& session = fixture.session;
        session.instance_id = instance.instance_id;

        session.session_id = required_string(object, path, "sessionId");
        if (!is_valid_session_id(session.session_id)) {
            fail(member_path(path, "sessionId"),
                 "not a valid session id: must match " + std::string(kSessionIdPattern));
        }
        if (const auto [it, inserted] = session_paths.emplace(session.session_id, path);
            !inserted) {
            fail(member_path(path, "sessionId"),
                 "duplicate sessionId '" + session.session_id + "' (first at " + it->second + ")");
        }

        // The model allows an empty name (min 0), so an empty one is kept, not refused.
        session.session_name = optional_string(object, path, "sessionName", /*allow_empty=*/true);
        if (session.session_name) {
            const std::size_t characters = count_code_points(*session.session_name);
            if (characters > kSessionNameMaxCharacters) {
                fail(member_path(path, "sessionName"),
                     "must be at most " + std::to_string(kSessionNameMaxCharacters) +
                         " characters, got " + std::to_string(characters));
            }
        }

        session.owner = required_string(object, path, "owner");
        session.app_id = optional_string(object, path, "appId", /*allow_empty=*/false);
        session.session_arn = optional_string(object, path, "sessionArn", /*allow_empty=*/false)
                                  .value_or(derive_session_arn(instance, session.session_id));

        const std::string sharing_path = member_path(path, "sharingConfiguration");
        const json::object& sharing =
            expect_object(required(object, path, "sharingConfiguration"), sharing_path);
        refuse_unknown_fields(sharing, sharing_path, {"enabled", "acceptResponses", "revealCards"});
        session.sharing.enabled = required_bool(sharing, sharing_path, "enabled");
        session.sharing.accept_responses = optional_bool(sharing, sharing_path, "acceptResponses");
        session.sharing.reveal_cards = optional_bool(sharing, sharing_path, "revealCards");
        return fixture;
    }

    struct KeyHolder {
        std::string user_id;
        std::string path;
    };

    std::unordered_map<std::string, std::string> instance_paths_;  // instanceId -> first path
    std::unordered_map<std::string, KeyHolder> key_holders_;       // accessKeyId -> first user
};

}  // namespace

FixtureDocument parse_fixture_text(std::string_view text, const std::string& source) {
    return parse_fixture_value(parse_json_text(text, source), source);
}

FixtureDocument parse_fixture_value(const boost::json::value& root, const std::string& source) {
    return Parser(source).parse(root);
}

std::string derive_session_arn(const InstanceRecord& instance, std::string_view session_id) {
    return "arn:aws:qapps:" + instance.region + ":" + instance.account_id + ":application/" +
           instance.instance_id + "/qapp-session/" + std::string(session_id);
}

}  // namespace qapps
