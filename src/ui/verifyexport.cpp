#include "ui/verifyexport.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>

namespace rollup {

namespace {

QString number(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

QString csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n'))
        && !field.contains(QLatin1Char('\r')))
        return field;
    QString q = field;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes a one-element array; strip the brackets.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

} // namespace

QStringList VerifyExport::header()
{
    return {QStringLiteral("date"), QStringLiteral("dimension_type"), QStringLiteral("dimension_id"), QStringLiteral("metric"),
            QStringLiteral("status"), QStringLiteral("rollup_count"), QStringLiteral("raw_count"),
            QStringLiteral("rollup_sum_value"), QStringLiteral("raw_sum_value"),
            QStringLiteral("rollup_sum_value_business_hours"), QStringLiteral("raw_sum_value_business_hours")};
}

VerifyExport::Format VerifyExport::formatForPath(const QString &path)
{
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? Format::Json : Format::Csv;
}

bool VerifyExport::write(QIODevice &device, Format format, const QList<CompareRow> &rows, QString *error)
{
    const QStringList head = header();
    QByteArray buffer;
    buffer.reserve(1 << 20);
    bool ok = true;
    auto flush = [&](bool force) {
        if (ok && (force || buffer.size() > (1 << 20))) {
            ok = device.write(buffer) == buffer.size();
            buffer.clear();
        }
    };
    if (format == Format::Csv)
        buffer += head.join(QLatin1Char(',')).toUtf8() + '\n';
    else
        buffer += '[';
    bool first = true;
    for (const CompareRow &r : rows) {
        auto cell = [](const std::optional<RollupValues> &v, int what) {
            if (!v)
                return QString();
            return what == 0 ? QString::number(v->count) : number(what == 1 ? v->sumValue : v->sumValueBusinessHours);
        };
        const QStringList fields = {formatLocalDate(r.date), r.dimensionType, QString::number(r.dimensionId), r.metric,
                                    Comparison::statusName(r.status), cell(r.rollup, 0), cell(r.raw, 0), cell(r.rollup, 1),
                                    cell(r.raw, 1), cell(r.rollup, 2), cell(r.raw, 2)};
        if (format == Format::Csv) {
            QStringList escaped;
            for (const QString &f : fields)
                escaped << csvField(f);
            buffer += escaped.join(QLatin1Char(',')).toUtf8() + '\n';
        } else {
            buffer += first ? "\n  {" : ",\n  {";
            for (int i = 0; i < head.size(); ++i) {
                if (i)
                    buffer += ", ";
                buffer += '"' + head.at(i).toUtf8() + "\": ";
                const bool numeric = i == 2 || i >= 5;
                if (numeric)
                    buffer += fields.at(i).isEmpty() ? QByteArray("null") : fields.at(i).toUtf8();
                else
                    buffer += jsonString(fields.at(i));
            }
            buffer += '}';
        }
        first = false;
        flush(false);
    }
    if (format == Format::Json)
        buffer += first ? "]\n" : "\n]\n";
    flush(true);
    if (!ok && error)
        *error = device.errorString();
    return ok;
}

bool VerifyExport::writeFile(const QString &path, Format format, const QList<CompareRow> &rows, QString *error)
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
