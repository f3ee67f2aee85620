#include "core/historyjournal.h"

#include "core/identity.h"
#include "core/statedirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSysInfo>
#include <QUuid>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rollup {

namespace {

const QString kStarted = QStringLiteral("started");
const QString kFinished = QStringLiteral("finished");

// True when process `pid` of this machine still runs (a zombie counts: it has not been reaped).
bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        done += n;
    }
    return true;
}

QString isoUtc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QJsonObject HistoryRecord::toJson() const
{
    QJsonObject o{{QStringLiteral("v"), 1},
                  {QStringLiteral("id"), id},
                  {QStringLiteral("at"), isoUtc(at)},
                  {QStringLiteral("who"), who},
                  {QStringLiteral("host"), host},
                  {QStringLiteral("pid"), pid},
                  {QStringLiteral("server"), server},
                  {QStringLiteral("action"), action},
                  {QStringLiteral("account"), accountId},
                  {QStringLiteral("summary"), summary},
                  {QStringLiteral("wrote"), wrote}};
    if (!phase.isEmpty())
        o.insert(QStringLiteral("phase"), phase);
    if (!outcome.isEmpty())
        o.insert(QStringLiteral("outcome"), outcome);
    if (!details.isEmpty())
        o.insert(QStringLiteral("details"), details);
    return o;
}

std::optional<HistoryRecord> HistoryRecord::fromJson(const QJsonObject &o)
{
    if (o.value(QStringLiteral("v")).toInt() != 1 || o.value(QStringLiteral("id")).toString().isEmpty()
        || o.value(QStringLiteral("action")).toString().isEmpty())
        return std::nullopt;
    HistoryRecord r;
    r.id = o.value(QStringLiteral("id")).toString();
    r.at = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs).toUTC();
    r.who = o.value(QStringLiteral("who")).toString();
    r.host = o.value(QStringLiteral("host")).toString();
    r.pid = o.value(QStringLiteral("pid")).toInteger();
    r.server = o.value(QStringLiteral("server")).toString();
    r.action = o.value(QStringLiteral("action")).toString();
    r.phase = o.value(QStringLiteral("phase")).toString();
    r.accountId = o.value(QStringLiteral("account")).toInteger();
    r.summary = o.value(QStringLiteral("summary")).toString();
    r.outcome = o.value(QStringLiteral("outcome")).toString();
    r.wrote = o.value(QStringLiteral("wrote")).toBool();
    r.details = o.value(QStringLiteral("details")).toObject();
    return r;
}

QString HistoryEntry::outcomeText() const
{
    switch (state) {
    case State::Finished:
        return record.outcome;
    case State::Running:
        return tr("running");
    case State::NotFinished:
        return tr("not finished");
    }
    return {};
}

QString HistoryJournal::pathFor(const ConnectionSettings &settings)
{
    const QString key
        = settings.source == QLatin1String("demo")
              ? QStringLiteral("demo-%1").arg(settings.database.isEmpty() ? QStringLiteral("postgres") : settings.database)
              : StateDirectory::databaseKey(settings);
    return StateDirectory::path(QStringLiteral("history")) + QLatin1Char('/') + key + QStringLiteral(".jsonl");
}

QString HistoryJournal::serverName(const ConnectionSettings &settings)
{
    const QString host = settings.host.isEmpty() ? qEnvironmentVariable("PGHOST", QStringLiteral("localhost")) : settings.host;
    const QString port = settings.port ? QString::number(settings.port) : qEnvironmentVariable("PGPORT", QStringLiteral("5432"));
    QString database = settings.database.isEmpty() ? qEnvironmentVariable("PGDATABASE") : settings.database;
    if (database.isEmpty())
        database = settings.user.isEmpty() ? qEnvironmentVariable("PGUSER") : settings.user;
    return QStringLiteral("%1:%2/%3").arg(host, port, database);
}

HistoryRecord HistoryJournal::newRecord(const ConnectionSettings &settings, const QString &action, qint64 accountId)
{
    HistoryRecord r;
    r.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.who = Identity::userAtHost();
    r.host = QSysInfo::machineHostName();
    r.pid = QCoreApplication::applicationPid();
    r.server = serverName(settings);
    r.action = action;
    r.accountId = accountId;
    return r;
}

bool HistoryJournal::append(HistoryRecord record, QString *error) const
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = tr("cannot write the history %1: %2").arg(m_path, why);
        return false;
    };
    if (!record.at.isValid())
        record.at = QDateTime::currentDateTimeUtc();
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const QByteArray name = QFile::encodeName(m_path);
    const int fd = ::open(name.constData(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QString::fromLocal8Bit(::strerror(errno)));
    // Another process appends under the same lock; a record is one write of one whole line.
    while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) { }
    QByteArray line = QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact) + '\n';
    // A line cut short (power lost mid-write) must not swallow this one: start a line of its own.
    struct stat st
    {
    };
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
            line.prepend('\n');
    }
    const bool written = writeAll(fd, line) && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd); // releases the lock
    if (!written)
        return fail(QString::fromLocal8Bit(::strerror(savedErrno)));
    return true;
}

QList<HistoryEntry> HistoryJournal::entries(qint64 accountId, QString *error) const
{
    QList<HistoryEntry> out;
    QFile file(m_path);
    if (!file.exists())
        return out;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("cannot read the history %1: %2").arg(m_path, file.errorString());
        return out;
    }
    QHash<QString, qsizetype> openRuns; // run id -> index in `out` of its started record
    const QString thisHost = QSysInfo::machineHostName();
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            continue;
        const std::optional<HistoryRecord> r = HistoryRecord::fromJson(doc.object());
        if (!r)
            continue;
        if (r->phase == kFinished) {
            const auto it = openRuns.constFind(r->id);
            if (it == openRuns.cend())
                continue; // its start was filtered out or lost
            HistoryEntry &e = out[*it];
            if (!r->summary.isEmpty())
                e.record.summary = r->summary;
            e.record.outcome = r->outcome;
            e.record.wrote = r->wrote;
            for (auto d = r->details.constBegin(); d != r->details.constEnd(); ++d)
                e.record.details.insert(d.key(), d.value());
            e.finishedAt = r->at;
            e.state = HistoryEntry::State::Finished;
            openRuns.erase(it);
            continue;
        }
        if (accountId > 0 && r->accountId != accountId)
            continue;
        HistoryEntry e;
        e.record = *r;
        if (r->phase == kStarted) {
            const bool alive = r->host == thisHost && processAlive(r->pid);
            e.state = alive ? HistoryEntry::State::Running : HistoryEntry::State::NotFinished;
            e.record.wrote = true; // it may have written part of its work
            openRuns.insert(r->id, out.size());
        }
        out.append(e);
    }
    return out;
}

QHash<qint64, HistoryEntry> HistoryJournal::lastChanges() const
{
    QHash<qint64, HistoryEntry> out;
    for (const HistoryEntry &e : entries()) {
        if (e.record.accountId > 0 && e.record.wrote)
            out.insert(e.record.accountId, e); // later entries replace earlier ones
    }
    return out;
}

QStringList HistoryJournal::columns()
{
    return {QStringLiteral("at"),      QStringLiteral("who"),    QStringLiteral("server"),  QStringLiteral("action"),
            QStringLiteral("account"), QStringLiteral("change"), QStringLiteral("outcome"), QStringLiteral("details")};
}

QStringList HistoryJournal::cells(const HistoryEntry &e)
{
    const HistoryRecord &r = e.record;
    return {isoUtc(r.at),
            r.who,
            r.server,
            r.action,
            r.accountId > 0 ? QString::number(r.accountId) : QString(),
            r.summary,
            e.outcomeText(),
            r.details.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(r.details).toJson(QJsonDocument::Compact))};
}

} // namespace rollup
