#include "ui/connectiondialog.h"

#include "ui_connectiondialog.h"

#include "ui/connectionprofiles.h"

#include <QFileDialog>
#include <QPushButton>

namespace rollup {

namespace {

const QStringList kSslModes = {QString(),
                               QStringLiteral("disable"),
                               QStringLiteral("allow"),
                               QStringLiteral("prefer"),
                               QStringLiteral("require"),
                               QStringLiteral("verify-ca"),
                               QStringLiteral("verify-full")};

// The URL the fields describe (without the password); empty while nothing is filled in.
QString urlFor(const ConnectionSettings &s)
{
    if (s.host.isEmpty() && s.port == 0 && s.database.isEmpty() && s.user.isEmpty() && s.sslMode.isEmpty()
        && s.sslRootCert.isEmpty())
        return {};
    return s.toUrl();
}

} // namespace

ConnectionDialog::ConnectionDialog(const ConnectionSettings &initial, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ConnectionDialog>()), m_profiles(std::make_unique<ConnectionProfiles>())
{
    m_ui->setupUi(this);
    for (const QString &mode : kSslModes)
        m_ui->sslModeCombo->addItem(mode.isEmpty() ? tr("(libpq default: prefer)") : mode, mode);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_ui->profileCombo->lineEdit()->setPlaceholderText(tr("(no profile)"));
    reloadProfileNames(QString());

    connect(m_ui->urlEdit, &QLineEdit::textEdited, this, &ConnectionDialog::onUrlEdited);
    for (QLineEdit *edit :
         {m_ui->hostEdit, m_ui->databaseEdit, m_ui->userEdit, m_ui->passwordEdit, m_ui->sslRootCertEdit, m_ui->replicaEdit})
        connect(edit, &QLineEdit::textEdited, this, &ConnectionDialog::onFieldEdited);
    connect(m_ui->statementTimeoutSpin, &QSpinBox::valueChanged, this, &ConnectionDialog::onFieldEdited);
    connect(m_ui->portSpin, &QSpinBox::valueChanged, this, &ConnectionDialog::onFieldEdited);
    connect(m_ui->sslModeCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::onFieldEdited);
    connect(m_ui->readOnlyCheck, &QCheckBox::toggled, this, &ConnectionDialog::onFieldEdited);
    connect(m_ui->browseButton, &QPushButton::clicked, this, [this]() {
        const QString file = QFileDialog::getOpenFileName(this, tr("Root certificate"), m_ui->sslRootCertEdit->text(),
                                                          tr("Certificates (*.crt *.pem);;All files (*)"));
        if (!file.isEmpty()) {
            m_ui->sslRootCertEdit->setText(file);
            onFieldEdited();
        }
    });
    connect(m_ui->profileCombo, &QComboBox::activated, this,
            [this](int index) { loadProfile(m_ui->profileCombo->itemText(index)); });
    connect(m_ui->saveProfileButton, &QPushButton::clicked, this,
            [this]() { saveProfile(m_ui->profileCombo->currentText().trimmed()); });
    connect(m_ui->deleteProfileButton, &QPushButton::clicked, this, [this]() {
        const QString name = m_ui->profileCombo->currentText().trimmed();
        if (name.isEmpty() || !m_profiles->load(name))
            return;
        m_profiles->remove(name);
        reloadProfileNames(QString());
        showSource(tr("Profile '%1' deleted.").arg(name));
    });
    connect(m_ui->environmentButton, &QPushButton::clicked, this, [this]() {
        QString error;
        setSettings(environmentSettings(QProcessEnvironment::systemEnvironment(), &error));
        if (!error.isEmpty())
            showSource(error);
    });
    connect(m_ui->testButton, &QPushButton::clicked, this, &ConnectionDialog::test);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    connect(&m_testWatcher, &QFutureWatcher<ConnectionTest>::finished, this, &ConnectionDialog::onTestFinished);

    setSettings(initial);
    if (initial.source.startsWith(QLatin1String("profile ")))
        m_ui->profileCombo->setCurrentText(initial.source.mid(8));
}

// The tester captures only values: an unfinished test is simply dropped.
ConnectionDialog::~ConnectionDialog() = default;

ConnectionSettings ConnectionDialog::environmentSettings(const QProcessEnvironment &env, QString *error)
{
    auto s = ConnectionSettings::fromEnvironment(env, error);
    if (!s)
        return ConnectionSettings{};
    if (s->source == QLatin1String("libpq environment")) {
        s->host = env.value(QStringLiteral("PGHOST"));
        s->port = env.value(QStringLiteral("PGPORT")).toInt();
        s->database = env.value(QStringLiteral("PGDATABASE"));
        s->user = env.value(QStringLiteral("PGUSER"));
        s->password = env.value(QStringLiteral("PGPASSWORD"));
        const QString mode = env.value(QStringLiteral("PGSSLMODE"));
        if (kSslModes.contains(mode))
            s->sslMode = mode;
        s->sslRootCert = env.value(QStringLiteral("PGSSLROOTCERT"));
    }
    return *s;
}

bool ConnectionDialog::environmentNamesServer(const QProcessEnvironment &env)
{
    for (const char *name : {"DATABASE_URL", "POSTGRES_HOST", "POSTGRES_DATABASE", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE",
                             "PGUSER", "PGSERVICE"})
        if (!env.value(QString::fromLatin1(name)).isEmpty())
            return true;
    return false;
}

ConnectionSettings ConnectionDialog::settings() const
{
    ConnectionSettings s;
    s.host = m_ui->hostEdit->text().trimmed();
    s.port = m_ui->portSpin->value();
    s.database = m_ui->databaseEdit->text().trimmed();
    s.user = m_ui->userEdit->text().trimmed();
    s.password = m_ui->passwordEdit->text();
    s.sslMode = m_ui->sslModeCombo->currentData().toString();
    s.sslRootCert = m_ui->sslRootCertEdit->text().trimmed();
    s.readOnly = m_ui->readOnlyCheck->isChecked();
    s.replicaUrl = m_ui->replicaEdit->text().trimmed();
    s.statementTimeoutMs = m_ui->statementTimeoutSpin->value() * 1000;
    s.source = m_source.isEmpty() ? QStringLiteral("connection dialog") : m_source;
    return s;
}

void ConnectionDialog::setSettings(const ConnectionSettings &s)
{
    m_updating = true;
    m_ui->hostEdit->setText(s.host);
    m_ui->portSpin->setValue(s.port);
    m_ui->databaseEdit->setText(s.database);
    m_ui->userEdit->setText(s.user);
    m_ui->passwordEdit->setText(s.password);
    const int mode = m_ui->sslModeCombo->findData(s.sslMode);
    m_ui->sslModeCombo->setCurrentIndex(mode < 0 ? 0 : mode);
    m_ui->sslRootCertEdit->setText(s.sslRootCert);
    m_ui->readOnlyCheck->setChecked(s.readOnly);
    m_ui->replicaEdit->setText(s.replicaUrl);
    m_ui->statementTimeoutSpin->setValue(s.statementTimeoutMs / 1000);
    m_ui->urlEdit->setText(urlFor(s));
    m_updating = false;
    m_source = s.source;
    showSource(s.source.isEmpty() ? QString() : tr("Values from %1.").arg(s.source));
    m_ui->testResult->clear();
}

void ConnectionDialog::showSource(const QString &text)
{
    m_ui->sourceLabel->setText(text);
}

void ConnectionDialog::onUrlEdited(const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    QString error;
    const auto s = ConnectionSettings::fromUrl(text, &error);
    if (!s) {
        showSource(error);
        return;
    }
    m_updating = true;
    m_ui->hostEdit->setText(s->host);
    m_ui->portSpin->setValue(s->port);
    m_ui->databaseEdit->setText(s->database);
    m_ui->userEdit->setText(s->user);
    if (!s->password.isEmpty())
        m_ui->passwordEdit->setText(s->password);
    const int mode = m_ui->sslModeCombo->findData(s->sslMode);
    m_ui->sslModeCombo->setCurrentIndex(mode < 0 ? 0 : mode);
    m_ui->sslRootCertEdit->setText(s->sslRootCert);
    m_updating = false;
    m_source = QStringLiteral("connection dialog");
    showSource(tr("Fields filled from the URL."));
}

void ConnectionDialog::onFieldEdited()
{
    if (m_updating)
        return;
    // The URL mirrors the fields (never with the password).
    m_ui->urlEdit->setText(urlFor(settings()));
    if (!m_source.startsWith(QLatin1String("profile ")))
        m_source = QStringLiteral("connection dialog");
}

void ConnectionDialog::reloadProfileNames(const QString &current)
{
    m_ui->profileCombo->clear();
    m_ui->profileCombo->addItems(m_profiles->names());
    m_ui->profileCombo->setCurrentText(current);
    m_ui->deleteProfileButton->setEnabled(m_ui->profileCombo->count() > 0);
}

void ConnectionDialog::saveProfile(const QString &name)
{
    if (name.isEmpty()) {
        showSource(tr("Type a profile name first."));
        m_ui->profileCombo->setFocus();
        return;
    }
    m_profiles->save(name, settings());
    m_source = QStringLiteral("profile %1").arg(name);
    reloadProfileNames(name);
    showSource(tr("Profile '%1' saved (without the password).").arg(name));
}

void ConnectionDialog::loadProfile(const QString &name)
{
    const auto s = m_profiles->load(name);
    if (!s)
        return;
    setSettings(*s);
    m_ui->profileCombo->setCurrentText(name);
    showSource(tr("Profile '%1' (the password is not stored: type it, or leave it empty for ~/.pgpass).").arg(name));
}

void ConnectionDialog::test()
{
    if (m_testWatcher.isRunning())
        return;
    m_ui->testButton->setEnabled(false);
    m_ui->testResult->setText(tr("Connecting to %1…").arg(settings().toDisplayString()));
    m_testWatcher.setFuture(ConnectionCheck::start(settings()).future);
}

void ConnectionDialog::onTestFinished()
{
    const ConnectionTest result = m_testWatcher.result();
    m_ui->testButton->setEnabled(true);
    m_ui->testResult->setStyleSheet(result.ok ? QString() : QStringLiteral("color: #b02020"));
    m_ui->testResult->setText(result.message);
    if (!result.ok && result.message.contains(QLatin1String("password")))
        m_ui->passwordEdit->setFocus();
    emit testFinished(result.ok, result.message);
}

void ConnectionDialog::accept()
{
    const QString url = m_ui->urlEdit->text().trimmed();
    QString error;
    if (!url.isEmpty() && !ConnectionSettings::fromUrl(url, &error)) {
        showSource(error);
        m_ui->urlEdit->setFocus();
        return;
    }
    const QString replica = m_ui->replicaEdit->text().trimmed();
    if (!replica.isEmpty() && !ConnectionSettings::fromUrl(replica, &error)) {
        showSource(tr("Replica: %1").arg(error));
        m_ui->replicaEdit->setFocus();
        return;
    }
    if (m_source.startsWith(QLatin1String("profile ")))
        m_profiles->setLastUsed(m_source.mid(8));
    QDialog::accept();
}

} // namespace rollup
