// Parses an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
// header into its parts. Syntax only: whether the signature is right is strict mode's question.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qapps {

struct SigV4Credential {
    std::string access_key_id;
    std::string date;  // yyyymmdd
    std::string region;
    std::string service;  // "qapps" from every SDK
};

struct SigV4Header {
    SigV4Credential credential;
    std::vector<std::string> signed_headers;  // lowercase, in the order given
    std::string signature;                    // 64 lowercase hex digits
};

struct SigV4ParseResult {
    std::optional<SigV4Header> header;
    std::string error;  // why it is not SigV4, when header is empty
};

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

SigV4ParseResult parse_sigv4_header(std::string_view value);

}  // namespace qapps
