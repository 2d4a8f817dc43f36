// FixtureDocument: a fixture file after parsing and shape validation, before it reaches the
// database. Every element remembers the JSON path it came from so that checks which need the
// database (owner references, access keys shared between users) can still name the place.
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "records.hpp"

namespace qapps {

struct FixtureUser {
    UserRecord user;
    std::string path;  // e.g. "instances[0].users[1]"
};

struct FixtureSession {
    SessionRecord session;  // owner_user_id is filled in by the store when it resolves `owner`
    std::string path;       // e.g. "instances[0].sessions[3]"
};

struct FixtureInstance {
    InstanceRecord instance;
    std::string path;  // e.g. "instances[0]"
    std::vector<FixtureUser> users;
    std::vector<FixtureSession> sessions;
};

struct FixtureDocument {
    std::string source;  // file name, or "request body" for the control plane
    std::vector<FixtureInstance> instances;
    boost::json::array faults;  // raw rules; validated by the fault engine, path "faults[i]"
};

}  // namespace qapps
