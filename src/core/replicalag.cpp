#include "core/replicalag.h"

#include "core/localdate.h"

#include <limits>

namespace rollup {

double ReplicaLag::effectiveSeconds() const
{
    if (caughtUp)
        return 0;
    return seconds ? std::max(0.0, *seconds) : std::numeric_limits<double>::infinity();
}

QString ReplicaLag::describe() const
{
    if (caughtUp)
        return tr("caught up with the primary");
    if (!seconds)
        return tr("behind the primary (by an unknown time: nothing replayed since it started)");
    return tr("%1 s behind the primary").arg(std::max(0.0, *seconds), 0, 'f', 1);
}

std::chrono::seconds ReplicaLag::tolerance(date::local_days lastDay, date::local_days today)
{
    if (lastDay >= today)
        return kTodayTolerance;
    if (lastDay + date::days{1} >= today)
        return kYesterdayTolerance;
    return kOlderTolerance;
}

QString ReplicaLag::warningFor(date::local_days lastDay, date::local_days today) const
{
    const std::chrono::seconds allowed = tolerance(lastDay, today);
    if (effectiveSeconds() <= double(allowed.count()))
        return {};
    const QString reaches
        = lastDay >= today ? tr("today, whose rollups change all the time")
          : lastDay + date::days{1} >= today
              ? tr("yesterday (%1), whose events and rollups may still be arriving").arg(formatLocalDate(lastDay))
              : tr("%1; a backfill of those days on the primary may not have reached the replica").arg(formatLocalDate(lastDay));
    return tr("warning: the replica %1 is %2, more than the %3 s a range reaching %4 tolerates; "
              "verify on the primary (without a replica) for an exact answer")
        .arg(server, describe(), QString::number(allowed.count()), reaches);
}

} // namespace rollup
