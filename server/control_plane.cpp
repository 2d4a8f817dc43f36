#include "control_plane.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api_error.hpp"
#include "expected.hpp"
#include "fixture_error.hpp"
#include "fixture_loader.hpp"
#include "fixture_parser.hpp"
#include "json_input.hpp"
#include "json_response.hpp"
#include "query_string.hpp"

namespace qapps {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view kFaultsPath = "/_qapps/faults";
constexpr std::string_view kBodySource = "request body";

struct Reply {
    http::status status = http::status::ok;
    json::value body;
};

using Result = Expected<Reply>;

json::object session_to_json(const SessionRecord& session) {
    json::object sharing;
    sharing["enabled"] = session.sharing.enabled;
    if (session.sharing.accept_responses)
        sharing["acceptResponses"] = *session.sharing.accept_responses;
    if (session.sharing.reveal_cards) sharing["revealCards"] = *session.sharing.reveal_cards;

    json::object out;
    out["instanceId"] = session.instance_id;
    out["sessionId"] = session.session_id;
    out["sessionArn"] = session.session_arn;
    if (session.session_name) out["sessionName"] = *session.session_name;
    out["owner"] = session.owner;
    out["ownerUserId"] = session.owner_user_id;
    if (session.app_id) out["appId"] = *session.app_id;
    out["sharingConfiguration"] = std::move(sharing);
    return out;
}

json::array ids_to_json(const std::vector<std::uint64_t>& ids) {
    json::array out;
    for (auto id : ids) out.emplace_back(id);
    return out;
}

Result health(ControlPlaneDeps& deps) {
    const auto counts = deps.store.counts();
    json::object body;
    body["status"] = "ok";
    body["version"] = deps.version;
    body["instances"] = counts.instances;
    body["users"] = counts.users;
    body["sessions"] = counts.sessions;
    body["faults"] = deps.faults.size();
    body["requests"] = deps.journal.size();
    return Reply{http::status::ok, std::move(body)};
}

Result load_fixtures(const HttpRequest& request, ControlPlaneDeps& deps) {
    try {
        const auto document = parse_fixture_value(
            parse_json_text(request.body(), std::string(kBodySource)), std::string(kBodySource));
        auto rules = load_fixture_documents({&document, 1}, deps.store);
        const auto ids = deps.faults.upsert_all(std::move(rules));

        std::size_t users = 0;
        std::size_t sessions = 0;
        for (const auto& instance : document.instances) {
            users += instance.users.size();
            sessions += instance.sessions.size();
        }
        json::object body;
        body["instances"] = document.instances.size();
        body["users"] = users;
        body["sessions"] = sessions;
        body["faultIds"] = ids_to_json(ids);
        return Reply{http::status::ok, std::move(body)};
    } catch (const FixtureError& error) {
        return ApiError::bad_request(error.what());
    }
}

Result list_sessions(const HttpRequest& request, ControlPlaneDeps& deps) {
    json::array sessions;
    for (const auto& session :
         deps.store.list_sessions(query_parameter(request.target(), "instanceId")))
        sessions.push_back(session_to_json(session));
    return Reply{http::status::ok, json::object{{"sessions", std::move(sessions)}}};
}

Result add_fault(const HttpRequest& request, ControlPlaneDeps& deps) {
    try {
        auto rule = parse_fault_rule(parse_json_text(request.body(), std::string(kBodySource)),
                                     std::string(kBodySource), "");
        const auto id = deps.faults.add(std::move(rule));
        return Reply{http::status::created, json::object{{"id", id}}};
    } catch (const FixtureError& error) {
        return ApiError::bad_request(error.what());
    }
}

Result remove_fault(std::string_view id_text, ControlPlaneDeps& deps) {
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (error != std::errc{} || end != id_text.data() + id_text.size() || id == 0)
        return ApiError::bad_request("fault rule id '" + std::string(id_text) +
                                     "' is not a positive integer");
    if (!deps.faults.remove(id))
        return ApiError::not_found("no fault rule with id " + std::to_string(id));
    return Reply{http::status::ok, json::object{{"deleted", id}}};
}

Result clear_faults(ControlPlaneDeps& deps) {
    const auto removed = deps.faults.size();
    deps.faults.clear();
    return Reply{http::status::ok, json::object{{"deleted", removed}}};
}

Result clear_requests(ControlPlaneDeps& deps) {
    const auto removed = deps.journal.size();
    deps.journal.clear();
    return Reply{http::status::ok, json::object{{"deleted", removed}}};
}

Result reset(ControlPlaneDeps& deps) {
    deps.store.restore_snapshot();
    deps.faults.reset(deps.start.fault_rules, deps.start.seed);
    deps.journal.clear();
    auto reply = health(deps);
    reply->body.as_object()["status"] = "reset";
    return reply;
}

// One path: which methods it answers, and the answer for the request's method.
Result dispatch(const HttpRequest& request, ControlPlaneDeps& deps, std::string_view path) {
    const auto method = request.method();
    const auto not_allowed = [&](std::string allowed) -> Result {
        return ApiError::method_not_allowed(request.method_string(), std::move(allowed));
    };

    if (path == "/_qapps/health")
        return method == http::verb::get ? health(deps) : not_allowed("GET");
    if (path == "/_qapps/fixtures")
        return method == http::verb::post ? load_fixtures(request, deps) : not_allowed("POST");
    if (path == "/_qapps/sessions")
        return method == http::verb::get ? list_sessions(request, deps) : not_allowed("GET");
    if (path == kFaultsPath) {
        if (method == http::verb::get)
            return Reply{http::status::ok, json::object{{"faults", deps.faults.list()}}};
        if (method == http::verb::post) return add_fault(request, deps);
        if (method == http::verb::delete_) return clear_faults(deps);
        return not_allowed("GET, POST, DELETE");
    }
    if (path.starts_with(kFaultsPath) && path[kFaultsPath.size()] == '/') {
        return method == http::verb::delete_
                   ? remove_fault(path.substr(kFaultsPath.size() + 1), deps)
                   : not_allowed("DELETE");
    }
    if (path == "/_qapps/requests") {
        if (method == http::verb::get)
            return Reply{http::status::ok, json::object{{"requests", deps.journal.to_json()}}};
        if (method == http::verb::delete_) return clear_requests(deps);
        return not_allowed("GET, DELETE");
    }
    if (path == "/_qapps/reset")
        return method == http::verb::post ? reset(deps) : not_allowed("POST");
    return ApiError::unknown_operation(request.method_string(), request.target());
}

}  // namespace

HttpResponse handle_control_plane(const HttpRequest& request, ControlPlaneDeps& deps,
                                  std::string_view request_id) {
    auto result = dispatch(request, deps, target_path(request.target()));
    if (!result) return to_http_response(result.error(), request_id, request.version());
    return json_response(result->status, result->body, request_id, request.version());
}

}  // namespace qapps
