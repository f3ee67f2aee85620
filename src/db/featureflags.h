#pragma once

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
    explicit FeatureFlags(Connection &connection) : m_connection(connection) {}

    // accounts.feature_flags; nullopt when the account does not exist.
    std::optional<qint64> read(qint64 accountId);
    // Sets one bit with the single atomic statement
    //   UPDATE accounts SET feature_flags = feature_flags | ?::bigint WHERE id = ? RETURNING feature_flags
    // so every other bit, also one flipped concurrently by Chatwoot, survives. Returns the new
    // value; nullopt when the account does not exist (nothing written). Throws DbError for a bit
    // outside 0..62 (nothing sent) and on any database error (e.g. 25006 on a read-only connection).
    std::optional<qint64> enable(qint64 accountId, int bit);

private:
    Connection &m_connection;
};

} // namespace rollup
