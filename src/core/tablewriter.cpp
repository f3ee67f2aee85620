#include "core/tablewriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace rollup {

namespace {

QString jsonString(const QString &s)
{
    // QJsonDocument escapes a one-element array; strip the brackets.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

QString jsonNumber(const QString &cell)
{
    if (cell.isEmpty())
        return QStringLiteral("null");
    bool ok = false;
    cell.toDouble(&ok);
    return ok ? cell : jsonString(cell);
}

} // namespace

TableWriter::TableWriter(QTextStream &out, OutputFormat format, QStringList header, QList<bool> numeric)
    : m_out(out), m_format(format), m_header(std::move(header)), m_numeric(std::move(numeric))
{
    if (m_format == OutputFormat::Csv) {
        QStringList h;
        for (const QString &c : std::as_const(m_header))
            h << csvField(c);
        m_out << h.join(QLatin1Char(',')) << '\n';
    } else if (m_format == OutputFormat::Json) {
        m_out << '[';
    }
}

void TableWriter::row(const QStringList &cells)
{
    switch (m_format) {
    case OutputFormat::Table:
        m_tableRows.append(cells);
        break;
    case OutputFormat::Csv: {
        QStringList f;
        for (const QString &c : cells)
            f << csvField(c);
        m_out << f.join(QLatin1Char(',')) << '\n';
        break;
    }
    case OutputFormat::Json:
        m_out << (m_first ? "\n  {" : ",\n  {");
        for (qsizetype i = 0; i < m_header.size() && i < cells.size(); ++i) {
            if (i)
                m_out << ", ";
            m_out << jsonString(m_header.at(i)) << ": " << (isNumeric(i) ? jsonNumber(cells.at(i)) : jsonString(cells.at(i)));
        }
        m_out << '}';
        break;
    }
    m_first = false;
}

void TableWriter::finish()
{
    if (m_format == OutputFormat::Json) {
        m_out << (m_first ? "]\n" : "\n]\n");
    } else if (m_format == OutputFormat::Table) {
        QList<qsizetype> widths;
        for (const QString &c : std::as_const(m_header))
            widths << c.size();
        for (const QStringList &r : std::as_const(m_tableRows))
            for (qsizetype i = 0; i < r.size() && i < widths.size(); ++i)
                widths[i] = std::max(widths[i], r.at(i).size());
        auto line = [&](const QStringList &cells) {
            QStringList padded;
            for (qsizetype i = 0; i < cells.size() && i < widths.size(); ++i)
                padded << (isNumeric(i) ? cells.at(i).rightJustified(widths[i]) : cells.at(i).leftJustified(widths[i]));
            QString text = padded.join(QStringLiteral("  "));
            while (text.endsWith(QLatin1Char(' ')))
                text.chop(1);
            m_out << text << '\n';
        };
        line(m_header);
        QStringList rule;
        for (qsizetype w : std::as_const(widths))
            rule << QString(w, QLatin1Char('-'));
        m_out << rule.join(QStringLiteral("  ")) << '\n';
        for (const QStringList &r : std::as_const(m_tableRows))
            line(r);
        m_tableRows.clear();
    }
    m_out.flush();
}

bool TableWriter::parseFormat(const QString &text, OutputFormat *format, const QStringList &allowed)
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

QString TableWriter::csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n'))
        && !field.contains(QLatin1Char('\r')))
        return field;
    QString f = field;
    f.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + f + QLatin1Char('"');
}

void TableWriter::write(QTextStream &out, OutputFormat format, const QStringList &header, const QList<QStringList> &rows,
                        const QList<bool> &numeric)
{
    TableWriter writer(out, format, header, numeric);
    for (const QStringList &r : rows)
        writer.row(r);
    writer.finish();
}

} // namespace rollup
