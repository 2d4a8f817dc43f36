// Plain records that travel between the store, the fixture loader and the request handler.
// Values only: no behaviour, no references into the database.
#pragma once

#include <optional>
#include <string>

namespace qapps {

struct SharingConfiguration {
    bool enabled = false;
    std::optional<bool> accept_responses;  // omitted from answers when the fixture leaves it out
    std::optional<bool> reveal_cards;      // likewise
};

struct SessionRecord {
    std::string instance_id;
    std::string session_id;
    std::string session_arn;                  // as given by the fixture, or derive_session_arn's
    std::optional<std::string> session_name;  // omitted from answers when absent
    std::string owner;                        // as the fixture wrote it: a user id or an access key
    std::string owner_user_id;                // `owner` resolved to the user id it names
    std::optional<std::string> app_id;
    SharingConfiguration sharing;
};

struct UserRecord {
    std::string instance_id;
    std::string user_id;
    std::string access_key_id;
    std::string secret_access_key;
};

struct InstanceRecord {
    std::string instance_id;
    std::string account_id;
    std::string region;
};

}  // namespace qapps
