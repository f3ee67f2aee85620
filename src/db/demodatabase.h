#pragma once

#include "core/cancellation.h"
#include "core/connectionsettings.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace rollup {

// The demo database on the console's private server: Chatwoot's schema (resources/sql/schema.sql)
// and the deterministic seed (resources/sql/demo_seed.sql), run in the steps the seed script marks
// so that a caller can show real progress. Every SQL statement of the demo lives here.
// Functions run in the calling thread (a job's, never the GUI thread), open their own connections
// with `cancel` attached (a cancel stops the statement in flight on the server) and throw DbError
// on failure, cancellation included (DbError::isCancel()).
class DemoDatabase
{
    Q_DECLARE_TR_FUNCTIONS(DemoDatabase)

public:
    static constexpr const char *kName = "chatwoot_demo";

    // Progress of create(): `fraction` of the work done (0 .. 1, never decreasing) and what runs now.
    using ProgressFn = std::function<void(double fraction, const QString &text)>;

    // `server`: the server's maintenance database (postgres). The settings of the demo database.
    static ConnectionSettings settings(const ConnectionSettings &server);
    // True when a seeded demo database is there: it exists and has the schema. A failed or
    // cancelled create() never leaves one behind under the demo name.
    static bool exists(const ConnectionSettings &server, const std::shared_ptr<CancelToken> &cancel);
    // Builds the demo database anew in a database of its own (schema and seed in one transaction,
    // then ANALYZE) and only then puts it in place of the previous one: a failure or a cancel keeps
    // the previous data and drops the half-built database. `progress` is called between
    // statements, in this thread.
    static void create(const ConnectionSettings &server, const std::shared_ptr<CancelToken> &cancel,
                       const ProgressFn &progress = {});

    // A step of the seed script ("-- @step W TITLE", optionally "-- @each QUERY"); see its header.
    struct SeedStep
    {
        QString title;
        int weight = 0;
        QString each; // empty: `sql` is a script run once
        QString sql; // without comment lines
    };
    // The steps of `script` in order. Text before the first @step that is not a comment is an error
    // (a DbError naming the line), as is an @each step holding more than one statement.
    static QList<SeedStep> seedSteps(const QString &script);
};

} // namespace rollup
