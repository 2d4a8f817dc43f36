// The HTTP message types every layer shares: the handler builds responses as plain values of
// these types, so it can be tested without sockets.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>

namespace qapps {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// What the application answers: the response, and how long the connection should wait before
// writing it (an injected delay; the wait is an Asio timer, never a sleeping thread).
struct Outcome {
    HttpResponse response;
    std::chrono::milliseconds delay{0};
};

}  // namespace qapps
