#include "ui/localeformat.h"

#include <QRegularExpression>

namespace rollup::LocaleFormat {

bool usesIsoDates(const QLocale &locale)
{
    return locale.language() == QLocale::English || locale.language() == QLocale::C;
}

QString dateFormat(const QLocale &locale)
{
    if (usesIsoDates(locale))
        return QStringLiteral("yyyy-MM-dd");
    QString format = locale.dateFormat(QLocale::ShortFormat);
    // Short formats often carry a two-digit year; days of rollups span decades.
    static const QRegularExpression year(QStringLiteral("y+"));
    format.replace(year, QStringLiteral("yyyy"));
    return format;
}

QString date(date::local_days day, const QLocale &locale)
{
    if (usesIsoDates(locale))
        return formatLocalDate(day);
    return locale.toString(toQDate(day), dateFormat(locale));
}

QString dateRange(date::local_days first, date::local_days last, const QLocale &locale)
{
    return QStringLiteral("%1 … %2").arg(date(first, locale), date(last, locale));
}

QString number(double value, char format, int precision, const QLocale &locale)
{
    return usesIsoDates(locale) ? QString::number(value, format, precision) : locale.toString(value, format, precision);
}

QString decimalPoint(const QLocale &locale)
{
    return usesIsoDates(locale) ? QStringLiteral(".") : locale.decimalPoint();
}

} // namespace rollup::LocaleFormat
