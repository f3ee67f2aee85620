#pragma once

#include "core/daywindow.h"
#include "core/rangeplan.h"
#include "core/zoneresolver.h"
#include "db/accountrepository.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <stdexcept>

namespace rollup {

class Connection;

struct BackfillRequest
{
    qint64 accountId = 0;
    RangeRequest range;
    // When not empty: exactly these days (retry failed days, re-backfill differing days);
    // `range` is then ignored.
    QList<date::local_days> days;
    bool countEvents = true; // count events in range for the plan (one extra query)
};

struct BackfillPlan
{
    Q_DECLARE_TR_FUNCTIONS(BackfillPlan)

public:
    AccountRow account;
    ZoneResolution zone;
    EventSpan span;
    DateRange range{};
    QList<DayWindow> windows; // the days to process, sorted
    qint64 eventsInRange = -1; // -1: not counted
    bool includesToday = false;
    bool longRange = false;
    QString note; // nothing to do: why

    bool empty() const { return windows.isEmpty(); }
    // Multi-line text for --dry-run and the GUI's plan box.
    QString describe() const;
};

// A refusal before anything is written: one line naming the problem.
class PlanError : public std::runtime_error
{
public:
    explicit PlanError(const QString &message) : std::runtime_error(message.toStdString()), m_message(message) { }
    QString message() const { return m_message; }

private:
    QString m_message;
};

class BackfillPlanner
{
    Q_DECLARE_TR_FUNCTIONS(BackfillPlanner)

public:
    // Reads the account and its event span; decides the range like Chatwoot's rake.
    // Throws PlanError (bad input, unknown account, unusable timezone) or DbError.
    static BackfillPlan plan(Connection &connection, const BackfillRequest &request, SysSeconds now);
    // Account and zone only (shared with verify); throws PlanError.
    static std::pair<AccountRow, ZoneResolution> accountWithZone(Connection &connection, qint64 accountId);
};

} // namespace rollup
