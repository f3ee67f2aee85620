#pragma once

#include "core/daywindow.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace rollup {

// How the server puts one account's events on its local days, for RollupSql's statements: the
// shift every window shares when they are contiguous (DayWindows::commonShift; the statement
// buckets by `(created_at + shift)::date`), else the windows' UTC boundaries with a bucket per
// window and a NULL bucket for each gap between windows that do not touch (`width_bucket`).
// The texts are what the statements bind.
struct Bucketing
{
    std::optional<std::chrono::seconds> shift; // contiguous windows, one shift
    QStringList bounds; // otherwise: UTC boundaries (gaps included)
    QStringList dates; // the bucket dates, "NULL" for a gap
    QString lo, hi; // the account's UTC span ("epoch" for no windows)
};

Bucketing bucketingOf(const QList<DayWindow> &windows);

} // namespace rollup
