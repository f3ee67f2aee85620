#pragma once

#include <QSqlError>
#include <QString>

#include <stdexcept>

namespace rollup {

// Thrown inside the db and jobs layers; caught at the job/CLI boundary and turned into a
// one-line message. Never shown in a dialog from these layers.
class DbError : public std::runtime_error
{
public:
    explicit DbError(const QString &message, const QString &sqlState = {});
    static DbError fromSql(const QSqlError &error, const QString &context = {});
    QString message() const { return m_message; }
    QString sqlState() const { return m_sqlState; }
    bool isCancel() const { return m_sqlState == QLatin1String("57014"); } // query_canceled
    bool isConnectionLoss() const;
    // The transaction lost a deadlock (40P01) or a serialization race (40001): it was rolled back
    // whole, and running it again may succeed.
    bool isRetryable() const { return m_sqlState == QLatin1String("40P01") || m_sqlState == QLatin1String("40001"); }

private:
    QString m_message;
    QString m_sqlState;
};

// libpq messages span lines; the console shows one.
QString oneLine(const QString &text);

// Whether a connection failure is the server asking for a password (none was given, or it was
// wrong): libpq's "no password supplied" / "password authentication failed".
bool needsPassword(const QString &connectionError);

} // namespace rollup
