#include "cli/clicontext.h"

#include "db/demodatabase.h"
#include "jobs/connectioncheck.h"
#include "jobs/democluster.h"

#include <QProcessEnvironment>
#include <QRegularExpression>

#include <cstdio>
#include <unistd.h>

namespace rollup {

CliContext::CliContext() : out(stdout), err(stderr), cancel(std::make_shared<CancelToken>())
{
}

CliContext::~CliContext() = default;

void CliContext::addConnectionOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("database-url"),
                      tr("postgres://user:pass@host:port/db?sslmode=... (else DATABASE_URL, Chatwoot's POSTGRES_*, libpq's PG* "
                         "and ~/.pgpass)"),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("replica-url"),
                      tr("a streaming replica for planning's and verify's reads, postgres://host:port (user, password, database "
                         "and sslmode default to the primary's; else ROLLUP_REPLICA_URL); writes and locks stay on the primary"),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("lock-timeout"), tr("lock_timeout in milliseconds (default 10000)"), QStringLiteral("ms"),
                      QStringLiteral("10000")});
    parser.addOption(
        {QStringLiteral("statement-timeout"),
         tr("statement_timeout in milliseconds for every statement, a backfill chunk's among them (default %1; 0: none)")
             .arg(ConnectionSettings::kDefaultStatementTimeoutMs),
         QStringLiteral("ms"), QString::number(ConnectionSettings::kDefaultStatementTimeoutMs)});
}

bool CliContext::parse(QCommandLineParser &parser, bool *helpShown)
{
    // Not addHelpOption(): its description and --help-all are Qt's, untranslated here.
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, tr("print this help")});
    *helpShown = false;
    if (!parser.parse(QStringList{QStringLiteral("rollup-console ") + command} + args)) {
        fail(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << helpText(parser);
        out.flush();
        *helpShown = true;
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        fail(tr("unexpected argument '%1'").arg(parser.positionalArguments().first()));
        return false;
    }
    return true;
}

QString CliContext::helpText(const QCommandLineParser &parser) const
{
    // QCommandLineParser names the executable by its full path and says "Usage:"/"Options:" in
    // Qt's words: the first line names the subcommand instead, the headings are the console's.
    QStringList lines = parser.helpText().split(QLatin1Char('\n'));
    if (!lines.isEmpty())
        lines.first() = tr("Usage: rollup-console %1 [options]").arg(command);
    static const char *const qtHeading = "Options:"; // a variable: lupdate leaves Qt's string to Qt
    const QString qtTranslated = QCoreApplication::translate("QCommandLineParser", qtHeading);
    for (QString &line : lines) {
        if (line == QLatin1String(qtHeading) || line == qtTranslated)
            line = tr("Options:");
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    QString text = lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (!example.isEmpty())
        text += QLatin1Char('\n') + tr("Example:") + QStringLiteral("\n  ") + example + QLatin1Char('\n');
    return text;
}

std::optional<JobContext> CliContext::connect(const QCommandLineParser &parser, Access access)
{
    ConnectionSettings settings;
    if (demo) {
        if (!demoCluster) {
            fail(tr("internal: no demo cluster"));
            return std::nullopt;
        }
        if (!demoCluster->running()) {
            // The GUI's start job; here each of its steps becomes a line on stderr.
            DemoStart started;
            Jobs::wait<DemoStartEvent>(demoCluster->start(reset, cancel), [this, &started](const DemoStartEvent &event) {
                if (const auto *step = std::get_if<DemoStep>(&event))
                    err << "demo: " << QStringLiteral("%1% ").arg(step->value * 100 / DemoCluster::kProgressMax, 3) << step->text
                        << Qt::endl;
                else
                    started = std::get<DemoStart>(event);
            });
            if (!started.ok) {
                fail(started.error);
                return std::nullopt;
            }
        }
        settings = demoCluster->settings();
    } else {
        const std::optional<ConnectionSettings> s = chosenSettings(parser);
        if (!s)
            return std::nullopt;
        settings = *s;
    }
    QString error;
    if (parser.isSet(QStringLiteral("replica-url"))) {
        if (!ConnectionSettings::fromUrl(parser.value(QStringLiteral("replica-url")), &error)) {
            fail(QStringLiteral("--replica-url: %1").arg(error));
            return std::nullopt;
        }
        settings.replicaUrl = parser.value(QStringLiteral("replica-url")).trimmed();
    } else if (!demo && settings.replicaUrl.isEmpty()) {
        const QString fromEnv = QProcessEnvironment::systemEnvironment().value(QStringLiteral("ROLLUP_REPLICA_URL")).trimmed();
        if (!fromEnv.isEmpty() && !ConnectionSettings::fromUrl(fromEnv, &error)) {
            fail(QStringLiteral("ROLLUP_REPLICA_URL: %1").arg(error));
            return std::nullopt;
        }
        settings.replicaUrl = fromEnv;
    }
    bool ok = false;
    settings.lockTimeoutMs = parser.value(QStringLiteral("lock-timeout")).toInt(&ok);
    if (!ok || settings.lockTimeoutMs < 0) {
        fail(tr("--lock-timeout '%1' is not a number of milliseconds").arg(parser.value(QStringLiteral("lock-timeout"))));
        return std::nullopt;
    }
    settings.statementTimeoutMs = parser.value(QStringLiteral("statement-timeout")).toInt(&ok);
    if (!ok || settings.statementTimeoutMs < 0) {
        fail(tr("--statement-timeout '%1' is not a number of milliseconds")
                 .arg(parser.value(QStringLiteral("statement-timeout"))));
        return std::nullopt;
    }
    JobContext context(settings, cancel);
    const ConnectionTest check = ConnectionCheck::run(context);
    if (!check.ok) {
        fail(check.message);
        return std::nullopt;
    }
    if (access == Access::Write && check.inRecovery) {
        fail(check.writeRefusal);
        return std::nullopt;
    }
    if (!check.schemaProblem.isEmpty()) {
        fail(check.schemaProblem);
        return std::nullopt;
    }
    if (settings.hasReplica()) {
        const ReplicaTest test = ConnectionCheck::replica(context);
        if (!test.ok) {
            fail(test.error);
            return std::nullopt;
        }
        err << test.describe() << Qt::endl;
        replica = test;
    }
    return context;
}

std::optional<ConnectionSettings> CliContext::chosenSettings(const QCommandLineParser &parser)
{
    QString error;
    if (demo) {
        ConnectionSettings settings; // the demo database, whatever port its server gets
        settings.host = QStringLiteral("127.0.0.1");
        settings.database = QString::fromLatin1(DemoDatabase::kName);
        settings.source = QStringLiteral("demo");
        return settings;
    }
    if (parser.isSet(QStringLiteral("database-url"))) {
        auto s = ConnectionSettings::fromUrl(parser.value(QStringLiteral("database-url")), &error);
        if (!s) {
            fail(QStringLiteral("--database-url: %1").arg(error));
            return std::nullopt;
        }
        s->source = QStringLiteral("--database-url");
        return s;
    }
    auto s = ConnectionSettings::fromEnvironment(QProcessEnvironment::systemEnvironment(), &error);
    if (!s)
        fail(error);
    return s;
}

void CliContext::addAccountOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("account"), tr("account id"), QStringLiteral("id")});
}

void CliContext::addRangeOptions(QCommandLineParser &parser, const QString &includeTodayHelp)
{
    parser.addOption(
        {QStringLiteral("from"), tr("first local date (default: the first event's local date)"), QStringLiteral("date")});
    parser.addOption(
        {QStringLiteral("to"), tr("last local date (default: the last event's, at most yesterday)"), QStringLiteral("date")});
    parser.addOption({QStringLiteral("include-today"), includeTodayHelp});
}

std::optional<qint64> CliContext::accountId(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("account"))) {
        fail(tr("--account is required"));
        return std::nullopt;
    }
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
    const QString text = parser.value(QStringLiteral("account"));
    if (!digits.match(text).hasMatch()) {
        fail(tr("--account '%1' is not a positive account id").arg(text.left(40)));
        return std::nullopt;
    }
    const qint64 id = text.toLongLong();
    if (id <= 0 || id > 2147483647) {
        fail(tr("--account %1 is out of range (1 .. 2147483647)").arg(text));
        return std::nullopt;
    }
    return id;
}

std::optional<RangeRequest> CliContext::rangeRequest(const QCommandLineParser &parser)
{
    RangeRequest range;
    range.from = parser.value(QStringLiteral("from"));
    range.to = parser.value(QStringLiteral("to"));
    range.includeToday = parser.isSet(QStringLiteral("include-today"));
    QString error;
    for (const QString &opt : {QStringLiteral("from"), QStringLiteral("to")}) {
        if (parser.isSet(opt) && !parseLocalDate(parser.value(opt), &error)) {
            fail(QStringLiteral("--%1: %2").arg(opt, error));
            return std::nullopt;
        }
    }
    return range;
}

SysSeconds CliContext::now()
{
    return currentTime();
}

int CliContext::fail(const QString &message, int code)
{
    err << "rollup-console " << command << ": " << message << Qt::endl;
    return code;
}

bool CliContext::stdinIsTerminal() const
{
    return ::isatty(STDIN_FILENO);
}
bool CliContext::stderrIsTerminal() const
{
    return ::isatty(STDERR_FILENO);
}

} // namespace rollup
