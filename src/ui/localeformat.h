#pragma once

#include "core/localdate.h"

#include <QLocale>
#include <QString>

namespace rollup {

// How the window writes calendar days for the language it speaks. English keeps the console's
// ISO 8601 days (2026-03-08: what the CLI prints and the database stores, and unambiguous where
// the English locales' short formats are not); a translated window follows its locale with a
// four-digit year (pt_BR: 08/03/2026). Machine-readable output (CLI, exports) stays ISO
// whatever the language. Any thread.
namespace LocaleFormat {

bool usesIsoDates(const QLocale &locale = QLocale());
// The QDateEdit/QDate display format of the same rule ("yyyy-MM-dd", "dd/MM/yyyy").
QString dateFormat(const QLocale &locale = QLocale());
QString date(date::local_days day, const QLocale &locale = QLocale());
// "first … last" of a range of days.
QString dateRange(date::local_days first, date::local_days last, const QLocale &locale = QLocale());

// A measured value with the same rule: English keeps plain digits with a point (87626.757), a
// translated window its locale's separators (pt_BR: 87.626,757). format/precision as QString::number.
QString number(double value, char format = 'g', int precision = 6, const QLocale &locale = QLocale());
QString decimalPoint(const QLocale &locale = QLocale());

} // namespace LocaleFormat
} // namespace rollup
