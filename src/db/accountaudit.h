#pragma once

#include "core/accountchange.h"

#include <QCoreApplication>
#include <QString>
#include <QVariantList>

namespace rollup {

class Connection;

// Chatwoot's audit log for the account changes the console makes. Chatwoot Enterprise makes
// Account `audited except: :updated_at, on: [:update]`, so a change made through ActiveRecord
// leaves a row in `audits`; the console's own UPDATEs write the same row themselves, in the
// same transaction:
//   auditable_type 'Account', auditable_id = associated_id = the account, associated_type
//   'Account' (Enterprise::AuditLog's after-save for account audits), action 'update',
//   audited_changes {"<column>": [old, new]} per changed column, version = the account's
//   highest audit version + 1 (1 for the first, as the audited gem numbers them), username
//   "rollup-console: <user>@<host>", comment = the change in words, a fresh request_uuid,
//   created_at = now in UTC; user_id, user_type and remote_address NULL (no Chatwoot user).
// Without the table (Community edition) nothing is written and nothing fails.
//
// Runs in the calling thread on `connection`; throws DbError.
class AccountAudit
{
    Q_DECLARE_TR_FUNCTIONS(AccountAudit)

public:
    explicit AccountAudit(Connection &connection) : m_connection(connection) { }

    // Whether the connected database has Chatwoot's `audits` table with every column written
    // above (to_regclass in the session's search_path). Asked of the server once per
    // connection; the answer is kept with the connection.
    bool available();

    // Opens the transaction an account write runs in: READ COMMITTED whatever the server's
    // default, so that after waiting for another writer's row lock, the next statement (the
    // audit's max(version)) sees that writer's committed audit row.
    static void beginAccountWrite(Connection &connection);

    // Writes the audit row of an UPDATE of account `accountId`. Call inside the write's
    // transaction, after the statement that locked the account row (SELECT ... FOR UPDATE or the
    // UPDATE itself): the version is computed under that lock, so two writers of one account
    // never get the same version. `changesSql` is a jsonb expression with ? placeholders built
    // only from bound values (`changesValues`), e.g.
    //   jsonb_build_object('settings', jsonb_build_array(?::jsonb, ?::jsonb)).
    // Does nothing when available() is false. Sets change->auditVersion / requestUuid;
    // change->comment is written as the comment.
    void recordUpdate(qint64 accountId, const QString &changesSql, const QVariantList &changesValues, AccountChange *change);

    // "rollup-console: ana@laptop": the audits.username of the console's rows.
    static QString username();

private:
    Connection &m_connection;
};

} // namespace rollup
