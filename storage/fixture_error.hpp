// FixtureError: why a fixture document was refused, with the file and JSON path to look at.
#pragma once

#include <stdexcept>
#include <string>

namespace qapps {

class FixtureError : public std::runtime_error {
  public:
    FixtureError(std::string source, std::string path, std::string reason)
        : std::runtime_error(format(source, path, reason)),
          source_(std::move(source)),
          path_(std::move(path)),
          reason_(std::move(reason)) {}

    const std::string& source() const { return source_; }
    const std::string& path() const { return path_; }  // empty when the whole document is wrong
    const std::string& reason() const { return reason_; }

  private:
    static std::string format(const std::string& source, const std::string& path,
                              const std::string& reason) {
        return source + ": " + (path.empty() ? "" : path + ": ") + reason;
    }

    std::string source_;
    std::string path_;
    std::string reason_;
};

}  // namespace qapps
