#pragma once

#include "testdatabase.h"

#include "core/localdate.h"

#include <QList>
#include <QLocale>
#include <QString>
#include <QVariant>

#include <tuple>

namespace rollup {

// Small bound-value fixture writers shared by the database tests.
struct Fixtures
{
    TestDatabase &db;

    // settingsJson: the whole accounts.settings value as JSON text, or "NULL".
    qint64 account(qint64 id, const QString &name, const QString &settingsJson)
    {
        if (settingsJson == QLatin1String("NULL"))
            db.exec(QStringLiteral(
                        "INSERT INTO accounts (id, name, created_at, updated_at, settings) VALUES (?, ?, now(), now(), NULL)"),
                    {id, name});
        else
            db.exec(
                QStringLiteral(
                    "INSERT INTO accounts (id, name, created_at, updated_at, settings) VALUES (?, ?, now(), now(), ?::jsonb)"),
                {id, name, settingsJson});
        return id;
    }
    qint64 accountWithZone(qint64 id, const QString &zone)
    {
        return account(id, QStringLiteral("Account %1").arg(id), QStringLiteral("{\"reporting_timezone\": \"%1\"}").arg(zone));
    }
    // created_at: "YYYY-MM-DD HH:MM:SS[.ffffff]" UTC. Null QVariant() for NULL columns.
    void event(qint64 account, const QString &name, const QVariant &value, const QVariant &vbh, const QVariant &user,
               const QVariant &inbox, const QVariant &conversation, const QString &createdAt)
    {
        db.exec(
            QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                           "conversation_id, created_at, updated_at) VALUES (?, ?::float8, ?::float8, ?, ?::int, ?::int, ?::int, "
                           "?::timestamp, ?::timestamp)"),
            {name, value, vbh, account, user, inbox, conversation, createdAt, createdAt});
    }
    void rollupRow(qint64 account, const QString &date, const QString &dimType, qint64 dimId, const QString &metric, qint64 count,
                   double sum, double sumBh)
    {
        db.exec(
            QStringLiteral("INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, "
                           "sum_value, sum_value_business_hours, created_at, updated_at) VALUES (?, ?::date, ?, ?, ?, ?, ?, ?, "
                           "now(), now())"),
            {account, date, dimType, dimId, metric, count, sum, sumBh});
    }
    // A sum as rows() prints it: the shortest text that reads back as the same double
    // (123456.25 stays "123456.25", not "123456"), so a difference in any bit shows.
    static QString sumText(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }
    // "date|dimension_type|dimension_id|metric|count|sum|sum_bh" sorted, for whole-table comparisons.
    QStringList rows(qint64 account, const QString &where = QString())
    {
        QSqlQuery q = db.connection().run(
            QStringLiteral("SELECT date::text, dimension_type, dimension_id, metric, count, sum_value, sum_value_business_hours "
                           "FROM reporting_events_rollups WHERE account_id = ? %1 ORDER BY 1, 2, 3, 4")
                .arg(where),
            {account});
        QStringList out;
        while (q.next())
            out << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                       .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                            q.value(4).toString(), sumText(q.value(5).toDouble()), sumText(q.value(6).toDouble()));
        return out;
    }
};

inline SysSeconds instant(const QString &utc)
{
    return date::floor<std::chrono::seconds>(*parseUtcTimestamp(utc));
}

} // namespace rollup
