// AWS Signature Version 4, recomputed on the server side for `--auth strict`: the canonical
// request, the string to sign, the signing key and the signature, as AWS documents them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and as botocore's
// SigV4Auth computes them. Pure functions of their arguments (OpenSSL for SHA-256 and HMAC), so
// they are safe to call from every server thread at once.
//
// The server sees the request as it came over the wire, so the canonical forms are rebuilt from
// the wire form:
// - URI: the path of the target, dot segments and repeated slashes removed, then URI-encoded
//   (every byte but A-Z a-z 0-9 - _ . ~ and '/'): a path the client percent-encoded is thereby
//   encoded twice, which is what AWS asks of every service but S3.
// - Query: each name and value percent-decoded, then URI-encoded, pairs sorted by name then
//   value. '+' is a literal plus (RFC 3986), not a space.
// - Headers: the ones SignedHeaders names, lowercase, sorted; each value trimmed with inner runs
//   of spaces and tabs folded to one space; a header sent more than once gives its values joined
//   by ',' in the order sent.
// - Payload: the x-amz-content-sha256 header if the request has one, else SHA-256 of the body.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"
#include "sigv4_header.hpp"

namespace qapps {

// Requests whose X-Amz-Date is further than this from the server clock are refused.
inline constexpr std::chrono::minutes kSigV4MaxClockSkew{15};

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// What the client declared it signed as the payload: x-amz-content-sha256 when present (a hash,
// or a marker such as UNSIGNED-PAYLOAD), else the SHA-256 of the body.
std::string payload_hash(const HttpRequest& request);

// The canonical request. A header named in SignedHeaders that the request lacks is taken as
// empty; verify_sigv4 refuses such a request before it gets here.
std::string canonical_request(const HttpRequest& request, const SigV4Header& header,
                              std::string_view hashed_payload);

// "<yyyymmdd>/<region>/<service>/aws4_request"
std::string credential_scope(const SigV4Credential& credential);

// AWS4-HMAC-SHA256, the request time (yyyymmddThhmmssZ), the scope, the canonical request's hash.
std::string string_to_sign(std::string_view amz_date, const SigV4Credential& credential,
                           std::string_view canonical_request);

// The signature (64 lowercase hex digits): HMAC-SHA256 of `string_to_sign` with the key derived
// from "AWS4" + secret through the scope's date, region, service and "aws4_request".
std::string compute_signature(std::string_view secret_access_key, const SigV4Credential& credential,
                              std::string_view string_to_sign);

// Checks that `header` (parsed from the request's Authorization header) is a valid signature of
// `request` with `secret_access_key`, made within kSigV4MaxClockSkew of `now`. nullopt when it
// is; otherwise why not, as a message for an UnauthorizedException.
std::optional<std::string> verify_sigv4(const HttpRequest& request, const SigV4Header& header,
                                        std::string_view secret_access_key,
                                        std::chrono::system_clock::time_point now);

}  // namespace qapps
