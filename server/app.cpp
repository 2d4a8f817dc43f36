#include "app.hpp"

#include "control_plane.hpp"
#include "get_session_metadata.hpp"
#include "json_response.hpp"
#include "query_string.hpp"

namespace qapps {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kOperationPath = "/runtime.getQAppSessionMetadata";

}  // namespace

App::App(SqliteStore& store, AppOptions options) : store_(store), options_(std::move(options)) {}

Outcome App::handle(const HttpRequest& request) {
    const auto request_id = request_ids_.next();
    try {
        return route(request, request_id);
    } catch (const std::exception& failure) {
        // A store failure (disk full, corrupt file) must still get a well-formed AWS answer.
        return {to_http_response(ApiError::internal_server(failure.what(), std::nullopt),
                                 request_id, request.version())};
    }
}

Outcome App::route(const HttpRequest& request, const std::string& request_id) {
    const auto version = request.version();
    const auto path = target_path(request.target());

    if (path == kOperationPath) {
        if (request.method() != http::verb::get)
            return {to_http_response(ApiError::method_not_allowed(request.method_string(), "GET"),
                                     request_id, version)};
        OperationDeps deps{store_, options_.auth};
        auto result = get_session_metadata(request, deps);
        auto response = result.error
                            ? to_http_response(*result.error, request_id, version)
                            : json_response(http::status::ok, result.body, request_id, version);
        return {std::move(response), result.delay};
    }

    if (path.starts_with(kControlPlanePrefix)) {
        ControlPlaneDeps deps{store_, options_.version};
        return {handle_control_plane(request, deps, request_id)};
    }

    return {to_http_response(ApiError::unknown_operation(request.method_string(), request.target()),
                             request_id, version)};
}

HttpResponse App::reject(const ApiError& error, unsigned http_version) {
    return to_http_response(error, request_ids_.next(), http_version);
}

}  // namespace qapps
