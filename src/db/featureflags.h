#pragma once

#include "core/accountchange.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace rollup {

class Connection;

// Reads and sets bits of accounts.feature_flags (FeatureBits). Runs in the calling thread on
// `connection` (the thread that opened it) and throws DbError; nothing is written when enable()
// throws.
class FeatureFlags
{
    Q_DECLARE_TR_FUNCTIONS(FeatureFlags)

public:
    explicit FeatureFlags(Connection &connection) : m_connection(connection) { }

    // accounts.feature_flags; nullopt when the account does not exist.
    std::optional<qint64> read(qint64 accountId);
    // Sets one bit with the single atomic statement
    //   UPDATE accounts SET feature_flags = feature_flags | ?::bigint, updated_at = now() AT TIME ZONE 'UTC'
    //       WHERE id = ? RETURNING feature_flags
    // so every other bit, also one flipped concurrently by Chatwoot, survives. One READ
    // COMMITTED transaction (AccountAudit::beginAccountWrite): the row is locked first (SELECT
    // ... FOR UPDATE, which also gives `before`), and when the database has Chatwoot's `audits`
    // table the audit row {"feature_flags": [old, new]} is written in the same transaction.
    // When the bit was already set nothing is written (no UPDATE, no audit row), like an
    // ActiveRecord save without changes. `feature` names the bit in the audit comment (e.g.
    // "report_rollup"); `before` and `change`, when given, receive the old value and what was
    // written. Returns the new value; nullopt when the account does not exist (nothing written).
    // Throws DbError for a bit outside 0..62 (nothing sent) and on any database error (e.g. 25006
    // on a read-only connection; nothing written, no audit row).
    std::optional<qint64> enable(qint64 accountId, int bit, const QString &feature = {}, qint64 *before = nullptr,
                                 AccountChange *change = nullptr);

private:
    Connection &m_connection;
};

} // namespace rollup
