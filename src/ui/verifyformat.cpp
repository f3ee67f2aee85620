#include "ui/verifyformat.h"

#include "ui/localeformat.h"
#include "ui/palette.h"

#include <QLocale>

#include <cmath>

namespace rollup {

QString VerifyFormat::duration(double seconds, bool signedPlus)
{
    if (!std::isfinite(seconds))
        return QString();
    const QString sign = seconds < 0 ? QStringLiteral("−") : (signedPlus && seconds > 0 ? QStringLiteral("+") : QString());
    const double a = std::fabs(seconds);
    if (a < 1.0) {
        const double tenths = std::round(a * 10.0) / 10.0;
        return sign + tr("%1 s").arg(tenths == 0.0 ? QStringLiteral("0") : LocaleFormat::number(tenths, 'f', 1));
    }
    const qint64 s = qint64(std::llround(a));
    const qint64 d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
    QString text;
    if (d > 0)
        text = h > 0 ? tr("%1 d %2 h").arg(d).arg(h) : tr("%1 d").arg(d);
    else if (h > 0)
        text = m > 0 ? tr("%1 h %2 min").arg(h).arg(m) : tr("%1 h").arg(h);
    else if (m > 0)
        text = sec > 0 ? tr("%1 min %2 s").arg(m).arg(sec) : tr("%1 min").arg(m);
    else
        text = tr("%1 s").arg(sec);
    return sign + text;
}

QString VerifyFormat::number(double value)
{
    return LocaleFormat::number(value, 'g', QLocale::FloatingPointShortest);
}

QString VerifyFormat::shortNumber(double value)
{
    if (!std::isfinite(value))
        return number(value);
    const QString point = LocaleFormat::decimalPoint();
    QString text = LocaleFormat::number(value, 'f', 3);
    if (text.contains(point)) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(point))
            text.chop(point.size());
    }
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

QString VerifyFormat::signedNumber(double value)
{
    if (value == 0.0)
        return QString();
    const QString digits = shortNumber(std::fabs(value));
    if (digits == QLatin1String("0"))
        return (value < 0 ? QStringLiteral("−0") : QStringLiteral("+0")) + LocaleFormat::decimalPoint()
               + QStringLiteral("000…"); // below the shown precision
    return (value < 0 ? QStringLiteral("−") : QStringLiteral("+")) + digits;
}

QString VerifyFormat::statusText(CompareStatus status)
{
    switch (status) {
    case CompareStatus::Match:
        return tr("match");
    case CompareStatus::Mismatch:
        return tr("mismatch");
    case CompareStatus::Missing:
        return tr("missing");
    case CompareStatus::Extra:
        return tr("extra");
    }
    return QString();
}

QString VerifyFormat::dimensionText(const QString &type)
{
    if (type == QLatin1String("account"))
        return tr("account");
    if (type == QLatin1String("agent"))
        return tr("agent");
    if (type == QLatin1String("inbox"))
        return tr("inbox");
    if (type == QLatin1String("team"))
        return tr("team");
    return type;
}

QColor VerifyFormat::statusColor(CompareStatus status)
{
    switch (status) {
    case CompareStatus::Match:
        return Palette::match();
    case CompareStatus::Extra:
        return Palette::extra();
    case CompareStatus::Missing:
        return Palette::missing();
    case CompareStatus::Mismatch:
        return Palette::mismatch();
    }
    return QColor();
}

QColor VerifyFormat::noKeysColor()
{
    return Palette::empty();
}

} // namespace rollup
