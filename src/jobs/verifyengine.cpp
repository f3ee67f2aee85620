#include "jobs/verifyengine.h"

#include "db/verifyrepository.h"

#include <QElapsedTimer>

namespace rollup {

VerifyResult VerifyEngine::run(Connection &connection, const VerifyRequest &request, SysSeconds now)
{
    QElapsedTimer clock;
    clock.start();
    BackfillRequest br;
    br.accountId = request.accountId;
    br.range = request.range;
    br.countEvents = false;
    VerifyResult result;
    result.plan = BackfillPlanner::plan(connection, br, now);
    VerifyRepository repository(connection);
    result.rows = repository.compare(request.accountId, result.plan.windows);
    result.summary = Comparison::summarize(result.rows);
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
