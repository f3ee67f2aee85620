#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace rollup {

class Connection;

// Chatwoot's accounts.feature_flags (FlagShihTzu: the i-th entry of features.yml is bit 1 << i).
// `report_rollup` gates the rollup READ path only (contract §1.5, §9 rule 14); it reclaimed
// mobile_v2's slot 20, bit 19. The bit number is a setting because forks reorder features.yml.
//
// Instance methods run in the calling thread on `connection` (the thread that opened it) and
// throw DbError; nothing is written when enable() throws.
class FeatureFlags
{
    Q_DECLARE_TR_FUNCTIONS(FeatureFlags)

public:
    static constexpr int kDefaultReportRollupBit = 19;
    static constexpr const char *kReportRollupBitKey = "readPath/reportRollupBit";

    // QSettings value kReportRollupBitKey; the default (19) when unset or outside 0..62.
    // Any thread (QSettings is reentrant).
    static int reportRollupBit();
    static void setReportRollupBit(int bit); // for the settings UI and tests
    static qint64 mask(int bit) { return qint64(1) << bit; }
    static bool isSet(qint64 flags, int bit) { return (flags & mask(bit)) != 0; }

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
