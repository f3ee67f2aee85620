#pragma once

#include <QString>

namespace rollup {

// Who and what the console is, as it names itself to servers, audit rows and its history.
// Every function is thread-safe and cheap after its first call.
namespace Identity {

// The project version, e.g. "0.2.0".
QString version();
// The git commit the build came from ("" when built outside a checkout).
QString commit();
// "0.2.0 (3f2a9c1)", or "0.2.0" without a commit: what --version and Help > About show.
QString versionText();
// The operating-system user and host, e.g. "ana@laptop".
QString userAtHost();
// The session's application_name: "rollup-console 0.2.0 (ana@laptop)", cut to the 63 bytes
// PostgreSQL keeps.
QString applicationName();

} // namespace Identity
} // namespace rollup
