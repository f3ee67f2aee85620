#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rollup {

class Connection;

// The Chatwoot tables and columns the console needs, and the bundled schema/seed scripts.
class Schema
{
    Q_DECLARE_TR_FUNCTIONS(Schema)

public:
    // Names exactly what is missing, one finding per entry, e.g.
    // "table reporting_events_rollups not found: run Chatwoot's migrations (PR #13796) first".
    // Empty when everything is there. Throws DbError when the catalog cannot be read.
    static QStringList check(Connection &connection);
    // check() joined into one line, or empty.
    static QString checkMessage(Connection &connection);

    static QString schemaSql(); // resources/sql/schema.sql
    static QString demoSeedSql(); // resources/sql/demo_seed.sql
    // Creates the schema in the connected (empty) database, in one transaction.
    static void create(Connection &connection);
};

} // namespace rollup
