#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <utility>

namespace qapps {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A rejected request may still be arriving. Closing a socket with unread bytes makes the kernel
// send a reset, which can destroy the error answer before the client reads it; so after a
// rejection the connection drains (and discards) what the client still sends, within bounds.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerMaxBytes = 1024 * 1024;
constexpr std::size_t kLingerChunk = 16 * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool is_http_error(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category();
}

bool expects_continue(const HttpRequest& request) {
    return request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue");
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, RequestHandler& handler, const AccessLog& log,
                         const HttpSessionOptions& options)
    : stream_(std::move(socket)),
      delay_timer_(stream_.get_executor()),
      handler_(handler),
      log_(log),
      options_(options) {}

void HttpSession::run() {
    // The socket was accepted onto this connection's strand; enter it before touching state.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::shutdown() {
    net::post(stream_.get_executor(),
              beast::bind_front_handler(&HttpSession::on_shutdown, shared_from_this()));
}

void HttpSession::do_read() {
    if (shutting_down_) {
        close();
        return;
    }
    state_ = State::reading;
    // A fresh parser per message: the limits apply to each request on its own.
    parser_.emplace();
    parser_->header_limit(options_.header_limit);
    parser_->body_limit(options_.body_limit);
    stream_.expires_after(options_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

// Completes both the header read and the full read: once the header is in, an
// "Expect: 100-continue" client is told to send its body, then the rest of the message is read.
void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == net::error::operation_aborted) return;
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == beast::error::timeout) {
        close();  // the client went away or went quiet: not an error
        return;
    }
    if (is_http_error(ec)) {
        // The request line is known only if the header was read whole (a body over the limit).
        method_ = std::string(parser_->get().method_string());
        target_ = std::string(parser_->get().target());
        if (ec == http::error::header_limit) {
            reject(ApiError::header_too_large());
        } else if (ec == http::error::body_limit) {
            reject(ApiError::body_too_large());
        } else {
            reject(ApiError::bad_request("malformed HTTP request"));
        }
        return;
    }
    if (ec) {
        fail(ec, "read");
        return;
    }

    if (!parser_->is_done()) {
        auto self = shared_from_this();
        auto read_rest = [self] {
            http::async_read(self->stream_, self->buffer_, *self->parser_,
                             beast::bind_front_handler(&HttpSession::on_read, self));
        };
        if (!expects_continue(parser_->get())) {
            read_rest();
            return;
        }
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self, read_rest](beast::error_code write_ec, std::size_t) {
                             if (write_ec) {
                                 self->fail(write_ec, "write 100-continue");
                                 return;
                             }
                             read_rest();
                         });
        return;
    }

    read_done_ = std::chrono::steady_clock::now();
    state_ = State::answering;
    handle_request();
}

void HttpSession::handle_request() {
    HttpRequest request = parser_->release();
    method_ = std::string(request.method_string());
    target_ = std::string(request.target());

    Outcome outcome;
    try {
        outcome = handler_.handle(request);
    } catch (const std::exception& e) {
        // The handler promises not to throw; if it does, the client still gets a JSON error.
        log_.message(LogLevel::error, std::string("request handler failed: ") + e.what());
        reject(ApiError::internal_server("internal error", std::nullopt));
        return;
    }

    response_ = std::move(outcome.response);
    response_.version(request.version());
    response_.keep_alive(request.keep_alive());
    response_.prepare_payload();

    if (outcome.delay > std::chrono::milliseconds::zero()) {
        delay_timer_.expires_after(outcome.delay);
        delay_timer_.async_wait(
            beast::bind_front_handler(&HttpSession::on_delay, shared_from_this()));
        return;
    }
    do_write();
}

void HttpSession::reject(const ApiError& error) {
    read_done_ = std::chrono::steady_clock::now();
    state_ = State::answering;
    close_after_write_ = true;
    try {
        response_ = handler_.reject(error, 11);
    } catch (const std::exception& e) {
        log_.message(LogLevel::error, std::string("request handler failed: ") + e.what());
        close();
        return;
    }
    response_.version(11);
    response_.keep_alive(false);
    response_.prepare_payload();
    do_write();
}

void HttpSession::on_delay(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;
    do_write();
}

void HttpSession::do_write() {
    if (shutting_down_) response_.keep_alive(false);
    // A client that stops reading its answers is disconnected like an idle one.
    stream_.expires_after(options_.idle_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
}

void HttpSession::on_write(beast::error_code ec, std::size_t /*bytes*/) {
    record_access();
    if (ec) {
        fail(ec, "write");
        return;
    }
    if (close_after_write_) {
        do_linger();
        return;
    }
    if (response_.need_eof() || shutting_down_) {
        close();
        return;
    }
    response_ = {};
    do_read();
}

void HttpSession::do_linger() {
    state_ = State::lingering;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.clear();
    stream_.expires_after(kLingerTimeout);
    stream_.async_read_some(buffer_.prepare(kLingerChunk),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_linger(beast::error_code ec, std::size_t bytes) {
    if (ec == net::error::operation_aborted) return;
    lingered_bytes_ += bytes;
    if (ec || lingered_bytes_ >= kLingerMaxBytes) {
        close();  // end of stream, timeout, or enough: the client has had its chance
        return;
    }
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kLingerChunk),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_shutdown() {
    shutting_down_ = true;
    const bool idle =
        state_ == State::reading && (!parser_ || (!parser_->got_some() && buffer_.size() == 0));
    if (idle || state_ == State::lingering) close();
    // Otherwise a request is in flight: on_write closes the connection after its answer.
}

void HttpSession::close() {
    if (state_ == State::closed) return;
    state_ = State::closed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();  // a pending read completes with operation_aborted
}

void HttpSession::record_access() {
    AccessLogEntry entry;
    entry.method = method_;
    entry.target = target_;
    entry.status = response_.result_int();
    entry.error_type = response_["x-amzn-ErrorType"];
    entry.request_id = response_["x-amzn-RequestId"];
    entry.latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - read_done_);
    log_.record(entry);
}

void HttpSession::fail(beast::error_code ec, std::string_view what) const {
    if (ec == net::error::operation_aborted) return;
    log_.message(LogLevel::debug, "connection: " + std::string(what) + ": " + ec.message());
}

}  // namespace qapps
