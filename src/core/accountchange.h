#pragma once

#include <QString>

namespace rollup {

// What one write to an `accounts` row did, as the repositories report it. Plain value.
struct AccountChange
{
    // False: the column already held the new value. Like an ActiveRecord save without changes,
    // nothing was committed then (no UPDATE, no updated_at, no audit row).
    bool changed = false;
    // The row written to Chatwoot's `audits` table in the same transaction: its version
    // (1, 2, ... per account) and request_uuid. 0 / empty: none (the table is absent, or nothing
    // changed).
    int auditVersion = 0;
    QString requestUuid;
    // The change in words, as written to audits.comment, e.g. "reporting_timezone Asia/Kolkata ->
    // America/Sao_Paulo"; also set when no audit row was written, once the old value was read
    // (empty for a feature bit that was already on).
    QString comment;
};

} // namespace rollup
