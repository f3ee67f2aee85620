#include "db/schema.h"

#include "db/connection.h"

#include <QFile>
#include <QMap>
#include <QSet>

namespace rollup {

namespace {

struct Required
{
    QString table;
    QStringList columns;
    const char *hint; // QT_TRANSLATE_NOOP("Schema", ...), translated where it is reported
};

const QList<Required> &required()
{
    static const QList<Required> list = {
        {QStringLiteral("accounts"),
         {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("settings"), QStringLiteral("feature_flags")},
         QT_TRANSLATE_NOOP("Schema", "is this a Chatwoot database?")},
        {QStringLiteral("reporting_events"),
         {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("value"), QStringLiteral("value_in_business_hours"),
          QStringLiteral("account_id"), QStringLiteral("inbox_id"), QStringLiteral("user_id"), QStringLiteral("conversation_id"),
          QStringLiteral("created_at")},
         QT_TRANSLATE_NOOP("Schema", "is this a Chatwoot database?")},
        {QStringLiteral("reporting_events_rollups"),
         {QStringLiteral("id"), QStringLiteral("account_id"), QStringLiteral("date"), QStringLiteral("dimension_type"),
          QStringLiteral("dimension_id"), QStringLiteral("metric"), QStringLiteral("count"), QStringLiteral("sum_value"),
          QStringLiteral("sum_value_business_hours"), QStringLiteral("created_at"), QStringLiteral("updated_at")},
         QT_TRANSLATE_NOOP("Schema", "run Chatwoot's migrations (PR #13796) first")},
        {QStringLiteral("users"),
         {QStringLiteral("id"), QStringLiteral("name")},
         QT_TRANSLATE_NOOP("Schema", "is this a Chatwoot database?")},
        {QStringLiteral("inboxes"),
         {QStringLiteral("id"), QStringLiteral("name")},
         QT_TRANSLATE_NOOP("Schema", "is this a Chatwoot database?")},
    };
    return list;
}

QString readResource(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

QStringList Schema::check(Connection &connection)
{
    QStringList tables;
    for (const Required &r : required())
        tables << r.table;
    QSqlQuery q = connection.run(QStringLiteral("SELECT table_name, column_name FROM information_schema.columns "
                                                "WHERE table_schema = current_schema() AND table_name = ANY(?::text[])"),
                                 {pgArray(tables)}, tr("reading the schema"));
    QMap<QString, QSet<QString>> found;
    while (q.next())
        found[q.value(0).toString()].insert(q.value(1).toString());
    QStringList problems;
    for (const Required &r : required()) {
        if (!found.contains(r.table)) {
            problems << tr("table %1 not found: %2").arg(r.table, tr(r.hint));
            continue;
        }
        for (const QString &c : r.columns)
            if (!found.value(r.table).contains(c))
                problems << tr("column %1.%2 not found: %3").arg(r.table, c, tr(r.hint));
    }
    return problems;
}

QString Schema::checkMessage(Connection &connection)
{
    return check(connection).join(QStringLiteral("; "));
}

QString Schema::schemaSql()
{
    return readResource(QStringLiteral(":/sql/schema.sql"));
}
QString Schema::demoSeedSql()
{
    return readResource(QStringLiteral(":/sql/demo_seed.sql"));
}

void Schema::create(Connection &connection)
{
    connection.begin();
    try {
        connection.runScript(schemaSql(), tr("creating the schema"));
        connection.commit();
    } catch (...) {
        connection.rollback();
        throw;
    }
}

} // namespace rollup
