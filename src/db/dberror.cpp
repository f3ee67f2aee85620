#include "db/dberror.h"

#include <QRegularExpression>

namespace rollup {

QString oneLine(const QString &text)
{
    QString t = text;
    t.replace(QRegularExpression(QStringLiteral("\\s*\\n\\s*")), QStringLiteral(" "));
    t.remove(QStringLiteral("(PSQL_STATUS_ERROR)"));
    t.remove(QRegularExpression(QStringLiteral("\\s*QPSQL: Unable to [a-z ]+$")));
    return t.simplified();
}

DbError::DbError(const QString &message, const QString &sqlState)
    : std::runtime_error(message.toStdString()), m_message(message), m_sqlState(sqlState)
{
}

DbError DbError::fromSql(const QSqlError &error, const QString &context)
{
    QString text = oneLine(error.databaseText());
    if (text.isEmpty())
        text = oneLine(error.driverText());
    if (text.startsWith(QLatin1String("ERROR: ")))
        text.remove(0, 7);
    if (!context.isEmpty())
        text = context + QStringLiteral(": ") + text;
    return DbError(text, error.nativeErrorCode());
}

bool DbError::isConnectionLoss() const
{
    return m_sqlState.startsWith(QLatin1String("08")) || m_sqlState == QLatin1String("57P01")
           || m_sqlState == QLatin1String("57P02") || m_sqlState == QLatin1String("57P03")
           || m_message.contains(QLatin1String("server closed the connection"))
           || m_message.contains(QLatin1String("no connection to the server"))
           || m_message.contains(QLatin1String("terminating connection"));
}

bool needsPassword(const QString &connectionError)
{
    return connectionError.contains(QLatin1String("no password supplied"))
           || connectionError.contains(QLatin1String("password authentication failed"));
}

} // namespace rollup
