#include "ui/verifymodel.h"

#include "ui/localeformat.h"

#include "core/metricregistry.h"
#include "ui/palette.h"
#include "ui/verifyformat.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rollup {

namespace {

constexpr double kAbsent = -std::numeric_limits<double>::max(); // sorts before every value

std::optional<double> average(const std::optional<RollupValues> &v, bool businessHours)
{
    if (!v || v->count == 0)
        return std::nullopt;
    return (businessHours ? v->sumValueBusinessHours : v->sumValue) / double(v->count);
}

double orZero(const std::optional<RollupValues> &v, int what)
{
    if (!v)
        return 0.0;
    return what == 0 ? double(v->count) : what == 1 ? v->sumValue : v->sumValueBusinessHours;
}

std::optional<double> valueOf(const CompareRow &r, bool duration, int column)
{
    auto side = [](const std::optional<RollupValues> &v, int what) -> std::optional<double> {
        if (!v)
            return std::nullopt;
        return orZero(v, what);
    };
    auto avgDelta = [&r, duration](bool bh) -> std::optional<double> {
        const auto a = average(r.rollup, bh), b = average(r.raw, bh);
        if (!duration || !a || !b)
            return std::nullopt;
        return *a - *b;
    };
    switch (column) {
    case VerifyModel::RollupCount:
        return side(r.rollup, 0);
    case VerifyModel::RawCount:
        return side(r.raw, 0);
    case VerifyModel::DeltaCount:
        return orZero(r.rollup, 0) - orZero(r.raw, 0);
    case VerifyModel::RollupSum:
        return side(r.rollup, 1);
    case VerifyModel::RawSum:
        return side(r.raw, 1);
    case VerifyModel::DeltaSum:
        return orZero(r.rollup, 1) - orZero(r.raw, 1);
    case VerifyModel::RollupSumBh:
        return side(r.rollup, 2);
    case VerifyModel::RawSumBh:
        return side(r.raw, 2);
    case VerifyModel::DeltaSumBh:
        return orZero(r.rollup, 2) - orZero(r.raw, 2);
    case VerifyModel::RollupAvg:
        return duration ? average(r.rollup, false) : std::nullopt;
    case VerifyModel::RawAvg:
        return duration ? average(r.raw, false) : std::nullopt;
    case VerifyModel::DeltaAvg:
        return avgDelta(false);
    case VerifyModel::RollupAvgBh:
        return duration ? average(r.rollup, true) : std::nullopt;
    case VerifyModel::RawAvgBh:
        return duration ? average(r.raw, true) : std::nullopt;
    default:
        return std::nullopt;
    }
}

bool isDelta(int column)
{
    return column == VerifyModel::DeltaCount || column == VerifyModel::DeltaSum || column == VerifyModel::DeltaSumBh;
}
bool isAverage(int column)
{
    return column == VerifyModel::RollupAvg || column == VerifyModel::RawAvg || column == VerifyModel::DeltaAvg
           || column == VerifyModel::RollupAvgBh || column == VerifyModel::RawAvgBh;
}

// Known names first in their registry order, then the rest alphabetically.
QStringList ordered(const QSet<QString> &present, const QStringList &known)
{
    QStringList out;
    for (const QString &k : known)
        if (present.contains(k))
            out << k;
    QStringList rest;
    for (const QString &p : present)
        if (!known.contains(p))
            rest << p;
    rest.sort();
    return out + rest;
}

} // namespace

VerifyModel::VerifyModel(QObject *parent) : QAbstractTableModel(parent)
{
}

QString VerifyModel::nameOf(const Data &data, const QString &dimensionType, qint64 dimensionId, bool *missing)
{
    const QHash<qint64, QString> *names = nullptr;
    if (dimensionType == QLatin1String("agent"))
        names = &data.agentNames;
    else if (dimensionType == QLatin1String("inbox"))
        names = &data.inboxNames;
    if (missing)
        *missing = false;
    if (dimensionType == QLatin1String("account") && dimensionId == data.accountId)
        return data.accountName;
    if (names) {
        const auto it = names->constFind(dimensionId);
        if (it != names->constEnd())
            return it.value();
        if (missing)
            *missing = true;
    }
    return QString::number(dimensionId);
}

VerifyModel::Data VerifyModel::prepare(const VerifyOutcome &outcome)
{
    Data d;
    d.rows = outcome.result.rows;
    d.agentNames = outcome.agentNames;
    d.inboxNames = outcome.inboxNames;
    d.accountId = outcome.result.plan.account.id;
    d.accountName = outcome.result.plan.account.name;

    QSet<QString> types, metrics;
    QSet<QPair<QString, qint64>> dims;
    for (const CompareRow &r : std::as_const(d.rows)) {
        types.insert(r.dimensionType);
        metrics.insert(r.metric);
        dims.insert({r.dimensionType, r.dimensionId});
    }
    d.dimensionTypes = ordered(types, MetricRegistry::dimensionTypes() << QStringLiteral("team"));
    d.metrics = ordered(metrics, MetricRegistry::metricNames());
    QHash<QString, int> typeRank, metricRank;
    for (int i = 0; i < d.dimensionTypes.size(); ++i)
        typeRank.insert(d.dimensionTypes.at(i), i);
    for (int i = 0; i < d.metrics.size(); ++i)
        metricRank.insert(d.metrics.at(i), i);

    d.dimensions = dims.values();
    std::sort(d.dimensions.begin(), d.dimensions.end(), [&typeRank](const auto &a, const auto &b) {
        const int ra = typeRank.value(a.first), rb = typeRank.value(b.first);
        return ra != rb ? ra < rb : a.second < b.second;
    });
    // Name rank: distinct display names in case-insensitive order.
    QList<QPair<QString, int>> labels; // name, index into d.dimensions
    for (int i = 0; i < d.dimensions.size(); ++i)
        labels.append({nameOf(d, d.dimensions.at(i).first, d.dimensions.at(i).second), i});
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto &a, const auto &b) { return QString::compare(a.first, b.first, Qt::CaseInsensitive) < 0; });
    QHash<QPair<QString, qint64>, int> nameRank;
    for (int i = 0; i < labels.size(); ++i)
        nameRank.insert(d.dimensions.at(labels.at(i).second), i);

    d.keys.reserve(d.rows.size());
    for (const CompareRow &r : std::as_const(d.rows)) {
        RowKeys k;
        k.nameRank = nameRank.value({r.dimensionType, r.dimensionId});
        k.metricRank = quint16(metricRank.value(r.metric));
        k.dimensionRank = quint8(std::min(typeRank.value(r.dimensionType), 255));
        k.duration = MetricRegistry::isDurationMetric(r.metric);
        d.keys.append(k);
    }
    return d;
}

void VerifyModel::setData(Data data)
{
    beginResetModel();
    m_data = std::move(data);
    endResetModel();
}

void VerifyModel::clear()
{
    setData(Data{});
}

int VerifyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_data.rows.size());
}
int VerifyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double VerifyModel::sortKey(int row, int column) const
{
    const CompareRow &r = m_data.rows.at(row);
    const RowKeys &k = m_data.keys.at(row);
    switch (column) {
    case Date:
        return double(r.date.time_since_epoch().count());
    case Dimension:
        return k.dimensionRank;
    case DimensionId:
        return double(r.dimensionId);
    case Name:
        return k.nameRank;
    case Metric:
        return k.metricRank;
    case Status:
        return Comparison::severity(r.status);
    default: {
        const auto v = valueOf(r, k.duration, column);
        return v ? *v : kAbsent;
    }
    }
}

QList<double> VerifyModel::sortKeys(int column) const
{
    QList<double> keys;
    keys.resize(m_data.rows.size());
    for (int row = 0; row < int(keys.size()); ++row)
        keys[row] = sortKey(row, column);
    return keys;
}

QVariant VerifyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CompareRow &r = m_data.rows.at(index.row());
    const RowKeys &k = m_data.keys.at(index.row());
    const int column = index.column();
    switch (role) {
    case SortRole:
        return sortKey(index.row(), column);
    case StatusRole:
        return int(r.status);
    case DayRole:
        return int(r.date.time_since_epoch().count());
    case DimensionTypeRole:
        return r.dimensionType;
    case DimensionIdRole:
        return r.dimensionId;
    case MetricRole:
        return r.metric;
    case NameMissingRole: {
        bool missing = false;
        nameOf(m_data, r.dimensionType, r.dimensionId, &missing);
        return missing;
    }
    case Qt::TextAlignmentRole:
        return column >= RollupCount || column == DimensionId ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::DecorationRole:
        return column == Status ? QVariant(VerifyFormat::statusColor(r.status)) : QVariant();
    case Qt::ForegroundRole:
        if (column == Name) {
            bool missing = false;
            nameOf(m_data, r.dimensionType, r.dimensionId, &missing);
            if (missing)
                return Palette::mutedText();
        }
        return {};
    case Qt::ToolTipRole: {
        if (column == Name) {
            bool missing = false;
            nameOf(m_data, r.dimensionType, r.dimensionId, &missing);
            if (missing)
                return r.dimensionType == QLatin1String("agent")
                           ? tr("No users row with id %1 (deleted agent)").arg(r.dimensionId)
                           : tr("No inboxes row with id %1 (deleted inbox)").arg(r.dimensionId);
            return {};
        }
        const auto v = valueOf(r, k.duration, column);
        if (!v || column < RollupCount)
            return {};
        if (isAverage(column) || (k.duration && column >= RollupSum))
            return tr("%1 s (%2)").arg(VerifyFormat::number(*v), VerifyFormat::duration(*v, true));
        return VerifyFormat::number(*v);
    }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Date:
        return LocaleFormat::date(r.date);
    case Dimension:
        return VerifyFormat::dimensionText(r.dimensionType);
    case DimensionId:
        return QString::number(r.dimensionId);
    case Name:
        return nameOf(m_data, r.dimensionType, r.dimensionId);
    case Metric:
        return r.metric;
    case Status:
        return VerifyFormat::statusText(r.status);
    default:
        break;
    }
    const auto v = valueOf(r, k.duration, column);
    if (!v)
        return QString();
    if (column == DeltaAvg)
        return *v == 0.0 ? QString() : VerifyFormat::duration(*v, true);
    if (isAverage(column))
        return VerifyFormat::duration(*v);
    if (isDelta(column))
        return VerifyFormat::signedNumber(*v);
    return VerifyFormat::shortNumber(*v);
}

QVariant VerifyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        if (section == DeltaCount || section == DeltaSum || section == DeltaSumBh || section == DeltaAvg)
            return tr("Rollup minus raw (a missing side counts as 0)");
        if (isAverage(section))
            return tr("Sum / count, for duration metrics (what Chatwoot's reports show)");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Date:
        return tr("Date");
    case Dimension:
        return tr("Dimension");
    case DimensionId:
        return tr("Id");
    case Name:
        return tr("Name");
    case Metric:
        return tr("Metric");
    case Status:
        return tr("Status");
    case RollupCount:
        return tr("Rollup count");
    case RawCount:
        return tr("Raw count");
    case DeltaCount:
        return tr("Δ count");
    case RollupSum:
        return tr("Rollup sum");
    case RawSum:
        return tr("Raw sum");
    case DeltaSum:
        return tr("Δ sum");
    case RollupAvg:
        return tr("Rollup avg");
    case RawAvg:
        return tr("Raw avg");
    case DeltaAvg:
        return tr("Δ avg");
    case RollupSumBh:
        return tr("Rollup sum (BH)");
    case RawSumBh:
        return tr("Raw sum (BH)");
    case DeltaSumBh:
        return tr("Δ sum (BH)");
    case RollupAvgBh:
        return tr("Rollup avg (BH)");
    case RawAvgBh:
        return tr("Raw avg (BH)");
    default:
        return {};
    }
}

} // namespace rollup
