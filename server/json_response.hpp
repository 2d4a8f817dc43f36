// The one way successful JSON answers are built, so every response carries the same headers
// (Content-Type, x-amzn-RequestId) as the error answers of api_error.cpp.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "http_types.hpp"

namespace qapps {

HttpResponse json_response(boost::beast::http::status status, const boost::json::value& body,
                           std::string_view request_id, unsigned http_version);

}  // namespace qapps
