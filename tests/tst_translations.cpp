#include "clirun.h"
#include "fixtures.h"

#include "core/translations.h"
#include "ui/accountsmodel.h"
#include "ui/accountsview.h"
#include "ui/backfillview.h"
#include "ui/helpmenu.h"
#include "ui/mainwindow.h"
#include "ui/verifymodel.h"
#include "ui/verifyview.h"
#include "ui/viewhelp.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMutex>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocumentFragment>
#include <QTranslator>
#include <QXmlStreamReader>

#include <set>

using namespace rollup;

namespace {

// What translations/rollup-console_pt_BR.ts holds: every (context, source) and the sources whose
// translation differs from the English text (mnemonics removed).
struct Catalogue
{
    std::set<std::pair<QString, QString>> messages;
    QSet<QString> contexts;
    QSet<QString> translatedSources;
    int unfinished = 0;
};

QString withoutMnemonic(QString text)
{
    text.replace(QLatin1String("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text.trimmed();
}

Catalogue readCatalogue(const QString &path)
{
    Catalogue c;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return c;
    QXmlStreamReader xml(&file);
    QString context, source, translation;
    bool unfinished = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation")) {
                unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            c.messages.insert({context, source});
            c.contexts.insert(context);
            if (unfinished)
                ++c.unfinished;
            if (withoutMnemonic(translation) != withoutMnemonic(source))
                c.translatedSources.insert(withoutMnemonic(source));
        }
    }
    return c;
}

// On top of the real translators: notes every text the program asks to translate (any thread),
// and translates nothing itself.
class LookupRecorder : public QTranslator
{
public:
    QString translate(const char *context, const char *source, const char *disambiguation, int n) const override
    {
        Q_UNUSED(disambiguation);
        Q_UNUSED(n);
        if (context && source) {
            QMutexLocker lock(&m_mutex);
            m_lookups.insert({QString::fromUtf8(context), QString::fromUtf8(source)});
        }
        return QString();
    }
    bool isEmpty() const override { return false; }
    std::set<std::pair<QString, QString>> lookups() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lookups;
    }

private:
    mutable QMutex m_mutex;
    mutable std::set<std::pair<QString, QString>> m_lookups;
};

QString plain(const QString &text)
{
    return Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
}

// The texts a person sees in `root` (and its visible children): labels, buttons, titles, tabs,
// placeholders, combo entries, table headers and the first rows, plain-text panes, menus.
QStringList visibleTexts(QWidget *root)
{
    QStringList out;
    auto add = [&out](const QString &text) {
        const QString t = plain(text).trimmed();
        if (!t.isEmpty())
            out << t;
    };
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root->window()) && w != root)
            continue;
        if (auto *label = qobject_cast<QLabel *>(w))
            add(label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(withoutMnemonic(button->text()));
        else if (auto *box = qobject_cast<QGroupBox *>(w))
            add(box->title());
        else if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(withoutMnemonic(tabs->tabText(i)));
        } else if (auto *edit = qobject_cast<QLineEdit *>(w)) {
            add(edit->placeholderText());
        } else if (auto *combo = qobject_cast<QComboBox *>(w)) {
            for (int i = 0; i < combo->count(); ++i)
                add(combo->itemText(i));
        } else if (auto *pane = qobject_cast<QPlainTextEdit *>(w)) {
            for (const QString &line : pane->toPlainText().split(QLatin1Char('\n')))
                add(line);
        } else if (auto *view = qobject_cast<QAbstractItemView *>(w)) {
            QAbstractItemModel *model = view->model();
            if (!model)
                continue;
            for (int c = 0; c < model->columnCount(); ++c)
                add(model->headerData(c, Qt::Horizontal).toString());
        } else if (auto *bar = qobject_cast<QMenuBar *>(w)) {
            for (QAction *menuAction : bar->actions()) {
                add(withoutMnemonic(menuAction->text()));
                if (QMenu *menu = menuAction->menu())
                    for (QAction *a : menu->actions())
                        add(withoutMnemonic(a->text()));
            }
        }
        if (!w->toolTip().isEmpty())
            add(w->toolTip());
    }
    if (root->isWindow())
        add(root->windowTitle());
    return out;
}

// English words that no Portuguese text of the console contains; technical tokens (with _, /,
// digits or dots) are skipped.
const QSet<QString> kEnglishWords = {
    QStringLiteral("the"),      QStringLiteral("and"),         QStringLiteral("of"),         QStringLiteral("with"),
    QStringLiteral("account"),  QStringLiteral("accounts"),    QStringLiteral("day"),        QStringLiteral("days"),
    QStringLiteral("rows"),     QStringLiteral("events"),      QStringLiteral("verify"),     QStringLiteral("backfill"),
    QStringLiteral("loading"),  QStringLiteral("connected"),   QStringLiteral("selected"),   QStringLiteral("range"),
    QStringLiteral("all"),      QStringLiteral("only"),        QStringLiteral("keys"),       QStringLiteral("match"),
    QStringLiteral("mismatch"), QStringLiteral("missing"),     QStringLiteral("statistics"), QStringLiteral("zone"),
    QStringLiteral("time"),     QStringLiteral("filter"),      QStringLiteral("plan"),       QStringLiteral("log"),
    QStringLiteral("dry"),      QStringLiteral("run"),         QStringLiteral("start"),      QStringLiteral("retry"),
    QStringLiteral("cancel"),   QStringLiteral("export"),      QStringLiteral("show"),       QStringLiteral("help"),
    QStringLiteral("about"),    QStringLiteral("close"),       QStringLiteral("what"),       QStringLiteral("is"),
    QStringLiteral("read"),     QStringLiteral("write"),       QStringLiteral("first"),      QStringLiteral("last"),
    QStringLiteral("name"),     QStringLiteral("state"),       QStringLiteral("resolved"),   QStringLiteral("now"),
    QStringLiteral("refresh"),  QStringLiteral("quit"),        QStringLiteral("find"),       QStringLiteral("connect"),
    QStringLiteral("today"),    QStringLiteral("include"),     QStringLiteral("chosen"),     QStringLiteral("rate"),
    QStringLiteral("compared"), QStringLiteral("differences"), QStringLiteral("worst"),      QStringLiteral("per"),
};

// Texts that are English: equal to a translated English source, or holding an English word.
QStringList englishTexts(const QStringList &texts, const Catalogue &catalogue)
{
    static const QRegularExpression words(QStringLiteral("[\\p{L}_/.0-9]+"));
    QStringList out;
    for (const QString &text : texts) {
        if (catalogue.translatedSources.contains(withoutMnemonic(text))) {
            out << text;
            continue;
        }
        for (auto it = words.globalMatch(text); it.hasNext();) {
            const QString word = it.next().captured();
            if (word.contains(QRegularExpression(QStringLiteral("[_/.0-9]"))))
                continue;
            if (kEnglishWords.contains(word.toLower())) {
                out << text;
                break;
            }
        }
    }
    return out;
}

} // namespace

// installTranslations() under pt_BR, English and an untranslated language; the CLI under
// LANG/LC_ALL/LANGUAGE; and the main window in Portuguese: every visible text of the accounts,
// backfill and verify views, the menus, the "?" help and the About box translated, dates and
// numbers in the locale's forms, and no text looked up that the catalogue lacks.
class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void catalogueIsComplete();
    void languages();
    void englishPlurals();
    void cliFollowsTheEnvironment_data();
    void cliFollowsTheEnvironment();
    void checkFindsEnglish();
    void portugueseMainWindow();

private:
    QTemporaryDir m_config;
    Catalogue m_catalogue;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    qputenv("ROLLUP_CONSOLE_NOW", "2026-03-10T12:00:00Z");
    m_catalogue
        = readCatalogue(qEnvironmentVariable("ROLLUP_SOURCE_DIR") + QStringLiteral("/translations/rollup-console_pt_BR.ts"));
    QVERIFY(m_catalogue.messages.size() > 500);
}

void TestTranslations::cleanupTestCase()
{
    installTranslations(QLocale::c());
}

void TestTranslations::catalogueIsComplete()
{
    QCOMPARE(m_catalogue.unfinished, 0);
    QVERIFY(shippedTranslations().contains(QStringLiteral("pt_BR")));
}

void TestTranslations::languages()
{
    QCOMPARE(installTranslations(QLocale(QLocale::Portuguese, QLocale::Brazil)), QStringLiteral("pt_BR"));
    QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "&Accounts"), QStringLiteral("&Contas"));
    QCOMPARE(QLocale().name(), QStringLiteral("pt_BR"));
    // Portugal's Portuguese falls back to the Brazilian texts (the only Portuguese shipped).
    QCOMPARE(installTranslations(QLocale(QLocale::Portuguese, QLocale::Portugal)), QStringLiteral("pt_BR"));
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "&Accounts"), QStringLiteral("&Accounts"));
    QCOMPARE(installTranslations(QLocale(QLocale::German, QLocale::Germany)), QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "&Accounts"), QStringLiteral("&Accounts"));
}

void TestTranslations::englishPlurals()
{
    for (const QLocale &locale : {QLocale(QLocale::English, QLocale::UnitedStates), QLocale(QLocale::German, QLocale::Germany)}) {
        installTranslations(locale);
        QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "%n account(s)", nullptr, 1), QStringLiteral("1 account"));
        QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "%n account(s)", nullptr, 2), QStringLiteral("2 accounts"));
        QCOMPARE(QCoreApplication::translate("rollup::BackfillView", "selected: %n day(s)", nullptr, 1),
                 QStringLiteral("selected: 1 day"));
    }
    installTranslations(QLocale(QLocale::Portuguese, QLocale::Brazil));
    QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "%n account(s)", nullptr, 1), QStringLiteral("1 conta"));
    QCOMPARE(QCoreApplication::translate("rollup::MainWindow", "%n account(s)", nullptr, 3), QStringLiteral("3 contas"));
}

void TestTranslations::cliFollowsTheEnvironment_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("firstLine");
    QTest::newRow("LANG") << "LANG"
                          << "pt_BR.UTF-8"
                          << "Uso: rollup-console verify [opções]";
    QTest::newRow("LC_ALL") << "LC_ALL"
                            << "pt_BR.UTF-8"
                            << "Uso: rollup-console verify [opções]";
    QTest::newRow("LANGUAGE") << "LANGUAGE"
                              << "pt_BR:en"
                              << "Uso: rollup-console verify [opções]";
    QTest::newRow("English") << "LANG"
                             << "en_US.UTF-8"
                             << "Usage: rollup-console verify [options]";
}

void TestTranslations::cliFollowsTheEnvironment()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, firstLine);
    // The binary as a session starts it: only the one variable names the language.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"})
        env.remove(QString::fromLatin1(v));
    env.insert(name, value);
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), {QStringLiteral("verify"), QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(30000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(out.section(QLatin1Char('\n'), 0, 0), firstLine);
}

// The check below is not vacuous: the same window in English is found out.
void TestTranslations::checkFindsEnglish()
{
    installTranslations(QLocale(QLocale::English, QLocale::UnitedStates));
    MainWindow window;
    window.show();
    const QStringList english = englishTexts(visibleTexts(&window), m_catalogue);
    QVERIFY2(english.size() >= 8, qPrintable(english.join(QLatin1String(" | "))));
    QVERIFY(english.contains(QStringLiteral("Accounts")));
}

void TestTranslations::portugueseMainWindow()
{
    TestDatabase db(QStringLiteral("tst_translations"));
    QVERIFY2(db.ok(), qPrintable(db.error()));
    Fixtures fx{db};
    fx.account(1, QStringLiteral("Loja Centro"), QStringLiteral("{\"reporting_timezone\": \"America/Sao_Paulo\"}"));
    fx.account(2, QStringLiteral("Filial Norte"), QStringLiteral("{}"));
    fx.account(3, QStringLiteral("Filial Sul"), QStringLiteral("{\"reporting_timezone\": \"Brasilia\"}"));
    // 60 days x 5 agents and inboxes x 2 metrics: 1,320 keys, so counts show a group separator;
    // an account's day sums 5 x 1000.5 + 15 = 5017.5 seconds per metric.
    db.exec(
        QStringLiteral("INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, "
                       "conversation_id, created_at, updated_at) "
                       "SELECT m, 1000.5 + a, 30, 1, 10 + a, 20 + a, 1000 + d * 10 + a, t, t "
                       "FROM generate_series(0, 59) d, generate_series(1, 5) a, unnest(ARRAY['first_response', 'reply_time']) m, "
                       "LATERAL (SELECT timestamp '2026-01-05 15:00' + d * interval '1 day' AS t) x"));

    auto recorder = std::make_unique<LookupRecorder>();
    QCOMPARE(installTranslations(QLocale(QLocale::Portuguese, QLocale::Brazil)), QStringLiteral("pt_BR"));
    QCoreApplication::installTranslator(recorder.get());

    MainWindow window(db.settings());
    window.resize(1300, 850);
    QSignalSpy stats(window.accounts(), &AccountsView::statsLoaded);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(stats.wait(20000));

    QStringList failures;
    auto checkTexts = [&](const QString &where, const QStringList &texts) {
        for (const QString &text : englishTexts(texts, m_catalogue))
            failures << QStringLiteral("%1: \"%2\"").arg(where, text);
    };

    // Accounts: dates as dd/MM/yyyy, the local time too.
    const QModelIndex first = window.accountsModel()->index(0, AccountsModel::FirstEventDay);
    QCOMPARE(first.data().toString(), QStringLiteral("05/01/2026"));
    QCOMPARE(window.accountsModel()->index(0, AccountsModel::LastEventDay).data().toString(), QStringLiteral("05/03/2026"));
    QVERIFY(window.accountsModel()
                ->index(0, AccountsModel::LocalNow)
                .data()
                .toString()
                .startsWith(QLatin1String("10/03/2026 09:00")));
    QCOMPARE(window.accountsModel()->index(1, AccountsModel::State).data().toString(), QStringLiteral("não definido"));
    QVERIFY(window.accounts()->selectAccount(1));
    checkTexts(QStringLiteral("accounts"), visibleTexts(&window));
    const QString accountsStatus = window.findChild<QLabel *>(QStringLiteral("accountsStatus"))->text();
    QVERIFY2(accountsStatus.contains(QRegularExpression(QStringLiteral("^3 contas · estatísticas em \\d+,\\d s"))),
             qPrintable(accountsStatus));

    // Backfill: the plan of account 1, its dates in the date fields.
    QSignalSpy planned(window.backfill(), &BackfillView::planShown);
    window.openBackfill(1);
    QVERIFY(planned.wait(20000));
    QCOMPARE(window.findChild<QDateEdit *>(QStringLiteral("fromEdit"))->text(), QStringLiteral("05/01/2026"));
    QCOMPARE(window.findChild<QDateEdit *>(QStringLiteral("toEdit"))->text(), QStringLiteral("05/03/2026"));
    checkTexts(QStringLiteral("backfill"), visibleTexts(&window));

    // Verify: nothing backfilled, so every key is missing; 1.320 with the pt_BR separator.
    QSignalSpy verified(window.verify(), &VerifyView::verified);
    window.openVerify(1);
    QVERIFY(verified.wait(30000));
    const QString summary = window.verify()->summaryText();
    QVERIFY2(summary.contains(QStringLiteral("05/01/2026 .. 05/03/2026 (60 dias, todo o histórico)")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("<b>1.320</b> chaves comparadas")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("taxa de acerto <b>0,00 %</b>")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("ausente: 1.320")), qPrintable(summary));
    QAbstractItemModel *table = window.verify()->table()->model();
    QStringList sums;
    for (int r = 0; r < table->rowCount(); ++r)
        sums << table->index(r, VerifyModel::RawSum).data().toString();
    QVERIFY2(sums.contains(QStringLiteral("5.017,5")), qPrintable(sums.mid(0, 12).join(QLatin1String(" | "))));
    QCOMPARE(table->index(0, VerifyModel::Date).data().toString(), QStringLiteral("05/01/2026"));
    QCOMPARE(table->index(0, VerifyModel::Status).data().toString(), QStringLiteral("ausente"));
    checkTexts(QStringLiteral("verify"), visibleTexts(&window));

    // The "?" of each view, the Help menu's windows.
    for (ViewHelp::Topic topic : {ViewHelp::Topic::Accounts, ViewHelp::Topic::Backfill, ViewHelp::Topic::Verify})
        checkTexts(QStringLiteral("help"), {plain(ViewHelp::text(topic))});
    QMessageBox *about = window.help()->showAbout();
    QVERIFY(about->text().contains(QStringLiteral("Versão ")));
    checkTexts(QStringLiteral("about"), visibleTexts(about));
    QDialog *rollupHelp = window.help()->showRollupHelp();
    checkTexts(QStringLiteral("rollup help"), visibleTexts(rollupHelp));
    QVERIFY(!rollupHelp->findChild<QTextBrowser *>(QStringLiteral("rollupHelpBrowser"))->toPlainText().isEmpty());

    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));

    // Every text the program looked up (also on worker threads) is in the catalogue under the
    // context it was looked up with; texts of Qt's own classes are Qt's to translate.
    window.close();
    QCoreApplication::removeTranslator(recorder.get());
    QStringList unknown;
    for (const auto &[context, source] : recorder->lookups()) {
        const bool ours = context.startsWith(QLatin1String("rollup::")) || m_catalogue.contexts.contains(context);
        if (ours && !m_catalogue.messages.count({context, source}))
            unknown << QStringLiteral("%1: %2").arg(context, source);
    }
    QVERIFY2(unknown.isEmpty(), qPrintable(unknown.join(QLatin1Char('\n'))));
    QVERIFY(recorder->lookups().size() > 100);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
