#include "cli/fleetcommand.h"

#include "cli/cli.h"
#include "core/rangeplan.h"
#include "core/tablewriter.h"
#include "jobs/fleet.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

namespace rollup {

namespace {

QString dayText(const std::optional<DateRange> &range, bool last)
{
    return range ? formatLocalDate(last ? range->to : range->from) : QString();
}

QString progressLine(const FleetProgress &p, FleetMode mode)
{
    return FleetCommand::tr("accounts %1/%2  days %3/%4  events %5  %6  %7 events/s  ETA %8 s")
        .arg(p.accountsDone)
        .arg(p.accountsTotal)
        .arg(p.daysDone)
        .arg(p.daysTotal)
        .arg(p.eventsRead)
        .arg(mode == FleetMode::Backfill ? FleetCommand::tr("rows %1").arg(p.rowsWritten) : FleetCommand::tr("verifying"))
        .arg(p.eventsPerSecond, 0, 'f', 0)
        .arg(p.etaSeconds, 0, 'f', 0);
}

} // namespace

void FleetCommand::addOptions(QCommandLineParser &parser, FleetMode mode)
{
    parser.addOption({QStringLiteral("all"), tr("every account that has a usable reporting_timezone (a fleet run)")});
    parser.addOption({QStringLiteral("accounts"), tr("with --all: only these accounts, e.g. 1,5,20-30"), QStringLiteral("list")});
    parser.addOption({QStringLiteral("workers"), tr("with --all: connections working at once (default 2)"), QStringLiteral("n"),
                      QStringLiteral("2")});
    parser.addOption({QStringLiteral("batch"),
                      tr("with --all: accounts read (and locked) together (default %1)").arg(FleetRunner::kBatchAccounts),
                      QStringLiteral("n"), QString::number(FleetRunner::kBatchAccounts)});
    if (mode == FleetMode::Backfill) {
        parser.addOption({QStringLiteral("only"),
                          tr("with --all: which days: all (default), missing (no rollup row) or differing"),
                          QStringLiteral("days"), QStringLiteral("all")});
        parser.addOption({QStringLiteral("duty-cycle"),
                          tr("with --all: keep the database busy at most this fraction of the time, 0 < F <= 1 (default 1)"),
                          QStringLiteral("f"), QStringLiteral("1")});
        parser.addOption(
            {QStringLiteral("resume"), tr("with --all: skip the accounts the interrupted run finished (its journal)")});
    }
}

bool FleetCommand::wanted(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("all")) || parser.isSet(QStringLiteral("accounts"));
}

int FleetCommand::run(CliContext &ctx, const QCommandLineParser &parser, FleetMode mode)
{
    if (!parser.isSet(QStringLiteral("all")))
        return ctx.fail(tr("--accounts goes with --all"));
    if (parser.isSet(QStringLiteral("account")))
        return ctx.fail(tr("give either --account ID or --all, not both"));
    for (const char *option : {"from", "to", "include-today"})
        if (parser.isSet(QLatin1String(option)))
            return ctx.fail(
                tr("--%1 does not go with --all: a fleet run covers each account's default range").arg(QLatin1String(option)));
    FleetRequest request;
    request.mode = mode;
    request.now = CliContext::now();
    if (parser.isSet(QStringLiteral("accounts"))) {
        QString error;
        const std::optional<AccountSelection> selection
            = AccountSelection::parse(parser.value(QStringLiteral("accounts")), &error);
        if (!selection)
            return ctx.fail(QStringLiteral("--accounts: %1").arg(error));
        request.accounts = *selection;
    }
    bool ok = false;
    request.workers = parser.value(QStringLiteral("workers")).toInt(&ok);
    if (!ok || request.workers < 1 || request.workers > 16)
        return ctx.fail(tr("--workers '%1' is not a number from 1 to 16").arg(parser.value(QStringLiteral("workers"))));
    request.batchAccounts = parser.value(QStringLiteral("batch")).toInt(&ok);
    if (!ok || request.batchAccounts < 1 || request.batchAccounts > 5000)
        return ctx.fail(tr("--batch '%1' is not a number from 1 to 5000").arg(parser.value(QStringLiteral("batch"))));
    OutputFormat format = OutputFormat::Table;
    if (mode == FleetMode::Backfill) {
        const QString only = parser.value(QStringLiteral("only"));
        if (only == QLatin1String("all"))
            request.days = FleetDays::All;
        else if (only == QLatin1String("missing"))
            request.days = FleetDays::Missing;
        else if (only == QLatin1String("differing"))
            request.days = FleetDays::Differing;
        else
            return ctx.fail(tr("--only must be all, missing or differing, not '%1'").arg(only));
        request.dutyCycle = parser.value(QStringLiteral("duty-cycle")).toDouble(&ok);
        if (!ok || !(request.dutyCycle > 0.0) || request.dutyCycle > 1.0)
            return ctx.fail(
                tr("--duty-cycle '%1' is not a fraction with 0 < F <= 1").arg(parser.value(QStringLiteral("duty-cycle"))));
        request.resume = parser.isSet(QStringLiteral("resume"));
        request.dryRun = parser.isSet(QStringLiteral("dry-run"));
    } else if (!TableWriter::parseFormat(parser.value(QStringLiteral("format")), &format,
                                         {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")})) {
        return ctx.fail(tr("--format must be table, csv or json, not '%1'").arg(parser.value(QStringLiteral("format"))));
    }

    const std::optional<JobContext> context = ctx.connect(
        parser, mode == FleetMode::Backfill && !request.dryRun ? CliContext::Access::Write : CliContext::Access::Read);
    if (!context)
        return ExitUsage;

    if (mode == FleetMode::Backfill && !request.dryRun && !parser.isSet(QStringLiteral("yes"))) {
        // The plan first, to say what the run would do and to ask when it is big.
        FleetRequest dry = request;
        dry.dryRun = true;
        const FleetResult plan = FleetRunner::run(*context, dry);
        if (!plan.error.isEmpty())
            return ctx.fail(plan.error);
        int accounts = 0, longest = 0;
        qint64 days = 0;
        for (const FleetAccount &a : plan.accounts)
            if (!a.finished()) {
                ++accounts;
                days += a.days;
                longest = std::max(longest, a.days);
            }
        const bool big = accounts > 20 || longest > RangePlanner::kLongRangeDays;
        if (ctx.stdinIsTerminal()) {
            ctx.err << tr("Backfill %n account(s), %1 days in all? [y/N] ", nullptr, accounts).arg(days) << Qt::flush;
            char answer[16] = {0};
            if (!std::fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
                ctx.err << tr("aborted; nothing written") << Qt::endl;
                return ExitFailed;
            }
        } else if (big) {
            return ctx.fail(tr("%n account(s), the longest range %1 days: pass --yes to confirm a fleet backfill "
                               "of more than 20 accounts or %2 days",
                               nullptr, accounts)
                                .arg(longest)
                                .arg(RangePlanner::kLongRangeDays));
        }
    }

    const bool tty = ctx.stderrIsTerminal();
    QElapsedTimer sinceLine;
    sinceLine.start();
    FleetResult result;
    Jobs::wait<FleetEvent>(FleetRunner::start(context->settings(), request, ctx.cancel), [&](const FleetEvent &event) {
        if (const auto *p = std::get_if<FleetProgress>(&event)) {
            if (p->phase != QLatin1String("running") || p->accountsTotal == 0)
                return;
            const QString line = progressLine(*p, mode);
            if (tty) {
                ctx.err << '\r' << line << "\x1b[K" << Qt::flush;
            } else if (sinceLine.elapsed() >= 3000) {
                ctx.err << line << Qt::endl;
                sinceLine.restart();
            }
        } else {
            result = std::get<FleetResult>(event);
        }
    });
    if (tty)
        ctx.err << Qt::endl;
    if (mode == FleetMode::Verify && ctx.replica) {
        // Every account's range reaches its yesterday.
        const date::local_days today = date::floor<date::days>(date::local_days{} + CliContext::now().time_since_epoch());
        const QString warning = ctx.replica->lag.warningFor(today - date::days{1}, today);
        if (!warning.isEmpty())
            ctx.err << warning << Qt::endl;
    }

    int match = 0, differs = 0, skipped = 0, failed = 0, done = 0, locked = 0, cancelled = 0;
    qint64 keys = 0, rows = 0;
    for (const FleetAccount &a : std::as_const(result.accounts)) {
        switch (a.status) {
        case FleetStatus::Match:
            ++match;
            break;
        case FleetStatus::Differs:
            ++differs;
            break;
        case FleetStatus::Done:
            ++done;
            break;
        case FleetStatus::Skipped:
            ++skipped;
            break;
        case FleetStatus::Locked:
            ++locked;
            break;
        case FleetStatus::Failed:
            ++failed;
            break;
        case FleetStatus::Cancelled:
        case FleetStatus::Queued:
        case FleetStatus::Running:
            ++cancelled;
            break;
        }
        keys += a.summary.keys;
        rows += a.rowsWritten;
        if (a.status == FleetStatus::Skipped && !a.note.isEmpty())
            ctx.err << tr("account %1: skipped: %2").arg(a.accountId).arg(a.note) << Qt::endl;
        else if ((a.status == FleetStatus::Failed || a.status == FleetStatus::Locked) && !a.note.isEmpty())
            ctx.err << tr("account %1: %2: %3").arg(a.accountId).arg(FleetRunner::statusName(a.status), a.note) << Qt::endl;
    }

    if (mode == FleetMode::Verify) {
        TableWriter out(ctx.out, format,
                        {QStringLiteral("account_id"), QStringLiteral("status"), QStringLiteral("keys"), QStringLiteral("match"),
                         QStringLiteral("mismatch"), QStringLiteral("missing"), QStringLiteral("extra"),
                         QStringLiteral("differing_days"), QStringLiteral("first_day"), QStringLiteral("last_day")},
                        {true, false, true, true, true, true, true, true, false, false});
        const bool only = parser.isSet(QStringLiteral("only-mismatches"));
        for (const FleetAccount &a : std::as_const(result.accounts)) {
            if (only && a.status == FleetStatus::Match)
                continue;
            out.row({QString::number(a.accountId), FleetRunner::statusName(a.status), QString::number(a.summary.keys),
                     QString::number(a.summary.matches), QString::number(a.summary.mismatches),
                     QString::number(a.summary.missing), QString::number(a.summary.extra),
                     QString::number(a.differingDays.size()), dayText(a.range, false), dayText(a.range, true)});
        }
        out.finish();
        ctx.err << tr("%n account(s): %1 match, %2 differ, %3 skipped, %4 errors; %5 keys compared; %6 s; journal %7", nullptr,
                      int(result.accounts.size()))
                       .arg(match)
                       .arg(differs)
                       .arg(skipped)
                       .arg(failed)
                       .arg(keys)
                       .arg(result.seconds, 0, 'f', 1)
                       .arg(result.journalPath)
                << Qt::endl;
    } else if (request.dryRun) {
        TableWriter out(ctx.out, OutputFormat::Table,
                        {QStringLiteral("account_id"), QStringLiteral("name"), QStringLiteral("events"),
                         QStringLiteral("first_day"), QStringLiteral("last_day"), QStringLiteral("days"), QStringLiteral("note")},
                        {true, false, true, false, false, true, false});
        qint64 days = 0;
        int runnable = 0;
        for (const FleetAccount &a : std::as_const(result.accounts)) {
            out.row({QString::number(a.accountId), a.name, QString::number(a.events), dayText(a.range, false),
                     dayText(a.range, true), QString::number(a.days), a.finished() ? a.note : QString()});
            if (!a.finished()) {
                days += a.days;
                ++runnable;
            }
        }
        out.finish();
        ctx.out << tr("dry run: %n account(s) to backfill, %1 days in all; nothing written", nullptr, runnable).arg(days)
                << Qt::endl;
    } else {
        TableWriter out(ctx.out, OutputFormat::Table,
                        {QStringLiteral("account_id"), QStringLiteral("status"), QStringLiteral("days"),
                         QStringLiteral("days_done"), QStringLiteral("rows_written"), QStringLiteral("events_read"),
                         QStringLiteral("live_touched_days"), QStringLiteral("note")},
                        {true, false, true, true, true, true, true, false});
        for (const FleetAccount &a : std::as_const(result.accounts))
            out.row({QString::number(a.accountId), FleetRunner::statusName(a.status), QString::number(a.days),
                     QString::number(a.daysDone), QString::number(a.rowsWritten), QString::number(a.eventsRead),
                     QString::number(a.liveTouchedDays.size()), a.note});
        out.finish();
        ctx.err << tr("%n account(s): %1 done, %2 skipped, %3 locked by another session, %4 failed, %5 not finished; "
                      "%6 rows written; %7 s; journal %8",
                      nullptr, int(result.accounts.size()))
                       .arg(done)
                       .arg(skipped)
                       .arg(locked)
                       .arg(failed)
                       .arg(cancelled)
                       .arg(rows)
                       .arg(result.seconds, 0, 'f', 1)
                       .arg(result.journalPath)
                << Qt::endl;
        ctx.err << tr("workers busy %1 s of %2 s (duty cycle %3, %n worker(s))", nullptr, request.workers)
                       .arg(result.busySeconds, 0, 'f', 2)
                       .arg(result.seconds, 0, 'f', 2)
                       .arg(request.dutyCycle)
                << Qt::endl;
        if (result.reruns > 0)
            ctx.err << tr("%n chunk(s) ran again after colliding with live writes (a row inserted meanwhile, a lost "
                          "deadlock or serialization race); live_touched_days names the days to verify",
                          nullptr, result.reruns)
                    << Qt::endl;
        if (cancelled > 0)
            ctx.err << tr("the same command with --resume finishes the run") << Qt::endl;
    }
    if (!result.error.isEmpty())
        ctx.err << tr("rollup-console %1: %2").arg(ctx.command, result.error) << Qt::endl;
    if (result.cancelled)
        return ExitCancelled;
    return result.exitCode();
}

} // namespace rollup
