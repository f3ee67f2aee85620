#pragma once

#include "db/dberror.h"

#include <QString>

namespace rollup {

class Connection;

// Whether a connection keeps one PostgreSQL server session across its transactions — what the
// console needs: a session-level advisory lock held over many transactions, Qt's named
// prepared statements, session settings (timeouts, read-only). A direct connection and a pool
// in session mode (PgBouncer pool_mode = session) keep one; a pool that hands out a server per
// transaction or statement (pool_mode = transaction / statement) does not, and then things break
// at random moments. The check refuses such a pool up front, before anything is read or written.
//
// How it decides, without relying on chance:
//  * Direct TCP: the server sees exactly our socket (inet_client_addr/port = our local end,
//    inet_server_addr/port = the end we dialled). Nothing can be in between; done.
//  * Otherwise (a Unix socket, a proxy), in each of kRounds rounds, between the connection's
//    own transactions (each asks for its backend pid and a session setting that holds it):
//    its next transaction (a pool that rotates its servers serves it from another one); a
//    second connection that opens a transaction (a pool that reuses the server released last,
//    PgBouncer's default, gives it ours); that connection's ROLLBACK, then our next transaction
//    (the pool now gives us the server the second one released). A connection that keeps one
//    server session always sees its own pid and setting, and the second connection never gets
//    its session; with a transaction pool one of these steps lands elsewhere, also while other
//    clients come and go. A pool in statement mode refuses the transaction block outright.
class SessionProbe
{
public:
    // The one-line error, SQLSTATE kPoolingState. `evidence` says what was seen.
    static DbError poolingError(const QString &server, const QString &evidence);
    static inline const QString kPoolingState = QStringLiteral("RC001");
    static bool isPoolingError(const DbError &error) { return error.sqlState() == kPoolingState; }

    // Runs on a connection that has just opened and whose first statement set
    // rollup_console.session to its backend pid (Connection does both). Throws poolingError()
    // when the connection does not keep one server session; DbError when a statement fails.
    // A second connection that cannot log in or waits longer than kPinWaitMs for a free server
    // (a full session pool) proves nothing either way: the check then passes, and
    // Connection::begin() still compares the backend pid in every transaction.
    static void requireOneSession(Connection &connection);

    // Each round is another chance for a transaction pool to show itself. Other clients can
    // take the released server first in one round; with two rounds, about one connection in 150
    // got through a pool kept busy by eight other clients on a loaded two-core machine.
    static constexpr int kRounds = 4;
    static constexpr int kPinWaitMs = 5000;
};

} // namespace rollup
