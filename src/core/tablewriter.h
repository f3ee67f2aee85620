#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

namespace rollup {

enum class OutputFormat { Table, Csv, Json };

// Tabular output shared by the CLI and the GUI's exports: aligned text, RFC 4180 CSV with a
// header, or a JSON array of objects keyed by the header (in header order). `numeric` columns
// are right-aligned in a table and JSON numbers (an empty cell is null); other cells are
// strings. CSV and JSON stream row by row; a table is laid out when finished. Any thread.
class TableWriter
{
public:
    TableWriter(QTextStream &out, OutputFormat format, QStringList header, QList<bool> numeric = {});
    void row(const QStringList &cells);
    // Ends the output (the table itself, or the JSON array's closing bracket) and flushes.
    void finish();

    // "table", "csv", "json" (those in `allowed`) -> format; false for anything else.
    static bool parseFormat(const QString &text, OutputFormat *format, const QStringList &allowed);
    static QString csvField(const QString &field);
    // Convenience: every row at once.
    static void write(QTextStream &out, OutputFormat format, const QStringList &header, const QList<QStringList> &rows,
                      const QList<bool> &numeric = {});

private:
    bool isNumeric(qsizetype column) const { return column < m_numeric.size() && m_numeric.at(column); }
    QTextStream &m_out;
    OutputFormat m_format;
    QStringList m_header;
    QList<bool> m_numeric;
    QList<QStringList> m_tableRows; // Table only
    bool m_first = true;
};

} // namespace rollup
