#include "jobs/historyjob.h"

namespace rollup {

HistoryLoad HistoryJob::load(const ConnectionSettings &settings, qint64 accountId)
{
    const HistoryJournal journal = HistoryJournal::forDatabase(settings);
    HistoryLoad out;
    out.path = journal.path();
    out.server = HistoryJournal::serverName(settings);
    out.entries = journal.entries(accountId, &out.error);
    return out;
}

Job<HistoryLoad> HistoryJob::start(const ConnectionSettings &settings, qint64 accountId)
{
    return Jobs::start<HistoryLoad>(settings, [accountId](JobContext &context) { return load(context.settings(), accountId); });
}

Job<QHash<qint64, HistoryEntry>> HistoryJob::lastChanges(const ConnectionSettings &settings)
{
    return Jobs::start<QHash<qint64, HistoryEntry>>(
        settings, [](JobContext &context) { return HistoryJournal::forDatabase(context.settings()).lastChanges(); });
}

} // namespace rollup
