#include "authenticate.hpp"

#include <boost/beast/http/field.hpp>

#include "sigv4_header.hpp"
#include "sigv4_signature.hpp"

namespace qapps {
namespace {

Caller caller_for_key(std::string key, SessionStore& store) {
    auto user = store.find_user_by_access_key(key);
    std::string user_id = user ? std::move(user->user_id) : key;
    return Caller{std::move(key), std::move(user_id)};
}

Expected<Caller> verified_caller(const HttpRequest& request, SigV4Header header,
                                 SessionStore& store, const Clock& clock) {
    auto user = store.find_user_by_access_key(header.credential.access_key_id);
    if (!user)
        return ApiError::unauthorized(
            "The security token included in the request is invalid: no fixture user has the "
            "access key id " +
            header.credential.access_key_id);
    if (auto why = verify_sigv4(request, header, user->secret_access_key, clock.wall_now()))
        return ApiError::unauthorized(std::move(*why));
    return Caller{std::move(header.credential.access_key_id), std::move(user->user_id)};
}

}  // namespace

Expected<Caller> authenticate(const HttpRequest& request, AuthMode mode, SessionStore& store,
                              const Clock& clock) {
    const auto header = request.find(boost::beast::http::field::authorization);
    if (header == request.end()) {
        if (mode == AuthMode::none) return Caller{"", std::string(kAnonymousUser)};
        return ApiError::unauthorized(
            "The request is not signed: it has no Authorization header (AWS Signature "
            "Version 4 expected)");
    }

    auto parsed = parse_sigv4_header(header->value());
    if (!parsed.header) {
        if (mode == AuthMode::none) return Caller{"", std::string(kAnonymousUser)};
        return ApiError::unauthorized(
            "The Authorization header is not a valid AWS Signature Version 4 header: " +
            parsed.error);
    }
    if (mode == AuthMode::strict)
        return verified_caller(request, std::move(*parsed.header), store, clock);
    return caller_for_key(std::move(parsed.header->credential.access_key_id), store);
}

}  // namespace qapps
