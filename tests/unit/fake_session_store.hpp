// An in-memory SessionStore for handler tests: the handler is checked without SQLite.
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "session_store.hpp"

namespace qapps::testing {

class FakeSessionStore final : public SessionStore {
  public:
    void add_instance(std::string instance_id) { instances_[std::move(instance_id)]; }
    void add_user(UserRecord user) { users_.push_back(std::move(user)); }
    void add_session(SessionRecord session) {
        auto& sessions = instances_[session.instance_id];
        sessions[session.session_id] = std::move(session);
    }

    SessionLookup find_session(std::string_view instance_id, std::string_view session_id) override {
        const auto instance = instances_.find(std::string(instance_id));
        if (instance == instances_.end()) return {LookupStatus::instance_not_found, {}};
        const auto session = instance->second.find(std::string(session_id));
        if (session == instance->second.end()) return {LookupStatus::session_not_found, {}};
        return {LookupStatus::found, session->second};
    }

    std::optional<UserRecord> find_user_by_access_key(std::string_view access_key_id) override {
        for (const auto& user : users_)
            if (user.access_key_id == access_key_id) return user;
        return std::nullopt;
    }

  private:
    std::map<std::string, std::map<std::string, SessionRecord>> instances_;
    std::vector<UserRecord> users_;
};

}  // namespace qapps::testing
