// The wording of ResourceNotFoundException, shared by the lookup and by injected errors so an
// injected not-found cannot be told from a real one.
#pragma once

#include <string>
#include <string_view>

namespace qapps {

inline constexpr std::string_view kInstanceResourceType = "Instance";
inline constexpr std::string_view kSessionResourceType = "QAppSession";

inline std::string instance_not_found_message(std::string_view instance_id) {
    return "Instance " + std::string(instance_id) + " not found";
}

inline std::string session_not_found_message(std::string_view instance_id,
                                             std::string_view session_id) {
    return "Q App session " + std::string(session_id) + " not found in instance " +
           std::string(instance_id);
}

}  // namespace qapps
