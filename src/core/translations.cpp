#include "core/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>
#include <vector>

namespace rollup {

namespace {

const QString kResourceDir = QStringLiteral(":/i18n");
const QString kBaseName = QStringLiteral("rollup-console");

// The translators of the last call, removed from the application by the next one.
std::vector<std::unique_ptr<QTranslator>> &installed()
{
    static std::vector<std::unique_ptr<QTranslator>> translators;
    return translators;
}

bool add(std::unique_ptr<QTranslator> translator)
{
    if (!QCoreApplication::installTranslator(translator.get()))
        return false;
    installed().push_back(std::move(translator));
    return true;
}

} // namespace

QString installTranslations(const QLocale &locale)
{
    for (const auto &t : installed())
        QCoreApplication::removeTranslator(t.get());
    installed().clear();
    QLocale::setDefault(locale);

    auto console = std::make_unique<QTranslator>();
    QString language = QStringLiteral("en");
    bool loaded = console->load(locale, kBaseName, QStringLiteral("_"), kResourceDir);
    if (!loaded) {
        // Another country's variant of a shipped language (pt_PT: the Brazilian texts) reads
        // better than English.
        const QStringList shipped = shippedTranslations();
        for (const QString &wanted : locale.uiLanguages()) {
            const QLocale::Language l = QLocale(wanted).language();
            for (const QString &candidate : shipped) {
                if (!loaded && l != QLocale::English && l != QLocale::C && QLocale(candidate).language() == l)
                    loaded = console->load(kBaseName + QLatin1Char('_') + candidate, kResourceDir);
            }
        }
    }
    if (loaded && !console->language().isEmpty())
        language = console->language();

    // QCoreApplication asks the translator installed last first: English plurals go in first.
    auto english = std::make_unique<QTranslator>();
    if (english->load(kBaseName + QStringLiteral("_en"), kResourceDir))
        add(std::move(english));
    if (language == QLatin1String("en"))
        return language;
    // Qt's own strings only for a language the console speaks, so no window mixes three.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        add(std::move(qt));
    add(std::move(console));
    return language;
}

QStringList shippedTranslations()
{
    QStringList out;
    const QStringList files = QDir(kResourceDir).entryList({kBaseName + QStringLiteral("_*.qm")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString language = file.mid(kBaseName.size() + 1).chopped(3);
        if (language != QLatin1String("en"))
            out << language;
    }
    return out;
}

} // namespace rollup
