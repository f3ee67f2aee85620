#include "core/verifyexport.h"

#include <QIODevice>
#include <QLocale>
#include <QSaveFile>

namespace rollup {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

QString cell(const std::optional<RollupValues> &v, int what)
{
    if (!v)
        return QString();
    return what == 0 ? QString::number(v->count) : number(what == 1 ? v->sumValue : v->sumValueBusinessHours);
}

} // namespace

QStringList VerifyExport::header()
{
    return {QStringLiteral("date"),
            QStringLiteral("dimension_type"),
            QStringLiteral("dimension_id"),
            QStringLiteral("metric"),
            QStringLiteral("status"),
            QStringLiteral("rollup_count"),
            QStringLiteral("raw_count"),
            QStringLiteral("rollup_sum_value"),
            QStringLiteral("raw_sum_value"),
            QStringLiteral("rollup_sum_value_business_hours"),
            QStringLiteral("raw_sum_value_business_hours")};
}

QList<bool> VerifyExport::numeric()
{
    return {false, false, true, false, false, true, true, true, true, true, true};
}

QStringList VerifyExport::cells(const CompareRow &r)
{
    return {formatLocalDate(r.date),
            r.dimensionType,
            QString::number(r.dimensionId),
            r.metric,
            Comparison::statusName(r.status),
            cell(r.rollup, 0),
            cell(r.raw, 0),
            cell(r.rollup, 1),
            cell(r.raw, 1),
            cell(r.rollup, 2),
            cell(r.raw, 2)};
}

OutputFormat VerifyExport::formatForPath(const QString &path)
{
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? OutputFormat::Json : OutputFormat::Csv;
}

void VerifyExport::write(QTextStream &out, OutputFormat format, const QList<CompareRow> &rows, bool onlyDifferences)
{
    TableWriter writer(out, format, header(), numeric());
    for (const CompareRow &r : rows)
        if (!onlyDifferences || r.status != CompareStatus::Match)
            writer.row(cells(r));
    writer.finish();
}

bool VerifyExport::write(QIODevice &device, OutputFormat format, const QList<CompareRow> &rows, QString *error)
{
    QTextStream out(&device);
    write(out, format, rows);
    const bool ok = out.status() == QTextStream::Ok;
    if (!ok && error)
        *error = device.errorString();
    return ok;
}

bool VerifyExport::writeFile(const QString &path, OutputFormat format, const QList<CompareRow> &rows, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!write(file, format, rows, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace rollup
