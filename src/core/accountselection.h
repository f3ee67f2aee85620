#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace rollup {

// Which accounts a fleet run covers: all, or those a list names ("1,5,20-30").
class AccountSelection
{
    Q_DECLARE_TR_FUNCTIONS(AccountSelection)

public:
    AccountSelection() = default; // every account

    // Comma-separated ids and inclusive ranges of positive 32-bit ids; at most kMaxRangeIds ids
    // in all. nullopt and a one-line error naming the bad part otherwise.
    static std::optional<AccountSelection> parse(const QString &text, QString *error);
    static constexpr qint64 kMaxRangeIds = 10'000'000;

    // Exactly these ids (e.g. the rows selected in the accounts table); text() is the compact
    // list ("1,5,20-30") a CLI user could pass to --accounts.
    static AccountSelection ofIds(QList<qint64> ids);

    bool all() const { return m_all; }
    bool contains(qint64 accountId) const;
    QString text() const { return m_text; } // as given; "all" for every account

private:
    bool m_all = true;
    QList<std::pair<qint64, qint64>> m_ranges; // sorted, merged
    QString m_text = QStringLiteral("all");
};

} // namespace rollup
