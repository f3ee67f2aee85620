#include "core/localdate.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace rollup {

std::optional<date::local_days> parseLocalDate(const QString &text, QString *error)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        if (error)
            *error = QCoreApplication::translate("LocalDate", "malformed date '%1': expected YYYY-MM-DD").arg(text.left(64));
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{m.captured(1).toInt()}, date::month{m.captured(2).toUInt()},
                                   date::day{m.captured(3).toUInt()}};
    if (!ymd.ok()) {
        if (error)
            *error = QCoreApplication::translate("LocalDate", "impossible date '%1': no such day in the calendar").arg(text);
        return std::nullopt;
    }
    return date::local_days{ymd};
}

QString formatLocalDate(date::local_days day)
{
    return QString::fromStdString(date::format("%F", day));
}

QString formatUtcInstant(SysSeconds instant)
{
    return QString::fromStdString(date::format("%FT%TZ", instant));
}

QString formatUtcMicros(SysMicros instant)
{
    return QString::fromStdString(date::format("%F %T", instant));
}

std::optional<SysMicros> parseUtcTimestamp(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?Z?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const date::year_month_day ymd{date::year{m.captured(1).toInt()}, date::month{m.captured(2).toUInt()},
                                   date::day{m.captured(3).toUInt()}};
    if (!ymd.ok())
        return std::nullopt;
    const int h = m.captured(4).toInt(), mi = m.captured(5).toInt(), s = m.captured(6).toInt();
    if (h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    QString frac = m.captured(7);
    frac = frac.leftJustified(6, QLatin1Char('0'));
    return SysMicros{date::sys_days{ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s}
           + std::chrono::microseconds{frac.toLongLong()};
}

SysSeconds currentTime()
{
    const QByteArray pinned = qgetenv("ROLLUP_CONSOLE_NOW");
    if (!pinned.isEmpty())
        if (const std::optional<SysMicros> t = parseUtcTimestamp(QString::fromLatin1(pinned)))
            return date::floor<std::chrono::seconds>(*t);
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

QDate toQDate(date::local_days day)
{
    const date::year_month_day ymd{day};
    return QDate(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}

date::local_days fromQDate(QDate day)
{
    return date::local_days{date::year{day.year()} / date::month{unsigned(day.month())} / date::day{unsigned(day.day())}};
}

} // namespace rollup
