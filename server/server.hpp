// Server: the network side of qapps-local. Binds the listening socket, runs the io_context on a
// pool of threads, and stops gracefully on SIGINT/SIGTERM or request_stop(): it stops accepting,
// closes idle connections at once, lets each busy connection finish and write its response,
// and returns from run() when the io_context runs out of work. If connections are still busy
// after the grace period, the io_context is stopped anyway.
//
// Ownership: owns the io_context, the listener and every connection. The RequestHandler and the
// AccessLog are borrowed and must outlive the Server.
//
// Thread-safety: construct, then call run() once from one thread (it blocks). endpoint() and
// request_stop() may be called from any thread, before, during or after run().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "access_log.hpp"
#include "request_handler.hpp"

namespace qapps {

class Listener;

struct ServerOptions {
    std::string host = "127.0.0.1";              // an IP address; "localhost" means 127.0.0.1
    unsigned short port = 4747;                  // 0 = a free port, see Server::endpoint()
    int threads = 1;                             // io_context threads, the caller's included
    std::chrono::seconds idle_timeout{30};       // max wait for a request, or for a write
    std::size_t header_limit = 16 * 1024;        // bytes of request line + header fields (431)
    std::uint64_t body_limit = 8 * 1024 * 1024;  // bytes of request body (413)
    std::chrono::seconds shutdown_grace{10};     // max wait for busy connections at shutdown
};

class Server {
  public:
    // Binds and listens at once. Throws std::runtime_error with one clear line, e.g.
    // "cannot listen on 127.0.0.1:4747: Address already in use".
    Server(ServerOptions options, RequestHandler& handler, const AccessLog& log);
    ~Server();

    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // The bound address; with port 0, the port the system chose.
    boost::asio::ip::tcp::endpoint endpoint() const;

    // Serves until stopped (SIGINT, SIGTERM or request_stop()). Runs the io_context on
    // options.threads threads, the calling one included, and returns once all are joined.
    void run();

    // Starts the graceful stop, as a signal would. Safe from any thread; before run() it makes
    // run() return at once.
    void request_stop();

  private:
    class Shutdown;
    void run_loop();

    ServerOptions options_;
    const AccessLog& log_;
    boost::asio::io_context ioc_;
    std::shared_ptr<Listener> listener_;
    std::shared_ptr<Shutdown> shutdown_;
};

}  // namespace qapps
