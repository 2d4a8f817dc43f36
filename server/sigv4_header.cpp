#include "sigv4_header.hpp"

#include <algorithm>

namespace qapps {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

bool all_of(std::string_view text, bool (*predicate)(char)) {
    return std::all_of(text.begin(), text.end(), predicate);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_lower_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_header_name_char(char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_' || c == '.';
}
bool is_key_char(char c) {
    return c > ' ' && c < 0x7f && c != '/' && c != ',' && c != '=';
}

SigV4ParseResult refuse(std::string why) {
    return {std::nullopt, std::move(why)};
}

}  // namespace

SigV4ParseResult parse_sigv4_header(std::string_view value) {
    value = trim(value);
    if (value.substr(0, kSigV4Algorithm.size()) != kSigV4Algorithm)
        return refuse("the algorithm is not AWS4-HMAC-SHA256");
    auto rest = value.substr(kSigV4Algorithm.size());
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t'))
        return refuse("the algorithm is not AWS4-HMAC-SHA256");

    std::optional<std::string_view> credential, signed_headers, signature;
    for (auto component : split(rest, ',')) {
        component = trim(component);
        const auto eq = component.find('=');
        if (eq == std::string_view::npos)
            return refuse("'" + std::string(component) + "' is not of the form Name=Value");
        const auto name = component.substr(0, eq);
        const auto content = component.substr(eq + 1);
        std::optional<std::string_view>* slot = name == "Credential"      ? &credential
                                                : name == "SignedHeaders" ? &signed_headers
                                                : name == "Signature"     ? &signature
                                                                          : nullptr;
        if (slot == nullptr) return refuse("unknown component '" + std::string(name) + "'");
        if (slot->has_value()) return refuse("component '" + std::string(name) + "' is repeated");
        *slot = content;
    }
    if (!credential) return refuse("the Credential component is missing");
    if (!signed_headers) return refuse("the SignedHeaders component is missing");
    if (!signature) return refuse("the Signature component is missing");

    const auto scope = split(*credential, '/');
    if (scope.size() != 5)
        return refuse(
            "Credential must be <accessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request");
    if (scope[0].empty() || !all_of(scope[0], is_key_char))
        return refuse("the access key id in Credential is empty or malformed");
    if (scope[1].size() != 8 || !all_of(scope[1], is_digit))
        return refuse("the date in Credential is not yyyymmdd");
    if (scope[2].empty()) return refuse("the region in Credential is empty");
    if (scope[3].empty()) return refuse("the service in Credential is empty");
    if (scope[4] != "aws4_request") return refuse("Credential does not end with aws4_request");

    SigV4Header header;
    header.credential = {std::string(scope[0]), std::string(scope[1]), std::string(scope[2]),
                         std::string(scope[3])};
    for (auto name : split(*signed_headers, ';')) {
        if (name.empty() || !all_of(name, is_header_name_char))
            return refuse("SignedHeaders must be a ;-separated list of lowercase header names");
        header.signed_headers.emplace_back(name);
    }
    if (signature->size() != 64 || !all_of(*signature, is_lower_hex))
        return refuse("Signature must be 64 lowercase hexadecimal digits");
    header.signature = std::string(*signature);
    return {std::move(header), {}};
}

}  // namespace qapps
