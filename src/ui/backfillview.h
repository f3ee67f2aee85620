#pragma once

#include "core/localdate.h"
#include "db/connectionsettings.h"

#include <QList>
#include <QWidget>

namespace rollup {

// Plan, dry run, run and watch a backfill (issue: backfill view). GUI thread only.
class BackfillView : public QWidget
{
    Q_OBJECT
public:
    explicit BackfillView(QWidget *parent = nullptr);
    void setConnectionSettings(const ConnectionSettings &settings);
    // Opens the plan for an account; `days` non-empty: exactly those days.
    void planFor(qint64 accountId, const QList<date::local_days> &days = {});
    bool isRunning() const;

signals:
    void verifyRequested(qint64 accountId, const QString &from, const QString &to);
    void finished(qint64 accountId);

private:
    ConnectionSettings m_settings;
};

} // namespace rollup
