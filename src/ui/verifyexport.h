#pragma once

#include "core/comparison.h"

#include <QList>
#include <QStringList>

class QIODevice;

namespace rollup {

// Writes verify rows exactly like `rollup-console verify --format csv|json`: the same header,
// RFC 4180 CSV, or a JSON array of objects keyed by the header with numbers as JSON numbers and
// an absent side as null (empty CSV cell). Pure; any thread (the view runs it on a pool thread).
class VerifyExport
{
public:
    enum class Format { Csv, Json };
    static QStringList header();
    // Returns false and sets `error` when the device does not take the bytes.
    static bool write(QIODevice &device, Format format, const QList<CompareRow> &rows, QString *error = nullptr);
    // Convenience: the file is replaced atomically (QSaveFile).
    static bool writeFile(const QString &path, Format format, const QList<CompareRow> &rows, QString *error = nullptr);
    static Format formatForPath(const QString &path); // ".json" -> Json, anything else -> Csv
};

} // namespace rollup
