#pragma once

#include "core/connectionsettings.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace rollup {

// Named connection profiles in QSettings (the application's settings file by default). The
// password is NEVER written: a loaded profile has an empty password (asked for when needed, or
// left to ~/.pgpass / PGPASSWORD). GUI thread only (QSettings is not shared across threads).
class ConnectionProfiles
{
public:
    ConnectionProfiles(); // QSettings() of the application
    explicit ConnectionProfiles(const QString &iniFile);
    ~ConnectionProfiles();

    QStringList names() const; // sorted
    // source = "profile NAME"; nullopt when there is no such profile.
    std::optional<ConnectionSettings> load(const QString &name) const;
    // Adds or replaces; everything but the password (the replica's URL is kept without its
    // password) and the lock timeout, which is per run.
    void save(const QString &name, const ConnectionSettings &settings);
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);
    QString fileName() const;
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace rollup
