#include "core/accountselection.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace rollup {

std::optional<AccountSelection> AccountSelection::parse(const QString &text, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<AccountSelection> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    static const QRegularExpression item(QStringLiteral("^\\s*(\\d{1,10})\\s*(?:-\\s*(\\d{1,10})\\s*)?$"));
    AccountSelection out;
    out.m_all = false;
    out.m_text = text.trimmed();
    if (out.m_text.isEmpty())
        return fail(tr("the account list is empty"));
    qint64 count = 0;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QRegularExpressionMatch m = item.match(part);
        if (!m.hasMatch())
            return fail(tr("'%1' in the account list is not an id or a range like 20-30").arg(part.trimmed().left(40)));
        const qint64 from = m.captured(1).toLongLong();
        const qint64 to = m.captured(2).isEmpty() ? from : m.captured(2).toLongLong();
        if (from <= 0 || to > 2147483647)
            return fail(tr("'%1' in the account list is out of range (ids are 1 .. 2147483647)").arg(part.trimmed()));
        if (to < from)
            return fail(tr("the range '%1' in the account list ends before it starts").arg(part.trimmed()));
        count += to - from + 1;
        if (count > kMaxRangeIds)
            return fail(tr("the account list names more than %1 ids").arg(kMaxRangeIds));
        out.m_ranges.append({from, to});
    }
    std::sort(out.m_ranges.begin(), out.m_ranges.end());
    QList<std::pair<qint64, qint64>> merged;
    for (const auto &r : std::as_const(out.m_ranges)) {
        if (!merged.isEmpty() && r.first <= merged.last().second + 1)
            merged.last().second = std::max(merged.last().second, r.second);
        else
            merged.append(r);
    }
    out.m_ranges = merged;
    return out;
}

AccountSelection AccountSelection::ofIds(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    AccountSelection out;
    out.m_all = false;
    QStringList parts;
    for (qint64 id : std::as_const(ids)) {
        if (!out.m_ranges.isEmpty() && id == out.m_ranges.last().second + 1)
            out.m_ranges.last().second = id;
        else
            out.m_ranges.append({id, id});
    }
    for (const auto &[from, to] : std::as_const(out.m_ranges))
        parts << (from == to ? QString::number(from) : QStringLiteral("%1-%2").arg(from).arg(to));
    out.m_text = parts.join(QLatin1Char(','));
    return out;
}

bool AccountSelection::contains(qint64 accountId) const
{
    if (m_all)
        return true;
    const auto it = std::upper_bound(m_ranges.cbegin(), m_ranges.cend(), accountId,
                                     [](qint64 id, const std::pair<qint64, qint64> &r) { return id < r.first; });
    return it != m_ranges.cbegin() && accountId <= std::prev(it)->second;
}

} // namespace rollup
