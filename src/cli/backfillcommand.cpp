#include "cli/cli.h"
#include "cli/clicontext.h"
#include "cli/fleetcommand.h"
#include "jobs/backfilljob.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <chrono>
#include <cstdio>

namespace rollup {

namespace {

// "2025-02-03, 2025-02-05..2025-02-07": sorted days, consecutive ones as one span.
QString daySpans(const QList<date::local_days> &days)
{
    QStringList spans;
    for (qsizetype i = 0; i < days.size();) {
        qsizetype j = i;
        while (j + 1 < days.size() && days.at(j + 1) == days.at(j) + date::days{1})
            ++j;
        spans << (i == j ? formatLocalDate(days.at(i))
                         : QStringLiteral("%1..%2").arg(formatLocalDate(days.at(i)), formatLocalDate(days.at(j))));
        i = j + 1;
    }
    return spans.join(QStringLiteral(", "));
}

} // namespace

int runBackfill(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "BackfillCommand",
        "Rebuilds reporting_events_rollups for one account and a range of local days, exactly like Chatwoot's "
        "BackfillService (every day: delete all its rows, insert the recomputed ones, in one transaction per chunk)."));
    CliContext::addAccountOption(parser);
    CliContext::addRangeOptions(
        parser,
        QCoreApplication::translate("BackfillCommand", "allow today's (still open) local day; races Chatwoot's live upserts"));
    parser.addOption(
        {QStringLiteral("dry-run"), QCoreApplication::translate("BackfillCommand", "print the plan and write nothing")});
    parser.addOption(
        {QStringLiteral("yes"), QCoreApplication::translate("BackfillCommand", "do not ask for confirmation on a terminal")});
    FleetCommand::addOptions(parser, FleetMode::Backfill);
    CliContext::addConnectionOptions(parser);
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? 0 : 2;
    if (FleetCommand::wanted(parser))
        return FleetCommand::run(ctx, parser, FleetMode::Backfill);
    const std::optional<qint64> accountId = ctx.accountId(parser);
    if (!accountId)
        return ExitUsage;
    const std::optional<RangeRequest> range = ctx.rangeRequest(parser);
    if (!range)
        return ExitUsage;

    const std::optional<JobContext> context
        = ctx.connect(parser, parser.isSet(QStringLiteral("dry-run")) ? CliContext::Access::Read : CliContext::Access::Write);
    if (!context)
        return 2;
    BackfillPlanRequest request;
    request.accountId = *accountId;
    request.range = *range;
    const BackfillPlanOutcome planned = BackfillJob::prepare(*context, request, CliContext::now());
    if (!planned.ok())
        return ctx.fail(planned.error);
    const BackfillPlan &plan = planned.plan;
    if (parser.isSet(QStringLiteral("dry-run"))) {
        ctx.out << plan.describe() << "\n";
        ctx.out << QCoreApplication::translate("BackfillCommand", "dry run: nothing written") << Qt::endl;
        return 0;
    }
    const bool interactive = ctx.stdinIsTerminal();
    if (plan.longRange && !parser.isSet(QStringLiteral("yes")) && !interactive)
        return ctx.fail(
            QCoreApplication::translate("BackfillCommand", "the range has %1 days, more than %2; pass --yes to confirm it")
                .arg(plan.windows.size())
                .arg(RangePlanner::kLongRangeDays));
    ctx.err << plan.describe() << Qt::endl;
    if (plan.empty()) {
        ctx.out << QCoreApplication::translate("BackfillCommand", "nothing to do: %1").arg(plan.note) << Qt::endl;
        return 0;
    }
    if (plan.longRange) {
        // Announced, and never run silently: a script must say --yes, a person answers the prompt.
        ctx.err << QCoreApplication::translate("BackfillCommand", "note: %1 days is more than %2 days; this can take a while")
                       .arg(plan.windows.size())
                       .arg(RangePlanner::kLongRangeDays)
                << Qt::endl;
    }
    if (plan.includesToday)
        ctx.err << QCoreApplication::translate("BackfillCommand", "warning: today's local day is included; "
                                                                  "Chatwoot's live upserts for today race this backfill")
                << Qt::endl;
    if (!parser.isSet(QStringLiteral("yes")) && interactive) {
        ctx.err << QCoreApplication::translate("BackfillCommand", "Backfill %1 days of account %2? [y/N] ")
                       .arg(plan.windows.size())
                       .arg(plan.account.id)
                << Qt::flush;
        char answer[16] = {0};
        if (!std::fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            ctx.err << QCoreApplication::translate("BackfillCommand", "aborted; nothing written") << Qt::endl;
            return 1;
        }
    }

    const bool tty = ctx.stderrIsTerminal();
    QElapsedTimer sinceLine;
    sinceLine.start();
    auto progress = [&](const BackfillProgress &p) {
        const QString line
            = QCoreApplication::translate("BackfillCommand", "%1/%2 days  %3  events %4  rows %5  %6 s  %7 days/s  ETA %8 s")
                  .arg(p.daysDone)
                  .arg(p.daysTotal)
                  .arg(formatLocalDate(p.currentDay))
                  .arg(p.eventsRead)
                  .arg(p.rowsWritten)
                  .arg(p.elapsedSeconds, 0, 'f', 1)
                  .arg(p.daysPerSecond, 0, 'f', 1)
                  .arg(p.etaSeconds, 0, 'f', 0);
        if (tty) {
            ctx.err << '\r' << line << "\x1b[K" << Qt::flush;
        } else if (sinceLine.elapsed() >= 3000 || p.daysDone == p.daysTotal) {
            ctx.err << line << Qt::endl;
            sinceLine.restart();
        }
    };
    BackfillResult result;
    Jobs::wait<BackfillEvent>(BackfillJob::start(context->settings(), plan, 7, ctx.cancel), [&](const BackfillEvent &event) {
        if (const auto *p = std::get_if<BackfillProgress>(&event))
            progress(*p);
        else
            result = std::get<BackfillResult>(event);
    });
    if (!result.historyError.isEmpty())
        ctx.err << QCoreApplication::translate("BackfillCommand", "warning: %1").arg(result.historyError) << Qt::endl;
    if (result.refused)
        return ctx.fail(result.error); // another backfill holds the account: nothing written
    if (tty)
        ctx.err << Qt::endl;
    if (!result.liveTouchedDays.isEmpty())
        ctx.err << QCoreApplication::translate(
                       "BackfillCommand",
                       "note: %n day(s) were also written by another session while this "
                       "backfill ran (Chatwoot's live path) and may differ from their events: %1; check them "
                       "with: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches",
                       nullptr, int(result.liveTouchedDays.size()))
                       .arg(daySpans(result.liveTouchedDays), QString::number(plan.account.id),
                            formatLocalDate(result.liveTouchedDays.first()), formatLocalDate(result.liveTouchedDays.last()))
                << Qt::endl;
    switch (result.outcome) {
    case BackfillResult::Outcome::Completed:
        ctx.out << QCoreApplication::translate("BackfillCommand", "backfill complete: %1").arg(result.summary()) << Qt::endl;
        return 0;
    case BackfillResult::Outcome::Cancelled:
        // One pass over the placeholders (multi-argument arg()): the summary is never re-scanned.
        ctx.err << QCoreApplication::translate("BackfillCommand", "cancelled: %1; %2 days not processed%3")
                       .arg(result.summary(), QString::number(result.pendingDays.size()),
                            result.pendingDays.isEmpty() ? QString()
                                                         : QCoreApplication::translate("BackfillCommand", " (from %1)")
                                                               .arg(formatLocalDate(result.pendingDays.first())))
                << Qt::endl;
        return ExitCancelled;
    case BackfillResult::Outcome::Failed:
        ctx.err << QCoreApplication::translate("BackfillCommand", "rollup-console backfill: failed at %1").arg(result.error)
                << Qt::endl;
        ctx.err << QCoreApplication::translate("BackfillCommand", "done before the failure: %1; those days keep their new rows, "
                                                                  "the failed days keep their old rows")
                       .arg(result.summary())
                << Qt::endl;
        return ExitFailed;
    }
    return ExitFailed;
}

} // namespace rollup
