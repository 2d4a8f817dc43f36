#include "fixture_loader.hpp"

namespace qapps {

std::vector<FaultRule> load_fixture_documents(std::span<const FixtureDocument> documents,
                                              SqliteStore& store) {
    std::vector<FaultRule> rules;
    for (const auto& document : documents) {
        auto parsed = parse_fault_rules(document.faults, document.source, "faults");
        rules.insert(rules.end(), std::make_move_iterator(parsed.begin()),
                     std::make_move_iterator(parsed.end()));
    }
    store.apply(documents);
    return rules;
}

}  // namespace qapps
