// Listener: accepts TCP connections and starts an HttpSession for each, on its own strand. It
// only accepts; it never reads or writes a connection.
//
// It also keeps a registry of the live sessions (weak references, so the registry never keeps a
// connection alive) through which stop() reaches every connection at shutdown.
//
// Ownership: created by the Server as a shared_ptr; pending accepts hold it alive through
// shared_from_this. The handler and the access log are borrowed and must outlive it and every
// session (the Server guarantees this).
//
// Thread-safety: the acceptor is used only on its strand. run() and stop() post to that strand
// and may be called from any thread; live_sessions() may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "access_log.hpp"
#include "http_session.hpp"
#include "request_handler.hpp"

namespace qapps {

// The connections alive right now. A mutex guards the list only while it is read or changed;
// sessions are told to shut down after the lock is released, and shutdown() itself only posts.
class SessionRegistry {
  public:
    void add(const std::shared_ptr<HttpSession>& session);
    void shutdown_all();
    std::size_t live() const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::weak_ptr<HttpSession>> sessions_;
};

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    // Opens, binds and listens (with SO_REUSEADDR). Throws std::runtime_error naming the
    // endpoint and the reason, e.g. "cannot listen on 127.0.0.1:4747: Address already in use".
    Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
             RequestHandler& handler, const AccessLog& log, const HttpSessionOptions& options);

    // The bound address (with the port the system chose when asked for port 0).
    boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }

    // Starts accepting. Has no effect after stop().
    void run();

    // Stops accepting (closes the acceptor), then asks every live session to shut down: idle
    // ones close at once, busy ones after their response.
    void stop();

    // Sessions not yet destroyed.
    std::size_t live_sessions() const { return registry_.live(); }

    // True once stop() has closed the acceptor and reached every session.
    bool stopped() const { return stopped_.load(); }

  private:
    void do_accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
    void on_retry(boost::beast::error_code ec);
    void on_stop();

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_timer_;  // pause after a failed accept (e.g. out of fds)
    boost::asio::ip::tcp::endpoint endpoint_;
    RequestHandler& handler_;
    const AccessLog& log_;
    HttpSessionOptions options_;
    SessionRegistry registry_;
    bool stopping_ = false;             // on the acceptor's strand only
    std::atomic<bool> stopped_{false};  // published for the shutdown watcher
};

}  // namespace qapps
