// Building HttpRequests for handler tests, as an SDK would send them.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http_types.hpp"

namespace qapps::testing {

inline const std::string kValidSignature(64, '0');

inline std::string sigv4_for(std::string_view access_key) {
    return "AWS4-HMAC-SHA256 Credential=" + std::string(access_key) +
           "/20261204/us-east-1/qapps/aws4_request, SignedHeaders=host;instance-id;x-amz-date, "
           "Signature=" +
           kValidSignature;
}

inline HttpRequest make_request(boost::beast::http::verb method, std::string target,
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest request{method, target, 11};
    request.set(boost::beast::http::field::host, "localhost");
    for (auto& [name, value] : headers) request.set(name, value);
    return request;
}

// GET /runtime.getQAppSessionMetadata as boto3 sends it, signed with `access_key`.
inline HttpRequest operation_request(std::string_view instance_id, std::string_view session_id,
                                     std::string_view access_key = "AKIAALICE") {
    return make_request(boost::beast::http::verb::get,
                        "/runtime.getQAppSessionMetadata?sessionId=" + std::string(session_id),
                        {{"instance-id", std::string(instance_id)},
                         {"Authorization", sigv4_for(access_key)},
                         {"X-Amz-Date", "20261204T120000Z"}});
}

}  // namespace qapps::testing
