#include <doctest/doctest.h>

#include "sigv4_header.hpp"

using qapps::parse_sigv4_header;

namespace {

const std::string kSignature(64, 'a');

std::string header_with(std::string credential, std::string signed_headers = "host;x-amz-date",
                        std::string signature = kSignature) {
    return "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=" + signed_headers +
           ", Signature=" + signature;
}

std::string error_of(std::string_view value) {
    auto result = parse_sigv4_header(value);
    CHECK_FALSE(result.header.has_value());
    return result.error;
}

}  // namespace

TEST_CASE("a header as botocore sends it parses into its parts") {
    const auto result = parse_sigv4_header(
        "AWS4-HMAC-SHA256 Credential=AKIAALICE/20261204/us-east-1/qapps/aws4_request, "
        "SignedHeaders=host;instance-id;x-amz-date, "
        "Signature=" +
        std::string(64, 'f'));
    REQUIRE(result.header.has_value());
    CHECK(result.error.empty());
    CHECK(result.header->credential.access_key_id == "AKIAALICE");
    CHECK(result.header->credential.date == "20261204");
    CHECK(result.header->credential.region == "us-east-1");
    CHECK(result.header->credential.service == "qapps");
    CHECK(result.header->signed_headers ==
          std::vector<std::string>{"host", "instance-id", "x-amz-date"});
    CHECK(result.header->signature == std::string(64, 'f'));
}

TEST_CASE("components may come in any order and without spaces after commas") {
    const auto result = parse_sigv4_header("AWS4-HMAC-SHA256 Signature=" + kSignature +
                                           ",SignedHeaders=host,Credential=test/20240101/"
                                           "eu-west-1/qapps/aws4_request");
    REQUIRE(result.header.has_value());
    CHECK(result.header->credential.access_key_id == "test");
    CHECK(result.header->credential.region == "eu-west-1");
}

TEST_CASE("another algorithm is refused") {
    CHECK(error_of("Basic dXNlcjpwYXNz") == "the algorithm is not AWS4-HMAC-SHA256");
    CHECK(error_of("AWS4-HMAC-SHA256") == "the algorithm is not AWS4-HMAC-SHA256");
    CHECK(error_of("AWS4-HMAC-SHA256Credential=x") == "the algorithm is not AWS4-HMAC-SHA256");
    CHECK(error_of("") == "the algorithm is not AWS4-HMAC-SHA256");
}

TEST_CASE("missing components are named") {
    CHECK(error_of("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + kSignature) ==
          "the Credential component is missing");
    CHECK(error_of("AWS4-HMAC-SHA256 Credential=k/20240101/r/qapps/aws4_request, Signature=" +
                   kSignature) == "the SignedHeaders component is missing");
    CHECK(error_of("AWS4-HMAC-SHA256 Credential=k/20240101/r/qapps/aws4_request, "
                   "SignedHeaders=host") == "the Signature component is missing");
}

TEST_CASE("garbled components are refused with the reason") {
    CHECK(error_of("AWS4-HMAC-SHA256 Credential") == "'Credential' is not of the form Name=Value");
    CHECK(error_of("AWS4-HMAC-SHA256 Credential=a/20240101/r/s/aws4_request, Foo=bar") ==
          "unknown component 'Foo'");
    CHECK(error_of("AWS4-HMAC-SHA256 Signature=a, Signature=b") ==
          "component 'Signature' is repeated");
}

TEST_CASE("the credential scope must have its five parts") {
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps")) ==
          "Credential must be <accessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request");
    CHECK(error_of(header_with("/20240101/us-east-1/qapps/aws4_request")) ==
          "the access key id in Credential is empty or malformed");
    CHECK(error_of(header_with("AKIA/2024-01-01/us-east-1/qapps/aws4_request")) ==
          "the date in Credential is not yyyymmdd");
    CHECK(error_of(header_with("AKIA/20240101//qapps/aws4_request")) ==
          "the region in Credential is empty");
    CHECK(error_of(header_with("AKIA/20240101/us-east-1//aws4_request")) ==
          "the service in Credential is empty");
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps/aws4_requests")) ==
          "Credential does not end with aws4_request");
}

TEST_CASE("signed headers and signature are checked for shape") {
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps/aws4_request", "Host;x-amz-date")) ==
          "SignedHeaders must be a ;-separated list of lowercase header names");
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps/aws4_request", "host;;date")) ==
          "SignedHeaders must be a ;-separated list of lowercase header names");
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps/aws4_request", "host", "abc")) ==
          "Signature must be 64 lowercase hexadecimal digits");
    CHECK(error_of(header_with("AKIA/20240101/us-east-1/qapps/aws4_request", "host",
                               std::string(64, 'A'))) ==
          "Signature must be 64 lowercase hexadecimal digits");
}
