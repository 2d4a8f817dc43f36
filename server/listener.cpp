#include "listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

namespace qapps {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string describe(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

void SessionRegistry::add(const std::shared_ptr<HttpSession>& session) {
    const std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    sessions_.push_back(session);
}

void SessionRegistry::shutdown_all() {
    std::vector<std::shared_ptr<HttpSession>> live;
    {
        const std::lock_guard lock(mutex_);
        live.reserve(sessions_.size());
        for (const auto& weak : sessions_) {
            if (auto session = weak.lock()) live.push_back(std::move(session));
        }
    }
    for (const auto& session : live) session->shutdown();
}

std::size_t SessionRegistry::live() const {
    const std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& weak : sessions_) {
        if (!weak.expired()) ++count;
    }
    return count;
}

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint, RequestHandler& handler,
                   const AccessLog& log, const HttpSessionOptions& options)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      handler_(handler),
      log_(log),
      options_(options) {
    const auto fail = [&](const beast::error_code& ec) {
        throw std::runtime_error("cannot listen on " + describe(endpoint) + ": " + ec.message());
    };
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) fail(ec);
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) fail(ec);
    acceptor_.bind(endpoint, ec);
    if (ec) fail(ec);
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) fail(ec);
    endpoint_ = acceptor_.local_endpoint(ec);
    if (ec) fail(ec);
}

void Listener::run() {
    net::post(acceptor_.get_executor(),
              beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
}

void Listener::stop() {
    net::post(acceptor_.get_executor(),
              beast::bind_front_handler(&Listener::on_stop, shared_from_this()));
}

void Listener::do_accept() {
    if (stopping_) return;
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || stopping_) return;  // the socket closes here
    if (ec) {
        // Usually out of file descriptors: pause instead of spinning, then accept again.
        log_.message(LogLevel::warn, "accept: " + ec.message());
        retry_timer_.expires_after(kAcceptRetryDelay);
        retry_timer_.async_wait(beast::bind_front_handler(&Listener::on_retry, shared_from_this()));
        return;
    }
    auto session = std::make_shared<HttpSession>(std::move(socket), handler_, log_, options_);
    registry_.add(session);
    session->run();
    do_accept();
}

void Listener::on_retry(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;
    do_accept();
}

void Listener::on_stop() {
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);  // a pending accept completes with operation_aborted
    retry_timer_.cancel();
    // After the acceptor is closed no session can be added, so every one is reached here.
    registry_.shutdown_all();
    stopped_ = true;
}

}  // namespace qapps
