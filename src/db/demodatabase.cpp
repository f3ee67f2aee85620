#include "db/demodatabase.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QRegularExpression>
#include <QSqlRecord>

#include <algorithm>

namespace rollup {

namespace {

// The database create() builds before it takes the demo name. Names are constants of the
// product (DDL takes no bound identifiers).
QString seedingName()
{
    return QString::fromLatin1(DemoDatabase::kName) + QStringLiteral("_seeding");
}

// Shares of create() besides the seed script's own steps (the script's weights add up to ~100).
constexpr double kSchemaWeight = 2;
constexpr double kAnalyzeWeight = 3;

// One run of an @each step: its name, its weight, the values bound to the statement.
struct Chunk
{
    QString label;
    double weight = 0;
    QVariantList values;
};

void throwIfCancelled(const std::shared_ptr<CancelToken> &cancel)
{
    if (cancel && cancel->isCancelled())
        throw DbError(DemoDatabase::tr("cancelled"), QStringLiteral("57014"));
}

// The titles of resources/sql/demo_seed.sql's @step lines, for lupdate: the window and the CLI
// show a step's title translated (a title missing here shows as written in the script).
[[maybe_unused]] const char *const kSeedStepTitles[] = {
    QT_TRANSLATE_NOOP("DemoDatabase", "accounts, agents, inboxes and teams"),
    QT_TRANSLATE_NOOP("DemoDatabase", "conversation plan"),
    QT_TRANSLATE_NOOP("DemoDatabase", "conversations"),
    QT_TRANSLATE_NOOP("DemoDatabase", "event plan"),
    QT_TRANSLATE_NOOP("DemoDatabase", "raw events"),
    QT_TRANSLATE_NOOP("DemoDatabase", "rollups"),
    QT_TRANSLATE_NOOP("DemoDatabase", "extra rollup rows"),
};

} // namespace

ConnectionSettings DemoDatabase::settings(const ConnectionSettings &server)
{
    ConnectionSettings s = server;
    s.database = QString::fromLatin1(kName);
    return s;
}

bool DemoDatabase::exists(const ConnectionSettings &server, const std::shared_ptr<CancelToken> &cancel)
{
    {
        Connection admin(server, cancel);
        QSqlQuery q = admin.run(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"), {QString::fromLatin1(kName)},
                                tr("looking for the demo database"));
        if (!q.next())
            return false;
    }
    Connection demo(settings(server), cancel);
    return Schema::check(demo).isEmpty();
}

QList<DemoDatabase::SeedStep> DemoDatabase::seedSteps(const QString &script)
{
    static const QRegularExpression stepLine(QStringLiteral("^-- @step (\\d+) (.+)$"));
    static const QRegularExpression comment(QStringLiteral("^\\s*--"));
    QList<SeedStep> steps;
    const QStringList lines = script.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        const QRegularExpressionMatch step = stepLine.match(line);
        if (step.hasMatch()) {
            steps.append(SeedStep{step.captured(2).trimmed(), step.captured(1).toInt(), {}, {}});
        } else if (line.startsWith(QLatin1String("-- @each "))) {
            if (steps.isEmpty() || !steps.last().sql.isEmpty() || !steps.last().each.isEmpty())
                throw DbError(tr("demo seed line %1: @each must follow an @step line").arg(i + 1));
            steps.last().each = line.mid(9).trimmed();
        } else if (comment.match(line).hasMatch() || line.trimmed().isEmpty()) {
            continue;
        } else if (steps.isEmpty()) {
            throw DbError(tr("demo seed line %1: a statement before the first @step").arg(i + 1));
        } else {
            steps.last().sql += line + QLatin1Char('\n');
        }
    }
    for (SeedStep &s : steps) {
        if (s.each.isEmpty())
            continue;
        QString sql = s.sql.trimmed();
        if (sql.endsWith(QLatin1Char(';')))
            sql.chop(1);
        if (sql.contains(QLatin1Char(';')))
            throw DbError(tr("demo seed step \"%1\": an @each step holds one statement").arg(s.title));
        s.sql = sql;
    }
    return steps;
}

void DemoDatabase::create(const ConnectionSettings &server, const std::shared_ptr<CancelToken> &cancel,
                          const ProgressFn &progress)
{
    const QList<SeedStep> steps = seedSteps(Schema::demoSeedSql());
    if (steps.isEmpty())
        throw DbError(tr("the demo seed script is missing from the program"));
    double total = kSchemaWeight + kAnalyzeWeight;
    for (const SeedStep &s : steps)
        total += s.weight;
    double done = 0;
    auto report = [&](double extra, const QString &text) {
        if (progress)
            progress(std::min(1.0, (done + extra) / total), text);
    };

    const QString seeding = seedingName();
    report(0, tr("Creating the demo database and its schema…"));
    {
        Connection admin(server, cancel);
        admin.runScript(QStringLiteral("SET client_min_messages TO warning")); // no "does not exist, skipping"
        // A database left by a failed or cancelled seed goes first.
        admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(seeding), tr("dropping %1").arg(seeding));
        admin.runScript(QStringLiteral("CREATE DATABASE %1").arg(seeding), tr("creating %1").arg(seeding));
    }
    ConnectionSettings target = server;
    target.database = seeding;
    try {
        Connection c(target, cancel);
        c.begin();
        c.runScript(Schema::schemaSql(), tr("creating the schema"));
        done += kSchemaWeight;
        for (int i = 0; i < steps.size(); ++i) {
            const SeedStep &step = steps.at(i);
            const QString title = tr(step.title.toUtf8().constData());
            const QString stepText = tr("Seeding the demo data, step %1 of %2: %3").arg(i + 1).arg(steps.size()).arg(title);
            const QString context = tr("seeding the demo data (%1)").arg(title);
            throwIfCancelled(cancel);
            if (step.each.isEmpty()) {
                report(0, stepText + QStringLiteral("…"));
                c.runScript(step.sql, context);
            } else {
                QList<Chunk> chunks;
                double chunkTotal = 0;
                {
                    QSqlQuery q = c.run(step.each, {}, context);
                    const int columns = q.record().count();
                    while (q.next()) {
                        Chunk chunk{q.value(0).toString(), std::max(0.0, q.value(1).toDouble()), {}};
                        for (int col = 2; col < columns; ++col)
                            chunk.values.append(q.value(col));
                        chunkTotal += chunk.weight;
                        chunks.append(chunk);
                    }
                }
                double chunkDone = 0;
                for (int k = 0; k < chunks.size(); ++k) {
                    throwIfCancelled(cancel);
                    report(chunkTotal > 0 ? step.weight * chunkDone / chunkTotal : 0,
                           tr("%1: %2 (%3 of %4)…").arg(stepText, chunks.at(k).label).arg(k + 1).arg(chunks.size()));
                    c.run(step.sql, chunks.at(k).values, context);
                    chunkDone += chunks.at(k).weight;
                }
            }
            done += step.weight;
        }
        throwIfCancelled(cancel);
        c.commit();
        report(0, tr("Updating the planner statistics (ANALYZE)…"));
        c.runScript(QStringLiteral("ANALYZE"), tr("analyzing the demo data"));
    } catch (const DbError &) {
        // The half-built database goes at once (best effort, without the cancelled token);
        // the previous demo database, if any, stays as it was.
        try {
            Connection admin(server);
            admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(seeding));
        } catch (const DbError &) {
        }
        throw;
    }
    throwIfCancelled(cancel);
    Connection admin(server, cancel);
    admin.runScript(QStringLiteral("SET client_min_messages TO warning"));
    admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(kName)),
                    tr("dropping the previous demo database"));
    admin.runScript(QStringLiteral("ALTER DATABASE %1 RENAME TO %2").arg(seeding, QLatin1String(kName)),
                    tr("putting the demo database in place"));
    done = total;
}

} // namespace rollup
