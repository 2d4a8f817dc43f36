// HttpSession: one accepted TCP connection. It reads a request, hands it to the RequestHandler,
// waits out the Outcome's delay on a timer, writes the response and reads the next request;
// it knows nothing of the operation. Pipelined requests are answered one by one, in order: the
// next request is not read (the bytes wait in the buffer) until the previous answer is written,
// so at most one response is queued per connection.
//
// Every input is bounded: a fresh parser per message with the header and body limits, and the
// idle timeout before each read and each write (an idle or slow client is disconnected). A
// message over a limit or unparseable is answered with RequestHandler::reject() and the
// connection is closed after that answer.
//
// Ownership: created by the Listener as a shared_ptr; afterwards kept alive only by its own
// pending operations (shared_from_this is bound into each completion handler). The handler and
// the access log are borrowed and must outlive every session (the Server guarantees this).
//
// Thread-safety: all work runs on the connection's strand (the socket's executor). From other
// threads call only run() (once) and shutdown(), which post to that strand.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "access_log.hpp"
#include "api_error.hpp"
#include "http_types.hpp"
#include "request_handler.hpp"

namespace qapps {

struct HttpSessionOptions {
    std::chrono::seconds idle_timeout{30};       // max wait for a request, and for a write
    std::uint32_t header_limit = 16 * 1024;      // bytes of request line + header fields
    std::uint64_t body_limit = 8 * 1024 * 1024;  // bytes of request body
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, RequestHandler& handler,
                const AccessLog& log, const HttpSessionOptions& options);

    // Starts reading the first request. Call once, right after construction.
    void run();

    // Graceful stop (server shutdown): a connection waiting for a request is closed now; one
    // with a request in flight (reading it, handling, delaying, writing) closes right after that
    // response is written. Safe from any thread.
    void shutdown();

  private:
    enum class State {
        reading,    // waiting for or receiving a request
        answering,  // handling, waiting out the delay, or writing the response
        lingering,  // rejected: draining unread request bytes before closing
        closed,
    };

    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void handle_request();
    void reject(const ApiError& error);
    void on_delay(boost::beast::error_code ec);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void do_linger();
    void on_linger(boost::beast::error_code ec, std::size_t bytes);
    void on_shutdown();
    void close();
    void record_access();
    void fail(boost::beast::error_code ec, std::string_view what) const;

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    boost::asio::steady_timer delay_timer_;
    RequestHandler& handler_;
    const AccessLog& log_;
    HttpSessionOptions options_;

    State state_ = State::reading;
    bool shutting_down_ = false;      // shutdown() was called: no further request is read
    bool close_after_write_ = false;  // the request was rejected: the connection ends after it
    std::size_t lingered_bytes_ = 0;

    // The exchange in flight, for the access log.
    HttpResponse response_;
    std::string method_;
    std::string target_;
    std::chrono::steady_clock::time_point read_done_;
};

}  // namespace qapps
