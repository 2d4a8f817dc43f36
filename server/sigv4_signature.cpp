#include "sigv4_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

#include "query_string.hpp"

namespace qapps {
namespace {

using Digest = std::array<unsigned char, 32>;  // SHA-256 and HMAC-SHA256 output

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::string hex(const Digest& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const unsigned char byte : digest) {
        out += kDigits[byte >> 4];
        out += kDigits[byte & 0x0f];
    }
    return out;
}

Digest hmac_sha256(std::string_view key, std::string_view data) {
    Digest out{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(data), data.size(),
             out.data(), &size) == nullptr ||
        size != out.size())
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    return out;
}

std::string_view as_key(const Digest& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// --- URI encoding ------------------------------------------------------------------------------

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

// AWS's UriEncode: unreserved characters as they are, every other byte as %XX (uppercase).
void append_uri_encoded(std::string& out, std::string_view text, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte) || (keep_slash && c == '/')) {
            out += c;
        } else {
            out += '%';
            out += kDigits[byte >> 4];
            out += kDigits[byte & 0x0f];
        }
    }
}

std::string canonical_query_component(std::string_view text) {
    std::string out;
    append_uri_encoded(out, percent_decode(text, PlusSign::literal), false);
    return out;
}

// --- the parts of the canonical request --------------------------------------------------------

// RFC 3986 remove_dot_segments, with empty segments (repeated slashes) dropped too, as botocore
// and the AWS test suite's normalize-path cases have it.
std::string normalized_path(std::string_view path) {
    if (path.empty()) return "/";
    std::vector<std::string_view> segments;
    std::string_view rest = path;
    for (;;) {
        const auto slash = rest.find('/');
        const auto segment = rest.substr(0, slash);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    std::string out = path.front() == '/' ? "/" : "";
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (i > 0) out += '/';
        out += segments[i];
    }
    if (path.back() == '/' && !segments.empty()) out += '/';
    return out;
}

std::string canonical_uri(std::string_view target) {
    std::string out;
    append_uri_encoded(out, normalized_path(target_path(target)), true);
    return out;
}

std::string canonical_query(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return {};
    std::vector<std::pair<std::string, std::string>> pairs;
    auto query = target.substr(question + 1);
    for (;;) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            pairs.emplace_back(canonical_query_component(pair.substr(0, eq)),
                               eq == std::string_view::npos
                                   ? std::string()
                                   : canonical_query_component(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out += '&';
        out += name;
        out += '=';
        out += value;
    }
    return out;
}

// Trimall: no leading or trailing blanks, inner runs of blanks as one space.
void append_trimmed(std::string& out, std::string_view value) {
    bool pending_space = false;
    bool any = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            pending_space = any;
            continue;
        }
        if (pending_space) out += ' ';
        out += c;
        pending_space = false;
        any = true;
    }
}

bool has_field(const HttpRequest& request, std::string_view name) {
    return std::any_of(request.begin(), request.end(), [&](const auto& field) {
        return boost::beast::iequals(field.name_string(), name);
    });
}

std::vector<std::string> sorted_signed_headers(const SigV4Header& header) {
    auto names = header.signed_headers;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

// --- X-Amz-Date --------------------------------------------------------------------------------

using Seconds = std::chrono::sys_seconds;

std::optional<int> digits(std::string_view text) {
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// yyyymmddThhmmssZ, the ISO 8601 basic format SigV4 uses.
std::optional<Seconds> parse_amz_date(std::string_view text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    const auto year = digits(text.substr(0, 4)), month = digits(text.substr(4, 2)),
               day = digits(text.substr(6, 2)), hour = digits(text.substr(9, 2)),
               minute = digits(text.substr(11, 2)), second = digits(text.substr(13, 2));
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*year},
                                           std::chrono::month{static_cast<unsigned>(*month)},
                                           std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
           std::chrono::seconds{*second};
}

std::string format_amz_date(Seconds time) {
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss clock{time - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return text;
}

std::string trimmed(std::string_view value) {
    std::string out;
    append_trimmed(out, value);
    return out;
}

constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

}  // namespace

std::string sha256_hex(std::string_view data) {
    Digest out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != out.size())
        throw std::runtime_error("OpenSSL SHA-256 failed");
    return hex(out);
}

std::string payload_hash(const HttpRequest& request) {
    if (const auto declared = request.find("x-amz-content-sha256"); declared != request.end())
        return trimmed(declared->value());
    return sha256_hex(request.body());
}

std::string canonical_request(const HttpRequest& request, const SigV4Header& header,
                              std::string_view hashed_payload) {
    const auto names = sorted_signed_headers(header);
    std::string out;
    out += request.method_string();
    out += '\n';
    out += canonical_uri(request.target());
    out += '\n';
    out += canonical_query(request.target());
    out += '\n';
    for (const auto& name : names) {
        out += name;
        out += ':';
        bool first = true;
        for (const auto& field : request) {
            if (!boost::beast::iequals(field.name_string(), name)) continue;
            if (!first) out += ',';
            append_trimmed(out, field.value());
            first = false;
        }
        out += '\n';
    }
    out += '\n';
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ';';
        out += names[i];
    }
    out += '\n';
    out += hashed_payload;
    return out;
}

std::string credential_scope(const SigV4Credential& credential) {
    return credential.date + '/' + credential.region + '/' + credential.service + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_date, const SigV4Credential& credential,
                           std::string_view canonical_request) {
    std::string out(kSigV4Algorithm);
    out += '\n';
    out += amz_date;
    out += '\n';
    out += credential_scope(credential);
    out += '\n';
    out += sha256_hex(canonical_request);
    return out;
}

std::string compute_signature(std::string_view secret_access_key, const SigV4Credential& credential,
                              std::string_view string_to_sign) {
    const auto date_key = hmac_sha256("AWS4" + std::string(secret_access_key), credential.date);
    const auto region_key = hmac_sha256(as_key(date_key), credential.region);
    const auto service_key = hmac_sha256(as_key(region_key), credential.service);
    const auto signing_key = hmac_sha256(as_key(service_key), "aws4_request");
    return hex(hmac_sha256(as_key(signing_key), string_to_sign));
}

std::optional<std::string> verify_sigv4(const HttpRequest& request, const SigV4Header& header,
                                        std::string_view secret_access_key,
                                        std::chrono::system_clock::time_point now) {
    const auto date_field = request.find("x-amz-date");
    if (date_field == request.end())
        return "X-Amz-Date header missing: a Signature Version 4 request must carry its signing "
               "time as X-Amz-Date (yyyymmddThhmmssZ)";
    const auto amz_date = trimmed(date_field->value());
    const auto signed_at = parse_amz_date(amz_date);
    if (!signed_at)
        return "X-Amz-Date header '" + amz_date +
               "' is not a date of the form yyyymmddThhmmssZ (ISO 8601 basic format, UTC)";
    if (std::string_view(amz_date).substr(0, 8) != header.credential.date)
        return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
               "from HTTP: '" +
               header.credential.date + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date +
               "'.";

    const auto& names = header.signed_headers;
    if (std::find(names.begin(), names.end(), "host") == names.end())
        return std::string(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
            "Authorization.");
    for (const auto& name : names) {
        if (!has_field(request, name))
            return "Header '" + name +
                   "' is listed in SignedHeaders but the request does not carry it";
    }

    const auto server_now = std::chrono::floor<std::chrono::seconds>(now);
    const auto skew = std::to_string(kSigV4MaxClockSkew.count());
    if (*signed_at < server_now - kSigV4MaxClockSkew)
        return "Signature expired: " + amz_date + " is now earlier than " +
               format_amz_date(server_now - kSigV4MaxClockSkew) + " (" +
               format_amz_date(server_now) + " - " + skew + " min.)";
    if (*signed_at > server_now + kSigV4MaxClockSkew)
        return "Signature not yet current: " + amz_date + " is still later than " +
               format_amz_date(server_now + kSigV4MaxClockSkew) + " (" +
               format_amz_date(server_now) + " + " + skew + " min.)";

    const auto canonical = canonical_request(request, header, payload_hash(request));
    const auto to_sign = string_to_sign(amz_date, header.credential, canonical);
    const auto expected = compute_signature(secret_access_key, header.credential, to_sign);
    // Both are 64 lowercase hex digits (the header parser insists on it); the comparison takes
    // the same time wherever they differ.
    if (header.signature.size() == expected.size() &&
        CRYPTO_memcmp(header.signature.data(), expected.data(), expected.size()) == 0)
        return std::nullopt;
    // As AWS does, the answer shows what the server signed, so a client author can diff it.
    return std::string(kSignatureMismatch) +
           "\n\nThe Canonical String for this request should have been\n'" + canonical +
           "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n";
}

}  // namespace qapps
