#pragma once

#include <QDate>
#include <QString>

#include <chrono>
#include <optional>

#include <date/date.h>

namespace rollup {

using SysSeconds = std::chrono::sys_seconds;
using SysMicros = std::chrono::sys_time<std::chrono::microseconds>;

// Strict YYYY-MM-DD parsing: a real calendar date or nothing. On failure `error` (if given)
// receives a one-line reason naming the input.
std::optional<date::local_days> parseLocalDate(const QString &text, QString *error = nullptr);
QString formatLocalDate(date::local_days day);
// "2026-03-08T05:00:00Z"
QString formatUtcInstant(SysSeconds instant);
// Microsecond instants as stored in reporting_events.created_at, "2026-03-08 05:00:00.000001"
QString formatUtcMicros(SysMicros instant);
// Parse "YYYY-MM-DD HH:MM:SS[.ffffff]" / ISO forms (naive UTC), as PostgreSQL prints timestamps.
std::optional<SysMicros> parseUtcTimestamp(const QString &text);

// The one clock of the console: the system clock in whole seconds, unless ROLLUP_CONSOLE_NOW
// (an ISO instant, e.g. 2026-03-10T12:00:00Z) pins it (tests, reproducing a run). Any thread.
SysSeconds currentTime();

// Calendar days between the date library and Qt's date widgets.
QDate toQDate(date::local_days day);
date::local_days fromQDate(QDate day);

} // namespace rollup
