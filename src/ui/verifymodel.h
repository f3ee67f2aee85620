#pragma once

#include "jobs/verifyjob.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPair>

namespace rollup {

// The verify table: one row per compared key (CompareRow). GUI thread only, except prepare(),
// which is pure and meant for the worker thread so that the GUI thread only swaps data in.
// Sorting is numeric (SortRole, and sortKey() for the proxy's fast path).
class VerifyModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Date,
        Dimension,
        DimensionId,
        Name,
        Metric,
        Status,
        RollupCount,
        RawCount,
        DeltaCount,
        RollupSum,
        RawSum,
        DeltaSum,
        RollupAvg,
        RawAvg,
        DeltaAvg,
        RollupSumBh,
        RawSumBh,
        DeltaSumBh,
        RollupAvgBh,
        RawAvgBh,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // double: numeric key of the column
        StatusRole, // int(CompareStatus)
        DayRole, // int: local day, days since 1970-01-01
        DimensionTypeRole, // QString
        DimensionIdRole, // qint64
        MetricRole, // QString
        NameMissingRole // bool: agent/inbox id without a users/inboxes row
    };

    // Precomputed per-row keys for sorting and filtering.
    struct RowKeys
    {
        int nameRank = 0;
        quint16 metricRank = 0;
        quint8 dimensionRank = 0;
        bool duration = false;
    };
    struct Data
    {
        QList<CompareRow> rows;
        QList<RowKeys> keys;
        QHash<qint64, QString> agentNames;
        QHash<qint64, QString> inboxNames;
        qint64 accountId = 0;
        QString accountName;
        QStringList dimensionTypes; // present in rows, known ones first
        QStringList metrics; // present in rows, registry order first
        QList<QPair<QString, qint64>> dimensions; // distinct (type, id), sorted
    };
    // Pure; any thread.
    static Data prepare(const VerifyOutcome &outcome);
    // "Alice", the account's name, or the id as text when the users/inboxes row is gone.
    static QString nameOf(const Data &data, const QString &dimensionType, qint64 dimensionId, bool *missing = nullptr);

    explicit VerifyModel(QObject *parent = nullptr);

    void setData(Data data); // resets the model
    void clear();
    const Data &data() const { return m_data; }
    const CompareRow &rowAt(int row) const { return m_data.rows.at(row); }
    const RowKeys &keysAt(int row) const { return m_data.keys.at(row); }
    double sortKey(int row, int column) const; // what SortRole returns, without a QVariant
    QList<double> sortKeys(int column) const; // sortKey() of every row

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Data m_data;
};

} // namespace rollup
