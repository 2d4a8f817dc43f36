// RequestHandler: what a connection hands each parsed request to. The network layer
// (listener, http_session) knows only this interface; App implements it.
//
// Thread-safety: handle() and reject() are called concurrently from every server thread.
#pragma once

#include "api_error.hpp"
#include "http_types.hpp"

namespace qapps {

class RequestHandler {
  public:
    virtual ~RequestHandler() = default;

    // Answers one complete request. Never throws; never blocks on a timer (a delay is returned
    // in the Outcome for the connection to wait out asynchronously).
    virtual Outcome handle(const HttpRequest& request) = 0;

    // Answers a request that could not be read whole (header or body over the limit), with a
    // fresh request id, in the same wire format as every other error.
    virtual HttpResponse reject(const ApiError& error, unsigned http_version) = 0;
};

}  // namespace qapps
