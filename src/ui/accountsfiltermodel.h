#pragma once

#include <QSortFilterProxyModel>

namespace rollup {

class AccountsModel;

// Sorts AccountsModel on its SortRole and filters on the filter string (setFilterFixedString /
// setFilterRegularExpression): a row matches when the text equals its id (all digits), or is
// found in its name, stored reporting_timezone or resolved zone. Reads the source rows directly
// instead of building QVariants, so filtering 20,000+ rows per keystroke stays fast.
// GUI thread only.
class AccountsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AccountsFilterModel(AccountsModel *source, QObject *parent = nullptr);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    AccountsModel *m_source;
};

} // namespace rollup
