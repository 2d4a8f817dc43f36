// Reading fixture documents from disk: one file, or every *.json file of a folder in name
// order (not recursive). Parsing only; SqliteStore::apply puts them in the database.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "fixture_document.hpp"

namespace qapps {

// Throws FixtureError naming the file (and JSON path) for an unreadable or malformed file, a
// path that does not exist, or a folder without any *.json file.
std::vector<FixtureDocument> read_fixture_path(const std::filesystem::path& path);

// The whole text of one file; throws FixtureError naming it when it cannot be read. Also used
// for --faults files.
std::string read_fixture_text(const std::filesystem::path& file);

}  // namespace qapps
