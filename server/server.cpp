#include "server.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <csignal>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "listener.hpp"

namespace qapps {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kShutdownPollInterval{50};

tcp::endpoint listen_endpoint(const ServerOptions& options) {
    const std::string host = options.host == "localhost" ? std::string("127.0.0.1") : options.host;
    beast::error_code ec;
    const auto address = net::ip::make_address(host, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + options.host + ":" +
                                 std::to_string(options.port) + ": '" + options.host +
                                 "' is not an IP address");
    }
    return {address, options.port};
}

HttpSessionOptions session_options(const ServerOptions& options) {
    HttpSessionOptions session;
    session.idle_timeout = options.idle_timeout;
    session.header_limit = static_cast<std::uint32_t>(
        std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max()));
    session.body_limit = options.body_limit;
    return session;
}

}  // namespace

// The stop sequence, on its own strand: waits for SIGINT/SIGTERM (or request_stop()), stops the
// listener, then watches the live connections until they are gone or the grace period is over.
// Kept alive by its pending operations, like every other asynchronous object here.
class Server::Shutdown : public std::enable_shared_from_this<Server::Shutdown> {
  public:
    Shutdown(net::io_context& ioc, std::shared_ptr<Listener> listener, const AccessLog& log,
             std::chrono::seconds grace)
        : ioc_(ioc),
          strand_(net::make_strand(ioc)),
          signals_(strand_),
          poll_timer_(strand_),
          listener_(std::move(listener)),
          log_(log),
          grace_(grace) {
        // Caught from construction on, before main prints that it is ready: a SIGTERM sent right
        // after that line is queued by Asio and handled once run() waits for it.
        beast::error_code ec;
        signals_.add(SIGINT, ec);
        if (!ec) signals_.add(SIGTERM, ec);
        if (ec) log_.message(LogLevel::warn, "cannot catch SIGINT/SIGTERM: " + ec.message());
    }

    void start() {
        net::post(strand_, beast::bind_front_handler(&Shutdown::on_start, shared_from_this()));
    }

    void request() {
        net::post(strand_, beast::bind_front_handler(&Shutdown::begin, shared_from_this()));
    }

  private:
    void on_start() {
        if (stopping_) return;  // request_stop() came first
        signals_.async_wait(beast::bind_front_handler(&Shutdown::on_signal, shared_from_this()));
        listener_->run();
    }

    void on_signal(beast::error_code ec, int signal_number) {
        if (ec) return;  // cancelled: the stop was requested another way
        log_.message(LogLevel::info, std::string(signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                                         ": finishing in-flight requests, then exiting");
        begin();
    }

    void begin() {
        if (stopping_) return;
        stopping_ = true;
        // Removing the handlers restores the default action: a second signal ends the process.
        beast::error_code ignored;
        signals_.cancel(ignored);
        signals_.clear(ignored);
        listener_->stop();
        deadline_ = std::chrono::steady_clock::now() + grace_;
        do_poll();
    }

    void do_poll() {
        poll_timer_.expires_after(kShutdownPollInterval);
        poll_timer_.async_wait(beast::bind_front_handler(&Shutdown::on_poll, shared_from_this()));
    }

    void on_poll(beast::error_code ec) {
        if (ec == net::error::operation_aborted) return;
        const std::size_t live = listener_->live_sessions();
        if (listener_->stopped() && live == 0) return;  // nothing left: the io_context runs dry
        if (std::chrono::steady_clock::now() >= deadline_) {
            log_.message(LogLevel::warn, std::to_string(live) + " connection(s) still busy after " +
                                             std::to_string(grace_.count()) +
                                             " s; stopping anyway");
            ioc_.stop();
            return;
        }
        do_poll();
    }

    net::io_context& ioc_;
    net::strand<net::io_context::executor_type> strand_;
    net::signal_set signals_;
    net::steady_timer poll_timer_;
    std::shared_ptr<Listener> listener_;
    const AccessLog& log_;
    std::chrono::seconds grace_;
    std::chrono::steady_clock::time_point deadline_;
    bool stopping_ = false;
};

Server::Server(ServerOptions options, RequestHandler& handler, const AccessLog& log)
    : options_(std::move(options)), log_(log), ioc_(std::max(options_.threads, 1)) {
    listener_ = std::make_shared<Listener>(ioc_, listen_endpoint(options_), handler, log_,
                                           session_options(options_));
    shutdown_ = std::make_shared<Shutdown>(ioc_, listener_, log_, options_.shutdown_grace);
}

Server::~Server() = default;

tcp::endpoint Server::endpoint() const {
    return listener_->endpoint();
}

void Server::run() {
    shutdown_->start();
    const int threads = std::max(options_.threads, 1);
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads - 1));
    try {
        for (int i = 1; i < threads; ++i) workers.emplace_back([this] { run_loop(); });
    } catch (...) {
        ioc_.stop();
        for (auto& worker : workers) worker.join();
        throw;
    }
    run_loop();
    for (auto& worker : workers) worker.join();
}

void Server::request_stop() {
    shutdown_->request();
}

// Handlers do not throw; should one do so anyway, the thread reports it and keeps serving
// rather than taking the process down.
void Server::run_loop() {
    for (;;) {
        try {
            ioc_.run();
            return;
        } catch (const std::exception& e) {
            log_.message(LogLevel::error, std::string("unexpected exception: ") + e.what());
        } catch (...) {
            log_.message(LogLevel::error, "unexpected exception");
        }
    }
}

}  // namespace qapps
