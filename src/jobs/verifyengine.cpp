#include "jobs/verifyengine.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/verifyrepository.h"
#include "jobs/job.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <mutex>
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

VerifyResult VerifyEngine::run(const JobContext &context, Connection &connection, const VerifyRequest &request, SysSeconds now,
                               int workers)
{
    const CancelToken::Scope cancelReachesConnection(*context.cancelToken(), connection.canceller());
    QElapsedTimer clock;
    clock.start();
    BackfillRequest br;
    br.accountId = request.accountId;
    br.range = request.range;
    br.countEvents = false;
    VerifyResult result;
    result.plan = BackfillPlanner::plan(connection, br, now);

    const QList<QList<DayWindow>> chunks = chunked(result.plan.windows, std::clamp(workers, 1, 8));
    std::vector<QList<CompareRow>> parts(size_t(chunks.size()));
    std::mutex mutex;
    qsizetype next = 0;
    bool failed = false;
    // Each worker takes the next chunk until none is left, one failed or the job is cancelled.
    const int threads = int(std::clamp<qsizetype>(std::min<qsizetype>(workers, chunks.size()), 1, 8));
    context.inParallel(
        threads,
        [&](Connection &c, int) {
            VerifyRepository repository(c);
            for (;;) {
                qsizetype index;
                {
                    std::lock_guard lock(mutex);
                    if (failed || next >= chunks.size() || context.isCancelled())
                        return;
                    index = next++;
                }
                parts[size_t(index)] = repository.compare(request.accountId, chunks.at(index));
            }
        },
        &connection,
        [&]() {
            std::lock_guard lock(mutex);
            failed = true;
        });
    if (context.isCancelled())
        throw DbError(QCoreApplication::translate("VerifyEngine", "canceling statement due to user request"),
                      QStringLiteral("57014"));

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
        result.outside = VerifyRepository(connection)
                             .storedOutside(request.accountId, result.plan.range.from, result.plan.range.to,
                                            DayWindows::today(result.plan.zone.zone, now));
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
