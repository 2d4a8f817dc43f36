#include "session_id.hpp"

namespace qapps {
namespace {

bool is_lower_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

bool is_valid_session_id(std::string_view id) {
    if (id.size() != 36) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        switch (i) {
            case 8:
            case 13:
            case 18:
            case 23:
                if (c != '-') return false;
                break;
            case 14:  // version nibble: [45]
                if (c != '4' && c != '5') return false;
                break;
            case 19:  // variant nibble: [89ABab]
                if (c != '8' && c != '9' && c != 'A' && c != 'B' && c != 'a' && c != 'b')
                    return false;
                break;
            default:
                if (!is_lower_hex(c)) return false;
        }
    }
    return true;
}

}  // namespace qapps
