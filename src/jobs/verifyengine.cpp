#include "jobs/verifyengine.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/verifyrepository.h"
#include "jobs/canceltoken.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace rollup {

namespace {

// Splits the windows into chunks small enough for an in-memory hash aggregate each, enough of
// them that the workers share the work, cut where a time-zone transition changes how the server
// buckets the days.
QList<QList<DayWindow>> chunked(const QList<DayWindow> &windows, int workers)
{
    QList<QList<DayWindow>> chunks;
    const qsizetype perChunk = std::clamp<qsizetype>(windows.size() / (qsizetype(workers) * 4), 7, VerifyEngine::kMaxChunkDays);
    for (qsizetype i = 0; i < windows.size();) {
        const qsizetype count = DayWindows::nextChunk(windows, i, perChunk);
        chunks.append(windows.mid(i, count));
        i += count;
    }
    return chunks;
}

} // namespace

VerifyResult VerifyEngine::run(Connection &connection, const VerifyRequest &request, SysSeconds now, CancelToken *cancel,
                               int workers)
{
    QElapsedTimer clock;
    clock.start();
    BackfillRequest br;
    br.accountId = request.accountId;
    br.range = request.range;
    br.countEvents = false;
    VerifyResult result;
    result.plan = BackfillPlanner::plan(connection, br, now);

    const int threads = std::clamp(workers, 1, 8);
    const QList<QList<DayWindow>> chunks = chunked(result.plan.windows, threads);
    std::vector<QList<CompareRow>> parts(size_t(chunks.size()));
    std::mutex mutex;
    qsizetype next = 0;
    std::optional<DbError> failure;

    // Each worker takes the next chunk; the first uses the caller's connection in this thread,
    // the others open their own.
    auto work = [&](Connection &c) {
        VerifyRepository repository(c);
        for (;;) {
            qsizetype index;
            {
                std::lock_guard lock(mutex);
                if (failure || next >= chunks.size() || (cancel && cancel->isCancelled()))
                    return;
                index = next++;
            }
            try {
                parts[size_t(index)] = repository.compare(request.accountId, chunks.at(index));
            } catch (const DbError &e) {
                std::lock_guard lock(mutex);
                if (!failure)
                    failure = e;
                return;
            }
        }
    };
    std::vector<std::thread> helpers;
    const ConnectionSettings settings = connection.settings();
    for (int i = 1; i < threads && i < chunks.size(); ++i) {
        helpers.emplace_back([&, settings]() {
            try {
                Connection own(settings);
                const auto canceller = own.canceller();
                if (cancel)
                    cancel->attach(canceller);
                work(own);
                if (cancel)
                    cancel->detach(canceller);
            } catch (const DbError &e) {
                std::lock_guard lock(mutex);
                if (!failure)
                    failure = e;
            }
        });
    }
    work(connection);
    for (std::thread &t : helpers)
        t.join();
    if (failure)
        throw *failure;
    if (cancel && cancel->isCancelled())
        throw DbError(QCoreApplication::translate("VerifyEngine", "canceling statement due to user request"), QStringLiteral("57014"));

    qsizetype total = 0;
    for (const auto &p : parts)
        total += p.size();
    result.rows.reserve(total);
    for (auto &p : parts) {
        result.rows.append(p);
        p.clear();
    }
    result.summary = Comparison::summarize(result.rows);
    if (!result.plan.empty() && result.plan.zone.usable())
        result.outside = VerifyRepository(connection).storedOutside(request.accountId, result.plan.range.from, result.plan.range.to,
                                                                    DayWindows::today(result.plan.zone.zone, now));
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
