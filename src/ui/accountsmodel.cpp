#include "ui/accountsmodel.h"

#include "ui/localeformat.h"
#include "ui/palette.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <date/tz.h>

#include <limits>

namespace rollup {

namespace {

qint64 microsKey(const std::optional<SysMicros> &t)
{
    return t ? qint64(t->time_since_epoch().count()) : std::numeric_limits<qint64>::min();
}

QString displayDay(date::local_days day)
{
    return LocaleFormat::date(day);
}

qint64 dayKey(const std::optional<date::local_days> &d)
{
    return d ? qint64(d->time_since_epoch().count()) : std::numeric_limits<qint64>::min();
}

} // namespace

AccountsModel::AccountsModel(QObject *parent) : QAbstractTableModel(parent), m_now(currentTime())
{
}

void AccountsModel::setAccounts(const QList<AccountRow> &accounts)
{
    beginResetModel();
    m_rows.clear();
    m_rowOfId.clear();
    m_statsLoaded = 0;
    m_rows.reserve(accounts.size());
    m_rowOfId.reserve(accounts.size());
    // Most installations use a handful of zones: resolve each distinct stored value once.
    QHash<QString, ZoneResolution> resolved;
    for (const AccountRow &a : accounts) {
        Entry e;
        e.account = a;
        if (a.storedTimezone.isString()) {
            const QString key = a.storedTimezone.toString();
            auto it = resolved.constFind(key);
            if (it == resolved.cend())
                it = resolved.insert(key, a.zone());
            e.zone = *it;
        } else {
            e.zone = a.zone();
        }
        e.stats.accountId = a.id;
        if (const auto h = m_health.constFind(a.id); h != m_health.cend())
            e.health = *h;
        if (const auto c = m_lastChanges.constFind(a.id); c != m_lastChanges.cend())
            e.lastChange = *c;
        m_rowOfId.insert(a.id, int(m_rows.size()));
        m_rows.append(std::move(e));
    }
    updateOffsets();
    endResetModel();
}

void AccountsModel::mergeStats(const QList<qint64> &accountIds, const QHash<qint64, AccountStats> &stats)
{
    int first = int(m_rows.size()), last = -1;
    for (qint64 id : accountIds) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        Entry &e = m_rows[row];
        const auto it = stats.constFind(id);
        e.stats = it != stats.cend() ? *it : AccountStats{};
        e.stats.accountId = id;
        e.coverage = AccountStats::coverageText(e.stats.rollups, displayDay);
        e.firstDay = AccountStats::eventDayText(e.stats.events.first, e.zone, displayDay);
        e.lastDay = AccountStats::eventDayText(e.stats.events.last, e.zone, displayDay);
        if (!std::exchange(e.statsLoaded, true))
            ++m_statsLoaded;
        first = std::min(first, row);
        last = std::max(last, row);
    }
    if (last >= 0)
        emit dataChanged(index(first, RollupCoverage), index(last, LastEventDay));
}

void AccountsModel::setHealth(const QHash<qint64, AccountHealth> &health)
{
    m_health = health;
    for (Entry &e : m_rows) {
        const auto h = health.constFind(e.account.id);
        e.health = h != health.cend() ? std::optional(*h) : std::nullopt;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Health), index(int(m_rows.size()) - 1, CheckedAt));
}

void AccountsModel::setLastChanges(const QHash<qint64, HistoryEntry> &changes)
{
    m_lastChanges = changes;
    for (Entry &e : m_rows) {
        const auto c = changes.constFind(e.account.id);
        e.lastChange = c != changes.cend() ? std::optional(*c) : std::nullopt;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, LastChange), index(int(m_rows.size()) - 1, LastChange));
}

const AccountHealth *AccountsModel::healthAt(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).health ? &*m_rows.at(row).health : nullptr;
}

void AccountsModel::setNow(SysSeconds now)
{
    m_now = now;
    updateOffsets();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, LocalNow), index(int(m_rows.size()) - 1, LocalNow));
}

void AccountsModel::updateOffsets()
{
    for (Entry &e : m_rows)
        e.offsetSeconds = e.zone.usable() ? int(e.zone.zone->get_info(m_now).offset.count()) : std::numeric_limits<int>::min();
}

const AccountRow *AccountsModel::accountAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).account : nullptr;
}

const ZoneResolution *AccountsModel::zoneAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).zone : nullptr;
}

const AccountStats *AccountsModel::statsAt(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).statsLoaded ? &m_rows.at(row).stats : nullptr;
}

int AccountsModel::rowOf(qint64 accountId) const
{
    return m_rowOfId.value(accountId, -1);
}

int AccountsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int AccountsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountsModel::display(const Entry &e, int column) const
{
    const bool statsColumn = column >= RollupCoverage && column <= LastEventDay;
    if (statsColumn && !e.statsLoaded)
        return QStringLiteral("…");
    switch (column) {
    case Id:
        return QString::number(e.account.id);
    case Name:
        return e.account.name;
    case StoredTimezone:
        if (e.account.settingsNull)
            return tr("(settings NULL)");
        return e.account.storedTimezone.isUndefined() ? tr("(absent)") : e.account.storedTimezoneText();
    case State:
        switch (e.zone.state) {
        case ZoneResolution::State::NotSet:
            return tr("not set");
        case ZoneResolution::State::IanaId:
            return tr("IANA");
        case ZoneResolution::State::RailsName:
            return tr("Rails name");
        case ZoneResolution::State::Invalid:
            return tr("invalid");
        }
        return {};
    case Resolved:
        if (e.zone.state == ZoneResolution::State::NotSet)
            return tr("— (rollups off until a zone is set)");
        return e.zone.usable() ? e.zone.ianaId : e.zone.reason;
    case LocalNow:
        if (!e.zone.usable())
            return {};
        {
            const auto local = date::make_zoned(e.zone.zone, m_now);
            return LocaleFormat::date(date::floor<date::days>(local.get_local_time()))
                   + QString::fromStdString(date::format(" %H:%M %Z", local));
        }
    case RollupCoverage:
        return e.coverage;
    case FirstEventDay:
        return e.firstDay;
    case LastEventDay:
        return e.lastDay;
    case Health:
        if (!e.health)
            return QStringLiteral("—");
        if (!e.health->error.isEmpty())
            return tr("error");
        return QStringLiteral("%1 %").arg(
            QLocale().toString(e.health->summary.matchRate() * 100.0, 'f', e.health->clean() ? 0 : 1));
    case DifferingDays:
        return e.health && e.health->error.isEmpty() ? QLocale().toString(e.health->summary.daysWithDifferences) : QString();
    case CheckedAt:
        return e.health ? QLocale().toString(e.health->checkedAt.toLocalTime(), QLocale::ShortFormat) : QString();
    case LastChange:
        if (!e.lastChange)
            return QString();
        return QStringLiteral("%1 · %2").arg(QLocale().toString(e.lastChange->record.at.toLocalTime(), QLocale::ShortFormat),
                                             e.lastChange->record.summary);
    default:
        return {};
    }
}

QVariant AccountsModel::sortKey(const Entry &e, int column) const
{
    switch (column) {
    case Id:
        return e.account.id;
    case State:
        return int(e.zone.state);
    case LocalNow:
        return e.offsetSeconds;
    case RollupCoverage:
        return dayKey(e.stats.rollups.first);
    case FirstEventDay:
        return microsKey(e.stats.events.first);
    case LastEventDay:
        return microsKey(e.stats.events.last);
    // Never verified sorts below every rate; a failed verify below every success.
    case Health:
        return !e.health ? -2.0 : !e.health->error.isEmpty() ? -1.0 : e.health->summary.matchRate();
    case DifferingDays:
        return e.health ? e.health->summary.daysWithDifferences : qint64(-1);
    case CheckedAt:
        return e.health ? e.health->checkedAt.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    case LastChange:
        return e.lastChange ? e.lastChange->record.at.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    default:
        return display(e, column);
    }
}

QVariant AccountsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry &e = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case AccountIdRole:
        return e.account.id;
    case Qt::DisplayRole:
        return display(e, column);
    case SortRole:
        return sortKey(e, column);
    case Qt::ForegroundRole:
        if (column == Health && e.health)
            return QBrush(e.health->clean() ? Palette::match() : Palette::mismatch());
        if (column == Health)
            return QBrush(Palette::mutedText());
        if (column >= RollupCoverage && column <= LastEventDay && !e.statsLoaded)
            return QBrush(Palette::mutedText());
        if (column == State && e.zone.state == ZoneResolution::State::Invalid)
            return QBrush(Palette::errorText());
        if (column == State && e.zone.state == ZoneResolution::State::NotSet)
            return QBrush(Palette::mutedText());
        if ((column == FirstEventDay || column == LastEventDay) && !e.zone.usable())
            return QBrush(Palette::mutedText());
        return {};
    case Qt::ToolTipRole:
        if (column >= RollupCoverage && column <= LastEventDay && !e.statsLoaded)
            return tr("Statistics are still loading");
        if (column == LastChange && e.lastChange)
            return tr("%1 by %2 on %3: %4")
                .arg(e.lastChange->record.action, e.lastChange->record.who, e.lastChange->record.server,
                     e.lastChange->outcomeText());
        if (column >= Health && column <= CheckedAt && !e.health)
            return tr("Not verified from this machine yet");
        if (column >= Health && column <= CheckedAt && !e.health->error.isEmpty())
            return e.health->error;
        if (column >= Health && column <= CheckedAt) {
            const CompareSummary &m = e.health->summary;
            return tr("%1 .. %2%3: %4 keys, %5 match, %6 differ, %7 missing, %8 extra")
                .arg(e.health->firstDay, e.health->lastDay, e.health->wholeHistory ? tr(" (whole history)") : QString())
                .arg(m.keys)
                .arg(m.matches)
                .arg(m.mismatches)
                .arg(m.missing)
                .arg(m.extra);
        }
        if (column == State || column == Resolved)
            return e.zone.describe();
        if ((column == FirstEventDay || column == LastEventDay) && !e.zone.usable() && !e.firstDay.isEmpty())
            return tr("No usable time zone: the UTC date is shown");
        return {};
    case Qt::TextAlignmentRole:
        if (column == Id || column == Health || column == DifferingDays)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("ID");
    case Name:
        return tr("Name");
    case StoredTimezone:
        return tr("Stored reporting_timezone");
    case State:
        return tr("State");
    case Resolved:
        return tr("Resolved zone / reason");
    case LocalNow:
        return tr("Local time now");
    case RollupCoverage:
        return tr("Rollup dates");
    case FirstEventDay:
        return tr("First event day");
    case LastEventDay:
        return tr("Last event day");
    case Health:
        return tr("Rollups match");
    case DifferingDays:
        return tr("Differing days");
    case CheckedAt:
        return tr("Verified");
    case LastChange:
        return tr("Last change");
    default:
        return {};
    }
}

} // namespace rollup
