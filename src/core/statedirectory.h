#pragma once

#include "core/connectionsettings.h"

#include <QString>

namespace rollup {

// The console's own state (never Chatwoot's database): fleet journals, the health board's
// last verify results, the history of changes. $XDG_STATE_HOME/rollup-console, else
// ~/.local/state/rollup-console.
class StateDirectory
{
public:
    // The directory (created when missing); `subdirectory` below it when given.
    static QString path(const QString &subdirectory = {});
    // A file-name-safe key for one database: host, port and database name, readable, plus a
    // short hash of the three so different spellings of one server do not collide by accident.
    static QString databaseKey(const ConnectionSettings &settings);
};

} // namespace rollup
