#include "core/identity.h"

#include "core/version.h"

#include <QByteArray>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace rollup::Identity {

QString version()
{
    return QStringLiteral(ROLLUP_CONSOLE_VERSION);
}

QString commit()
{
    return QStringLiteral(ROLLUP_CONSOLE_COMMIT);
}

QString versionText()
{
    return commit().isEmpty() ? version() : QStringLiteral("%1 (%2)").arg(version(), commit());
}

QString userAtHost()
{
    static const QString text = [] {
        QString user;
        if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name)
            user = QString::fromLocal8Bit(pw->pw_name);
        if (user.isEmpty())
            user = qEnvironmentVariable("USER", QStringLiteral("unknown"));
        return user + QLatin1Char('@') + QSysInfo::machineHostName();
    }();
    return text;
}

QString applicationName()
{
    QByteArray name = QStringLiteral("rollup-console %1 (%2)").arg(version(), userAtHost()).toUtf8();
    if (name.size() > 63) { // NAMEDATALEN - 1; cut on a character boundary
        name.truncate(63);
        while (!name.isEmpty() && (uchar(name.back()) & 0xC0) == 0x80)
            name.chop(1);
        if (!name.isEmpty() && (uchar(name.back()) & 0x80))
            name.chop(1);
    }
    return QString::fromUtf8(name);
}

} // namespace rollup::Identity
