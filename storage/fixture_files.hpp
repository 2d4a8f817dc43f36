// Reading fixture documents from disk: one file, or every *.json file of a folder in name
// order (not recursive). Parsing only; SqliteStore::apply puts them in the database.
#pragma once

#include <filesystem>
#include <vector>

#include "fixture_document.hpp"

namespace qapps {

// Throws FixtureError naming the file (and JSON path) for an unreadable or malformed file, a
// path that does not exist, or a folder without any *.json file.
std::vector<FixtureDocument> read_fixture_path(const std::filesystem::path& path);

}  // namespace qapps
