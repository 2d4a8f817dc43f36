#include "get_session_metadata.hpp"

#include "authenticate.hpp"
#include "injected_error.hpp"
#include "not_found_messages.hpp"
#include "operation_input.hpp"

namespace qapps {
namespace {

Expected<SessionRecord> look_up(SessionStore& store, const OperationInput& input) {
    auto lookup = store.find_session(input.instance_id, input.session_id);
    switch (lookup.status) {
        case LookupStatus::found:
            return std::move(lookup.session);
        case LookupStatus::instance_not_found:
            return ApiError::resource_not_found(instance_not_found_message(input.instance_id),
                                                input.instance_id,
                                                std::string(kInstanceResourceType));
        case LookupStatus::session_not_found:
            break;
    }
    return ApiError::resource_not_found(
        session_not_found_message(input.instance_id, input.session_id), input.session_id,
        std::string(kSessionResourceType));
}

OperationResult fail(OperationResult result, ApiError error, bool injected = false) {
    result.error = std::move(error);
    result.injected = injected;
    return result;
}

}  // namespace

OperationResult get_session_metadata(const HttpRequest& request, OperationDeps& deps) {
    // The ids as sent, valid or not, so the journal shows what the client did.
    const auto raw = read_raw_operation_input(request);
    OperationResult result;
    result.instance_id = raw.instance_id.value_or("");
    result.session_id = raw.session_id.value_or("");

    auto caller = authenticate(request, deps.auth, deps.store, deps.clock);
    if (!caller) return fail(std::move(result), std::move(caller.error()));
    result.caller =
        caller->access_key_id.empty() ? std::string(kAnonymousUser) : caller->access_key_id;

    auto input = validate_operation_input(raw);
    if (!input) return fail(std::move(result), std::move(input.error()));

    if (auto injected = error_from_inject_header(request, input->instance_id, input->session_id)) {
        return fail(std::move(result), std::move(injected->error), injected->injected);
    }
    auto decision =
        deps.faults.evaluate({input->instance_id, input->session_id, caller->access_key_id});
    result.delay = decision.delay;
    if (decision.error) return fail(std::move(result), std::move(*decision.error), true);

    auto session = look_up(deps.store, *input);
    if (!session) return fail(std::move(result), std::move(session.error()));

    const bool is_owner = session->owner_user_id == caller->user_id;
    if (!is_owner && !session->sharing.enabled) {
        return fail(
            std::move(result),
            ApiError::access_denied("User " + caller->user_id +
                                    " is not allowed to access Q App session " + input->session_id +
                                    ": the session is not shared and belongs to "
                                    "another user"));
    }

    result.body = render_session_metadata(*session, is_owner);
    return result;
}

boost::json::object render_session_metadata(const SessionRecord& session, bool caller_is_owner) {
    boost::json::object sharing;
    sharing["enabled"] = session.sharing.enabled;
    if (session.sharing.accept_responses)
        sharing["acceptResponses"] = *session.sharing.accept_responses;
    if (session.sharing.reveal_cards) sharing["revealCards"] = *session.sharing.reveal_cards;

    boost::json::object body;
    body["sessionId"] = session.session_id;
    body["sessionArn"] = session.session_arn;
    if (session.session_name) body["sessionName"] = *session.session_name;
    body["sharingConfiguration"] = std::move(sharing);
    body["sessionOwner"] = caller_is_owner;
    return body;
}

}  // namespace qapps
