#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "sigv4_header.hpp"
#include "sigv4_signature.hpp"

using namespace qapps;
using namespace std::chrono_literals;

namespace {

// --- requests written as the AWS test suite writes them --------------------------------------

// "METHOD TARGET HTTP/1.1", then "Name:value" lines, a blank line and the body. Built field by
// field rather than parsed, so that targets the suite uses but HTTP forbids ("/example space/")
// can be expressed, and repeated headers and untrimmed values stay exactly as written.
HttpRequest raw_request(std::string_view raw) {
    const auto line_end = raw.find('\n');
    const auto request_line = raw.substr(0, line_end);
    const auto method_end = request_line.find(' ');
    const auto target_end = request_line.rfind(' ');
    HttpRequest request;
    request.method_string(request_line.substr(0, method_end));
    request.target(request_line.substr(method_end + 1, target_end - method_end - 1));
    request.version(11);
    auto rest = raw.substr(line_end + 1);
    for (;;) {
        const auto end = rest.find('\n');
        const auto line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (line.empty()) break;
        const auto colon = line.find(':');
        request.insert(line.substr(0, colon), line.substr(colon + 1));
    }
    request.body() = std::string(rest);
    return request;
}

SigV4Header authorization_of(const HttpRequest& request) {
    auto parsed = parse_sigv4_header(request[boost::beast::http::field::authorization]);
    REQUIRE_MESSAGE(parsed.header.has_value(), parsed.error);
    return *parsed.header;
}

std::chrono::system_clock::time_point utc(int year, unsigned month, unsigned day,
                                          std::chrono::seconds time_of_day) {
    return std::chrono::sys_days{std::chrono::year{year} / month / day} + time_of_day;
}

// --- the AWS SigV4 test suite (aws-sig-v4-test-suite; the requests and signatures as shipped
// in awslabs/aws-c-auth tests/aws-signing-test-suite/v4/<name>/header-signed-request.txt, the
// canonical requests as in the suite's .creq files) --------------------------------------------

constexpr std::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const auto kSuiteNow = utc(2015, 8, 30, 12h + 36min);
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string suite_authorization(std::string_view signed_headers, std::string_view signature) {
    return "Authorization:AWS4-HMAC-SHA256 "
           "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
           std::string(signed_headers) + ", Signature=" + std::string(signature) + "\n";
}

// A GET of `target` signing host and x-amz-date, with `extra` header lines.
std::string suite_get(std::string_view target, std::string_view signature,
                      std::string_view extra = "", std::string_view signed_headers = "") {
    return "GET " + std::string(target) + " HTTP/1.1\nHost:example.amazonaws.com\n" +
           std::string(extra) +
           suite_authorization(signed_headers.empty() ? "host;x-amz-date" : signed_headers,
                               signature) +
           "X-Amz-Date:20150830T123600Z\n\n";
}

std::string suite_canonical(std::string_view path, std::string_view query,
                            std::string_view extra_headers = "",
                            std::string_view signed_headers = "host;x-amz-date") {
    return "GET\n" + std::string(path) + "\n" + std::string(query) +
           "\nhost:example.amazonaws.com\n" + std::string(extra_headers) +
           "x-amz-date:20150830T123600Z\n\n" + std::string(signed_headers) + "\n" +
           std::string(kEmptySha256);
}

struct SuiteCase {
    std::string name;
    std::string raw;
    std::string canonical;  // empty where the suite publishes none
};

std::vector<SuiteCase> suite_cases() {
    return {
        {"get-vanilla",
         suite_get("/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
         suite_canonical("/", "")},
        {"get-vanilla-empty-query-key",
         suite_get("/?Param1=value1",
                   "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
         suite_canonical("/", "Param1=value1")},
        {"get-vanilla-query-order-key",
         suite_get("/?Param1=value2&Param1=Value1",
                   "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
         suite_canonical("/", "Param1=Value1&Param1=value2")},
        {"get-vanilla-query-order-key-case",
         suite_get("/?Param2=value2&Param1=value1",
                   "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
         suite_canonical("/", "Param1=value1&Param2=value2")},
        {"get-vanilla-query-order-value",
         suite_get("/?Param1=value2&Param1=value1",
                   "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
         suite_canonical("/", "Param1=value1&Param1=value2")},
        {"get-vanilla-query-order-encoded",
         suite_get("/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
                   "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
         ""},
        {"get-vanilla-query-unreserved",
         suite_get("/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
                   "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                   "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
         suite_canonical("/",
                         "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
                         "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")},
        {"get-vanilla-utf8-query",
         suite_get("/?\xE1\x88\xB4=bar",
                   "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
         suite_canonical("/", "%E1%88%B4=bar")},
        {"get-unreserved",
         suite_get("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                   "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
         suite_canonical("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                         "")},
        {"get-utf8",
         suite_get("/\xE1\x88\xB4",
                   "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
         suite_canonical("/%E1%88%B4", "")},
        {"get-space-normalized",
         suite_get("/example space/",
                   "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
         suite_canonical("/example%20space/", "")},
        {"get-slashes-normalized",
         suite_get("//example//",
                   "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
         suite_canonical("/example/", "")},
        {"get-relative-relative-normalized",
         suite_get("/example1/example2/../..",
                   "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
         suite_canonical("/", "")},
        {"get-header-key-duplicate",
         suite_get("/", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
                   "My-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\n",
                   "host;my-header1;x-amz-date"),
         suite_canonical("/", "", "my-header1:value2,value2,value1\n",
                         "host;my-header1;x-amz-date")},
        {"get-header-value-order",
         suite_get("/", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
                   "My-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2\n",
                   "host;my-header1;x-amz-date"),
         suite_canonical("/", "", "my-header1:value4,value1,value3,value2\n",
                         "host;my-header1;x-amz-date")},
        {"get-header-value-trim",
         suite_get("/", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
                   "My-Header1: value1\nMy-Header2: \"a   b   c\"\n",
                   "host;my-header1;my-header2;x-amz-date"),
         suite_canonical("/", "", "my-header1:value1\nmy-header2:\"a b c\"\n",
                         "host;my-header1;my-header2;x-amz-date")},
        {"get-vanilla-with-session-token",
         "GET / HTTP/1.1\nHost:example.amazonaws.com\n" +
             suite_authorization(
                 "host;x-amz-date;x-amz-security-token",
                 "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8") +
             "X-Amz-Date:20150830T123600Z\n"
             "X-Amz-Security-Token:"
             "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n",
         ""},
        {"post-x-www-form-urlencoded",
         "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\n"
         "Host:example.amazonaws.com\nContent-Length:13\n"
         "x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n" +
             suite_authorization(
                 "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                 "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b") +
             "X-Amz-Date:20150830T123600Z\n\nParam1=value1",
         ""},
    };
}

// --- requests signed by botocore 1.43 (SigV4Auth, clock fixed at 2026-12-04T12:00:00Z) -------

constexpr std::string_view kSessionId = "8f6e2a10-4b1c-4d2e-9f3a-0123456789ab";
const auto kSignedAt = utc(2026, 12, 4, 12h);

// boto3's GetQAppSessionMetadata as it goes out: User-Agent and the amz-sdk-* headers are
// added after signing and are not signed.
HttpRequest boto3_request() {
    return raw_request(
        "GET /runtime.getQAppSessionMetadata?sessionId=8f6e2a10-4b1c-4d2e-9f3a-0123456789ab "
        "HTTP/1.1\n"
        "Host:127.0.0.1:8080\n"
        "instance-id:demo-instance\n"
        "User-Agent:Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 Botocore/1.43.11\n"
        "X-Amz-Date:20261204T120000Z\n"
        "Authorization:AWS4-HMAC-SHA256 "
        "Credential=AKIAALICE/20261204/us-east-1/qapps/aws4_request, "
        "SignedHeaders=host;instance-id;x-amz-date, "
        "Signature=85a027571d995b770d9cfa0d26238423b0698285ee3f0fcc602f2781d069cc6a\n"
        "amz-sdk-invocation-id:74502f76-7216-4d66-af1f-b1b568dc8036\n"
        "amz-sdk-request:attempt=1\n"
        "\n");
}

constexpr std::string_view kBoto3Canonical =
    "GET\n"
    "/runtime.getQAppSessionMetadata\n"
    "sessionId=8f6e2a10-4b1c-4d2e-9f3a-0123456789ab\n"
    "host:127.0.0.1:8080\n"
    "instance-id:demo-instance\n"
    "x-amz-date:20261204T120000Z\n"
    "\n"
    "host;instance-id;x-amz-date\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::optional<std::string> verify(const HttpRequest& request,
                                  std::string_view secret = "alice-secret",
                                  std::chrono::system_clock::time_point now = kSignedAt) {
    return verify_sigv4(request, authorization_of(request), secret, now);
}

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

}  // namespace

TEST_CASE("SHA-256 and the payload hash") {
    CHECK(sha256_hex("") == kEmptySha256);
    CHECK(sha256_hex("Param1=value1") ==
          "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");

    auto request = raw_request("POST / HTTP/1.1\nHost:h\n\nParam1=value1");
    CHECK(payload_hash(request) ==
          "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    request.set("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD");
    CHECK(payload_hash(request) == "UNSIGNED-PAYLOAD");
}

TEST_CASE("get-vanilla: each step as the AWS test suite publishes it") {
    const auto request = raw_request(suite_cases().front().raw);
    const auto header = authorization_of(request);
    const auto canonical = canonical_request(request, header, payload_hash(request));
    CHECK(canonical ==
          "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
          "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(credential_scope(header.credential) == "20150830/us-east-1/service/aws4_request");
    const auto to_sign = string_to_sign("20150830T123600Z", header.credential, canonical);
    CHECK(to_sign ==
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    CHECK(compute_signature(kSuiteSecret, header.credential, to_sign) ==
          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("every AWS test suite request verifies, with the suite's canonical request") {
    for (const auto& c : suite_cases()) {
        CAPTURE(c.name);
        const auto request = raw_request(c.raw);
        const auto header = authorization_of(request);
        if (!c.canonical.empty())
            CHECK(canonical_request(request, header, payload_hash(request)) == c.canonical);
        CHECK(verify_sigv4(request, header, kSuiteSecret, kSuiteNow) == std::nullopt);
        CHECK(verify_sigv4(request, header, "another-secret", kSuiteNow) != std::nullopt);
    }
}

TEST_CASE("a request boto3 signed verifies, its unsigned headers ignored") {
    const auto request = boto3_request();
    const auto header = authorization_of(request);
    CHECK(canonical_request(request, header, payload_hash(request)) == kBoto3Canonical);
    CHECK(verify(request) == std::nullopt);
}

TEST_CASE("botocore's encoding of query, header values and a session token is matched") {
    // Signed with a session token; the query needs encoding and sorting, a header folding.
    const auto request = raw_request(
        "GET /runtime.getQAppSessionMetadata?sessionId=8f6e2a10-4b1c-4d2e-9f3a-0123456789ab"
        "&z=1&a=b%20c%2Fd&a=%2B HTTP/1.1\n"
        "Host:localhost:8080\n"
        "instance-id:demo-instance\n"
        "X-Custom:  a   b  c \n"
        "X-Amz-Date:20261204T120000Z\n"
        "X-Amz-Security-Token:session-token-123\n"
        "Authorization:AWS4-HMAC-SHA256 "
        "Credential=AKIAALICE/20261204/us-east-1/qapps/aws4_request, "
        "SignedHeaders=host;instance-id;x-amz-date;x-amz-security-token;x-custom, "
        "Signature=411796f7176ada8b2cda344e2645e03814a79c1bf7d9760ab00b2209647c9897\n"
        "\n");
    CHECK(canonical_request(request, authorization_of(request), payload_hash(request)) ==
          "GET\n"
          "/runtime.getQAppSessionMetadata\n"
          "a=%2B&a=b%20c%2Fd&sessionId=8f6e2a10-4b1c-4d2e-9f3a-0123456789ab&z=1\n"
          "host:localhost:8080\n"
          "instance-id:demo-instance\n"
          "x-amz-date:20261204T120000Z\n"
          "x-amz-security-token:session-token-123\n"
          "x-custom:a b c\n"
          "\n"
          "host;instance-id;x-amz-date;x-amz-security-token;x-custom\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(verify(request) == std::nullopt);
}

TEST_CASE("query escapes are normalized; a percent-encoded path is encoded again") {
    const auto request = raw_request(
        "GET /a%20b/c?b=%7e%2f&a=x+y&flag HTTP/1.1\nHost:h\n"
        "Authorization:AWS4-HMAC-SHA256 Credential=K/20261204/us-east-1/qapps/aws4_request, "
        "SignedHeaders=host, Signature=" +
        std::string(64, '0') + "\n\n");
    CHECK(canonical_request(request, authorization_of(request), "-") ==
          "GET\n/a%2520b/c\na=x%2By&b=~%2F&flag=\nhost:h\n\nhost\n-");
}

TEST_CASE("a wrong secret fails, and the answer shows what the server signed") {
    const auto why = verify(boto3_request(), "not-alice-secret");
    REQUIRE(why.has_value());
    CHECK(*why == std::string(kMismatch) +
                      "\n\nThe Canonical String for this request should have been\n'" +
                      std::string(kBoto3Canonical) +
                      "'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
                      "20261204T120000Z\n20261204/us-east-1/qapps/aws4_request\n" +
                      sha256_hex(kBoto3Canonical) + "'\n");
}

TEST_CASE("any change to what was signed fails") {
    SUBCASE("a signed header's value") {
        auto request = boto3_request();
        request.set("instance-id", "other-instance");
        REQUIRE(verify(request).has_value());
        CHECK(verify(request)->starts_with(kMismatch));
    }
    SUBCASE("the query") {
        auto request = boto3_request();
        request.target(
            "/runtime.getQAppSessionMetadata?sessionId=1c9d7e52-3a4b-4c5d-8e6f-112233445566");
        REQUIRE(verify(request).has_value());
        CHECK(verify(request)->starts_with(kMismatch));
    }
    SUBCASE("the path") {
        auto request = boto3_request();
        request.target("/runtime.getQAppSessionMetadatA?sessionId=" + std::string(kSessionId));
        REQUIRE(verify(request).has_value());
        CHECK(verify(request)->starts_with(kMismatch));
    }
    SUBCASE("the method") {
        auto request = boto3_request();
        request.method(boost::beast::http::verb::post);
        REQUIRE(verify(request).has_value());
        CHECK(verify(request)->starts_with(kMismatch));
    }
    SUBCASE("the signature itself") {
        auto request = boto3_request();
        auto header = authorization_of(request);
        header.signature.back() = header.signature.back() == '0' ? '1' : '0';
        const auto why = verify_sigv4(request, header, "alice-secret", kSignedAt);
        REQUIRE(why.has_value());
        CHECK(why->starts_with(kMismatch));
    }
}

TEST_CASE("an unsigned header may change freely") {
    auto request = boto3_request();
    request.set("amz-sdk-request", "attempt=2");
    request.set(boost::beast::http::field::user_agent, "curl/8");
    CHECK(verify(request) == std::nullopt);
}

TEST_CASE("a header named in SignedHeaders must be in the request") {
    auto request = boto3_request();
    request.erase("instance-id");
    CHECK(verify(request) ==
          "Header 'instance-id' is listed in SignedHeaders but the request does not carry it");
}

TEST_CASE("the host header must be signed") {
    auto request = boto3_request();
    auto header = authorization_of(request);
    header.signed_headers = {"instance-id", "x-amz-date"};
    CHECK(verify_sigv4(request, header, "alice-secret", kSignedAt) ==
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST_CASE("X-Amz-Date is required, well-formed and on the Credential's day") {
    auto request = boto3_request();
    request.erase("x-amz-date");
    CHECK(verify(request) ==
          "X-Amz-Date header missing: a Signature Version 4 request must carry its signing time "
          "as X-Amz-Date (yyyymmddThhmmssZ)");

    for (const char* bad : {"2026-12-04T12:00:00Z", "20261204T120000", "20261304T120000Z",
                            "20261204T246000Z", "20260230T120000Z", "2026120xT120000Z"}) {
        CAPTURE(bad);
        request.set("X-Amz-Date", bad);
        CHECK(verify(request) == "X-Amz-Date header '" + std::string(bad) +
                                     "' is not a date of the form yyyymmddThhmmssZ (ISO 8601 "
                                     "basic format, UTC)");
    }

    request.set("X-Amz-Date", "20261205T000000Z");
    CHECK(verify(request, "alice-secret", utc(2026, 12, 5, 0s)) ==
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
          "HTTP: '20261204' != '20261205', from '20261205T000000Z'.");
}

TEST_CASE("the signing time must be within 15 minutes of the server clock") {
    const auto request = boto3_request();
    CHECK(verify(request, "alice-secret", kSignedAt + 14min) == std::nullopt);
    CHECK(verify(request, "alice-secret", kSignedAt - 14min) == std::nullopt);
    CHECK(verify(request, "alice-secret", kSignedAt + 15min) == std::nullopt);
    CHECK(verify(request, "alice-secret", kSignedAt + 15min + 999ms) == std::nullopt);
    CHECK(verify(request, "alice-secret", kSignedAt - 15min) == std::nullopt);

    CHECK(verify(request, "alice-secret", kSignedAt + 16min) ==
          "Signature expired: 20261204T120000Z is now earlier than 20261204T120100Z "
          "(20261204T121600Z - 15 min.)");
    CHECK(verify(request, "alice-secret", kSignedAt - 16min) ==
          "Signature not yet current: 20261204T120000Z is still later than 20261204T115900Z "
          "(20261204T114400Z + 15 min.)");
    CHECK(verify(request, "alice-secret", kSignedAt + 15min + 1s) ==
          "Signature expired: 20261204T120000Z is now earlier than 20261204T120001Z "
          "(20261204T121501Z - 15 min.)");
}

TEST_CASE("the clock is checked before the signature") {
    // A late request with a wrong secret is told about the time: the cheaper, likelier fault.
    const auto why = verify(boto3_request(), "not-alice-secret", kSignedAt + 1h);
    REQUIRE(why.has_value());
    CHECK(why->starts_with("Signature expired: "));
}
