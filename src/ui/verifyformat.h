#pragma once

#include "core/comparison.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

namespace rollup {

// Text and colours shared by the verify table, heatmap, chart and drill-down. Pure; any thread
// (QColor values only, no widgets).
class VerifyFormat
{
    Q_DECLARE_TR_FUNCTIONS(VerifyFormat)
public:
    // "1 h 23 min", "2 d 3 h", "4 min 5 s", "42 s", "0.4 s"; rounded to whole seconds from one
    // second up; negative values get a leading minus sign; `signedPlus` puts "+" before positives.
    static QString duration(double seconds, bool signedPlus = false);
    // Shortest round-trip text, as the CLI prints sums ("140", "0.1").
    static QString number(double value);
    // For table cells: at most 3 decimals, trailing zeros dropped ("20079.282", "140").
    static QString shortNumber(double value);
    // "+3", "−2.5" ("" for 0), shortNumber() digits: deltas read rollup − raw.
    static QString signedNumber(double value);
    static QString statusText(CompareStatus status); // translated status name
    // A dimension_type as the window names it ("account" -> translated); the value itself stays
    // what filters, exports and the database use.
    static QString dimensionText(const QString &type);
    static QColor statusColor(CompareStatus status);
    static QColor noKeysColor();
};

} // namespace rollup
