#include "json_response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

namespace qapps {

HttpResponse json_response(boost::beast::http::status status, const boost::json::value& body,
                           std::string_view request_id, unsigned http_version) {
    HttpResponse response{status, http_version};
    response.set(boost::beast::http::field::content_type, "application/json");
    response.set("x-amzn-RequestId", request_id);
    response.body() = boost::json::serialize(body);
    response.prepare_payload();
    return response;
}

}  // namespace qapps
