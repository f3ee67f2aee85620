#include "cli/clicontext.h"
#include "core/daywindow.h"
#include "core/tablewriter.h"
#include "core/zoneresolver.h"

#include <QCoreApplication>

namespace rollup {

int runDayBounds(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "DayBounds", "Prints the UTC window [start, end) of each local date, computed like ActiveSupport's tz.parse(date)."));
    parser.addOption({QStringLiteral("timezone"),
                      QCoreApplication::translate("DayBounds", "IANA id or Rails time zone name (case-sensitive)"),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("from"), QCoreApplication::translate("DayBounds", "first local date, YYYY-MM-DD"),
                      QStringLiteral("date")});
    parser.addOption({QStringLiteral("to"),
                      QCoreApplication::translate("DayBounds", "last local date, YYYY-MM-DD (default: --from)"),
                      QStringLiteral("date")});
    parser.addOption({QStringLiteral("format"), QCoreApplication::translate("DayBounds", "csv (default) or table"),
                      QStringLiteral("format"), QStringLiteral("csv")});
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? 0 : 2;
    if (!parser.isSet(QStringLiteral("timezone")))
        return ctx.fail(QCoreApplication::translate("DayBounds", "--timezone is required"));
    if (!parser.isSet(QStringLiteral("from")))
        return ctx.fail(QCoreApplication::translate("DayBounds", "--from is required"));
    OutputFormat format;
    if (!TableWriter::parseFormat(parser.value(QStringLiteral("format")), &format,
                                  {QStringLiteral("csv"), QStringLiteral("table")}))
        return ctx.fail(QCoreApplication::translate("DayBounds", "--format must be csv or table, not '%1'")
                            .arg(parser.value(QStringLiteral("format"))));
    const ZoneResolution zone = ZoneResolver::resolveName(parser.value(QStringLiteral("timezone")));
    if (!zone.usable())
        return ctx.fail(QCoreApplication::translate("DayBounds", "unknown time zone: %1")
                            .arg(zone.state == ZoneResolution::State::NotSet
                                     ? QCoreApplication::translate("DayBounds", "blank name")
                                     : zone.reason));
    QString error;
    const auto from = parseLocalDate(parser.value(QStringLiteral("from")), &error);
    if (!from)
        return ctx.fail(QStringLiteral("--from: %1").arg(error));
    const auto to = parseLocalDate(
        parser.isSet(QStringLiteral("to")) ? parser.value(QStringLiteral("to")) : parser.value(QStringLiteral("from")), &error);
    if (!to)
        return ctx.fail(QStringLiteral("--to: %1").arg(error));
    if (*from > *to)
        return ctx.fail(QCoreApplication::translate("DayBounds", "--from %1 is after --to %2")
                            .arg(formatLocalDate(*from), formatLocalDate(*to)));
    if ((*to - *from).count() > 366 * 200)
        return ctx.fail(QCoreApplication::translate("DayBounds", "range of %1 days is too long (at most 200 years)")
                            .arg((*to - *from).count() + 1));
    QList<QStringList> rows;
    for (const DayWindow &w : DayWindows::windows(zone.zone, *from, *to))
        rows << QStringList{zone.ianaId, formatLocalDate(w.day), formatUtcInstant(w.start), formatUtcInstant(w.end),
                            w.hoursText()};
    TableWriter::write(ctx.out, format,
                       {QStringLiteral("zone"), QStringLiteral("date"), QStringLiteral("start_utc"), QStringLiteral("end_utc"),
                        QStringLiteral("hours")},
                       rows, {false, false, false, false, true});
    return 0;
}

} // namespace rollup
