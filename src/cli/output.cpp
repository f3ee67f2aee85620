#include "cli/output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rollup {

bool TableOutput::parseFormat(const QString &text, OutputFormat *format, const QStringList &allowed)
{
    if (!allowed.contains(text))
        return false;
    if (text == QLatin1String("csv"))
        *format = OutputFormat::Csv;
    else if (text == QLatin1String("json"))
        *format = OutputFormat::Json;
    else
        *format = OutputFormat::Table;
    return true;
}

QString TableOutput::csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n'))
        && !field.contains(QLatin1Char('\r')))
        return field;
    QString f = field;
    f.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + f + QLatin1Char('"');
}

void TableOutput::write(QTextStream &out, OutputFormat format, const QStringList &header, const QList<QStringList> &rows,
                        const QList<bool> &numeric)
{
    switch (format) {
    case OutputFormat::Csv: {
        QStringList h;
        for (const QString &c : header)
            h << csvField(c);
        out << h.join(QLatin1Char(',')) << '\n';
        for (const QStringList &r : rows) {
            QStringList f;
            for (const QString &c : r)
                f << csvField(c);
            out << f.join(QLatin1Char(',')) << '\n';
        }
        break;
    }
    case OutputFormat::Json: {
        QJsonArray array;
        for (const QStringList &r : rows) {
            QJsonObject o;
            for (int i = 0; i < header.size() && i < r.size(); ++i) {
                if (i < numeric.size() && numeric.at(i))
                    o.insert(header.at(i), r.at(i).isEmpty() ? QJsonValue() : QJsonValue(r.at(i).toDouble()));
                else
                    o.insert(header.at(i), r.at(i));
            }
            array.append(o);
        }
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        break;
    }
    case OutputFormat::Table: {
        QList<int> widths;
        for (const QString &c : header)
            widths << int(c.size());
        for (const QStringList &r : rows)
            for (int i = 0; i < r.size() && i < widths.size(); ++i)
                widths[i] = std::max(widths[i], int(r.at(i).size()));
        auto line = [&](const QStringList &cells) {
            QStringList padded;
            for (int i = 0; i < cells.size() && i < widths.size(); ++i)
                padded << ((i < numeric.size() && numeric.at(i)) ? cells.at(i).rightJustified(widths[i])
                                                                  : cells.at(i).leftJustified(widths[i]));
            out << padded.join(QStringLiteral("  ")).trimmed() << '\n';
        };
        line(header);
        QStringList rule;
        for (int w : widths)
            rule << QString(w, QLatin1Char('-'));
        out << rule.join(QStringLiteral("  ")) << '\n';
        for (const QStringList &r : rows)
            line(r);
        break;
    }
    }
    out.flush();
}

} // namespace rollup
