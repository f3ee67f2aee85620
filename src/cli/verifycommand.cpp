#include "cli/cli.h"
#include "cli/clicontext.h"
#include "cli/fleetcommand.h"
#include "core/verifyexport.h"
#include "jobs/verifyjob.h"

#include <QCoreApplication>

namespace rollup {

int runVerify(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "VerifyCommand", "Compares stored reporting_events_rollups rows with what a backfill would write from the raw events. "
                         "Exit 0: everything matches; 1: differences; 2: error."));
    CliContext::addAccountOption(parser);
    CliContext::addRangeOptions(parser, QCoreApplication::translate("VerifyCommand", "allow today's local day"));
    parser.addOption({QStringLiteral("format"), QCoreApplication::translate("VerifyCommand", "table (default), csv or json"),
                      QStringLiteral("format"), QStringLiteral("table")});
    parser.addOption(
        {QStringLiteral("only-mismatches"), QCoreApplication::translate("VerifyCommand", "leave out keys that match")});
    FleetCommand::addOptions(parser, FleetMode::Verify);
    CliContext::addConnectionOptions(parser);
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? 0 : 2;
    if (FleetCommand::wanted(parser))
        return FleetCommand::run(ctx, parser, FleetMode::Verify);
    const std::optional<qint64> accountId = ctx.accountId(parser);
    if (!accountId)
        return ExitUsage;
    OutputFormat format;
    if (!TableWriter::parseFormat(parser.value(QStringLiteral("format")), &format,
                                  {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")}))
        return ctx.fail(QCoreApplication::translate("VerifyCommand", "--format must be table, csv or json, not '%1'")
                            .arg(parser.value(QStringLiteral("format"))));
    const std::optional<RangeRequest> range = ctx.rangeRequest(parser);
    if (!range)
        return ExitUsage;

    const std::optional<JobContext> context = ctx.connect(parser);
    if (!context)
        return 2;
    VerifyRequest request;
    request.accountId = *accountId;
    request.range = *range;
    const VerifyOutcome outcome = VerifyJob::run(*context, request, CliContext::now());
    if (outcome.cancelled)
        return ctx.fail(QCoreApplication::translate("VerifyCommand", "cancelled; no result"), ExitCancelled);
    if (!outcome.error.isEmpty())
        return ctx.fail(outcome.error);
    const VerifyResult &result = outcome.result;

    VerifyExport::write(ctx.out, format, result.rows, parser.isSet(QStringLiteral("only-mismatches")));
    const CompareSummary &s = result.summary;
    if (result.plan.empty())
        ctx.err << QCoreApplication::translate("VerifyCommand", "nothing to verify: %1").arg(result.plan.note) << Qt::endl;
    else
        ctx.err << QCoreApplication::translate("VerifyCommand",
                                               "account %1, %2 .. %3 (%4 days): %5 keys compared, %6 match, %7 mismatch, "
                                               "%8 missing, %9 extra, match rate %10%, %11 days with differences, %12 s")
                       .arg(result.plan.account.id)
                       .arg(formatLocalDate(result.plan.range.from), formatLocalDate(result.plan.range.to))
                       .arg(result.plan.windows.size())
                       .arg(s.keys)
                       .arg(s.matches)
                       .arg(s.mismatches)
                       .arg(s.missing)
                       .arg(s.extra)
                       .arg(s.matchRate() * 100.0, 0, 'f', 2)
                       .arg(s.daysWithDifferences)
                       .arg(result.seconds, 0, 'f', 2)
                << Qt::endl;
    if (!outcome.lagWarning.isEmpty())
        ctx.err << outcome.lagWarning << Qt::endl;
    if (result.outside.rows > 0)
        ctx.err << QCoreApplication::translate("VerifyCommand",
                                               "note: %n stored rollup row(s) outside the range were not compared "
                                               "(dated %1 .. %2; today's excluded); --from/--to include them, and a backfill "
                                               "of those days clears rows without events",
                                               nullptr, int(result.outside.rows))
                       .arg(formatLocalDate(*result.outside.first), formatLocalDate(*result.outside.last))
                << Qt::endl;
    return s.clean() ? 0 : ExitDifferences;
}

} // namespace rollup
