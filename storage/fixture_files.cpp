#include "fixture_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fixture_error.hpp"
#include "fixture_parser.hpp"

namespace qapps {
namespace {

namespace fs = std::filesystem;

FixtureDocument read_fixture_file(const fs::path& file) {
    return parse_fixture_text(read_fixture_text(file), file.string());
}

}  // namespace

std::string read_fixture_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FixtureError(file.string(), "", std::string("cannot read: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw FixtureError(file.string(), "", "cannot read the file");
    return text.str();
}

std::vector<FixtureDocument> read_fixture_path(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw FixtureError(path.string(), "", "no such file or folder");
    if (!fs::is_directory(path, ec)) return {read_fixture_file(path)};

    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json")
            files.push_back(entry.path());
    }
    if (ec) throw FixtureError(path.string(), "", "cannot list the folder: " + ec.message());
    if (files.empty()) throw FixtureError(path.string(), "", "the folder holds no *.json file");
    std::sort(files.begin(), files.end());

    std::vector<FixtureDocument> documents;
    for (const auto& file : files) documents.push_back(read_fixture_file(file));
    return documents;
}

}  // namespace qapps
