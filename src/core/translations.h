#pragma once

#include <QLocale>
#include <QString>

namespace rollup {

// Installs the console's translators in the running QCoreApplication for `locale`, the one code
// path of the GUI, the CLI and the tests (main passes QLocale::system(), which Qt reads from
// LANGUAGE, LC_ALL, LC_MESSAGES and LANG). In order of precedence, highest first:
//   1. the console's translation for the first of locale.uiLanguages() that has one
//      (:/i18n/rollup-console_<lang>.qm, compiled in from translations/*.ts), else one of
//      the same language for another country (pt_PT: pt_BR);
//   2. Qt's own strings (qtbase_<lang>.qm: standard buttons, context menus) when the system
//      has them (Debian: qt6-translations-l10n);
//   3. English plural forms (:/i18n/rollup-console_en.qm), so "%n account(s)" reads
//      "1 account" / "2 accounts" wherever no other translation has the string.
// Also makes `locale` the default QLocale, so numbers and dates formatted with QLocale() follow
// it. A later call replaces the translators of an earlier one. Main thread only, after the
// application object exists. Returns the language of the console's translation loaded
// ("pt_BR"), or "en" when the texts stay English.
QString installTranslations(const QLocale &locale);

// The languages the console ships a complete translation for, besides English ("pt_BR", ...).
QStringList shippedTranslations();

} // namespace rollup
