// Loading fixture documents into the emulator, shared by start-up (--fixtures) and the control
// plane (POST /_qapps/fixtures) so both validate and commit in exactly the same way.
#pragma once

#include <span>
#include <vector>

#include "fault_rule.hpp"
#include "fixture_document.hpp"
#include "sqlite_store.hpp"

namespace qapps {

// Validates every document's fault rules first, then applies all documents to the store in one
// transaction. Returns the rules, in document order, for the caller to hand to its FaultEngine
// (which cannot fail). Throws FixtureError and changes nothing when anything is wrong.
std::vector<FaultRule> load_fixture_documents(std::span<const FixtureDocument> documents,
                                              SqliteStore& store);

}  // namespace qapps
