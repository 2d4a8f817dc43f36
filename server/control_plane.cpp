#include "control_plane.hpp"

#include <boost/json/object.hpp>

#include "api_error.hpp"
#include "json_response.hpp"
#include "query_string.hpp"

namespace qapps {

namespace http = boost::beast::http;

namespace {

HttpResponse health(const HttpRequest& request, ControlPlaneDeps& deps,
                    std::string_view request_id) {
    const auto counts = deps.store.counts();
    boost::json::object body;
    body["status"] = "ok";
    body["version"] = deps.version;
    body["instances"] = counts.instances;
    body["sessions"] = counts.sessions;
    return json_response(http::status::ok, body, request_id, request.version());
}

}  // namespace

HttpResponse handle_control_plane(const HttpRequest& request, ControlPlaneDeps& deps,
                                  std::string_view request_id) {
    const auto path = target_path(request.target());
    if (path == "/_qapps/health") {
        if (request.method() != http::verb::get)
            return to_http_response(ApiError::method_not_allowed(request.method_string(), "GET"),
                                    request_id, request.version());
        return health(request, deps, request_id);
    }
    return to_http_response(ApiError::unknown_operation(request.method_string(), request.target()),
                            request_id, request.version());
}

}  // namespace qapps
