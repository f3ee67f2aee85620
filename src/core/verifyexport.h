#pragma once

#include "core/comparison.h"
#include "core/tablewriter.h"

#include <QList>
#include <QStringList>

class QIODevice;

namespace rollup {

// The one definition of verify's output columns, used by `rollup-console verify` (table, CSV,
// JSON) and the verify view's export (CSV, JSON): date, dimension, id, metric, status, and the
// stored (rollup_*) and recomputed (raw_*) count and sums; an absent side is an empty cell
// (null in JSON). Pure; any thread.
class VerifyExport
{
public:
    using Format = OutputFormat;
    static QStringList header();
    static QList<bool> numeric();
    static QStringList cells(const CompareRow &row);

    static void write(QTextStream &out, OutputFormat format, const QList<CompareRow> &rows, bool onlyDifferences = false);
    // Returns false and sets `error` when the device does not take the bytes.
    static bool write(QIODevice &device, OutputFormat format, const QList<CompareRow> &rows, QString *error = nullptr);
    // The file is replaced atomically (QSaveFile).
    static bool writeFile(const QString &path, OutputFormat format, const QList<CompareRow> &rows, QString *error = nullptr);
    static OutputFormat formatForPath(const QString &path); // ".json" -> Json, anything else -> Csv
};

} // namespace rollup
