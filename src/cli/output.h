#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

namespace rollup {

enum class OutputFormat { Table, Csv, Json };

// Tabular output for the CLI: aligned text, RFC 4180 CSV with a header, or a JSON array of
// objects keyed by the header. Numbers given as text stay text in table/CSV; `numeric`
// columns are emitted as JSON numbers (empty -> null).
class TableOutput
{
public:
    static bool parseFormat(const QString &text, OutputFormat *format, const QStringList &allowed);
    static void write(QTextStream &out, OutputFormat format, const QStringList &header,
                      const QList<QStringList> &rows, const QList<bool> &numeric = {});
    static QString csvField(const QString &field);
};

} // namespace rollup
