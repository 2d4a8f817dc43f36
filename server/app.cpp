#include "app.hpp"

#include "get_session_metadata.hpp"
#include "json_response.hpp"
#include "query_string.hpp"

namespace qapps {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kOperationPath = "/runtime.getQAppSessionMetadata";

}  // namespace

App::App(AppDeps deps, AppOptions options) : deps_(deps), options_(std::move(options)) {}

Outcome App::handle(const HttpRequest& request) {
    const auto request_id = request_ids_.next();
    try {
        return route(request, request_id);
    } catch (const std::exception& failure) {
        // A store failure (disk full, database locked too long) must still get a well-formed
        // AWS answer rather than a dropped connection.
        return {to_http_response(ApiError::internal_server(failure.what(), std::nullopt),
                                 request_id, request.version())};
    }
}

Outcome App::route(const HttpRequest& request, const std::string& request_id) {
    const auto path = target_path(request.target());
    if (path == kOperationPath) {
        if (request.method() != http::verb::get)
            return {to_http_response(ApiError::method_not_allowed(request.method_string(), "GET"),
                                     request_id, request.version())};
        return operation(request, request_id);
    }
    if (path.starts_with(kControlPlanePrefix)) {
        ControlPlaneDeps deps{deps_.store, deps_.faults, deps_.journal, options_.start,
                              options_.version};
        return {handle_control_plane(request, deps, request_id)};
    }
    return {to_http_response(ApiError::unknown_operation(request.method_string(), request.target()),
                             request_id, request.version())};
}

Outcome App::operation(const HttpRequest& request, const std::string& request_id) {
    const auto received = deps_.clock.wall_now();
    const auto started = deps_.clock.now();

    OperationDeps deps{deps_.store, deps_.faults, deps_.clock, options_.auth};
    auto result = get_session_metadata(request, deps);
    auto response =
        result.error ? to_http_response(*result.error, request_id, request.version())
                     : json_response(http::status::ok, result.body, request_id, request.version());

    // The journal's latency is what the client waits for: the work here plus the delay the
    // connection adds before writing.
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
        deps_.clock.now() - started + result.delay);
    deps_.journal.record({received, request_id, std::move(result.instance_id),
                          std::move(result.session_id), std::move(result.caller),
                          response.result_int(), result.error ? result.error->type : "",
                          result.injected, latency});
    return {std::move(response), result.delay};
}

HttpResponse App::reject(const ApiError& error, unsigned http_version) {
    return to_http_response(error, request_ids_.next(), http_version);
}

}  // namespace qapps
