#pragma once

#include "core/localdate.h"
#include "db/connectionsettings.h"

#include <QList>
#include <QWidget>

namespace rollup {

// Rollup rows against raw aggregates (issue: verify view). GUI thread only.
class VerifyView : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyView(QWidget *parent = nullptr);
    void setConnectionSettings(const ConnectionSettings &settings);
    // Empty from/to: the backfill's default range.
    void verifyAccount(qint64 accountId, const QString &from = {}, const QString &to = {});

signals:
    void rebackfillRequested(qint64 accountId, const QList<date::local_days> &days);

private:
    ConnectionSettings m_settings;
};

} // namespace rollup
