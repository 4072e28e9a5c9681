#include "ui/live/live_helper.hpp"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <unistd.h>

#include "live/helper_protocol.hpp"

namespace cnmlab::ui {

namespace {

// How long the destructor waits for the helper to take the topology down;
// `live down` takes well under a second for the teaching scenarios.
constexpr int kLastResortWaitMs = 30'000;
// The end of the helper's standard error kept for messages.
constexpr qsizetype kStderrKept = 8192;

}  // namespace

Elevation chooseElevation(bool root, const QStringList& searchPath,
                          const QProcessEnvironment& env) {
    if (const QString forced = env.value(QStringLiteral("CNMLAB_ELEVATE")).trimmed();
        !forced.isEmpty()) {
        return {QProcess::splitCommand(forced), {}};
    }
    if (root) {
        return {};
    }
    const auto find = [&searchPath](const char* name) {
        return QStandardPaths::findExecutable(QString::fromLatin1(name), searchPath);
    };
    if (const QString pkexec = find("pkexec"); !pkexec.isEmpty()) {
        return {{pkexec}, {}};
    }
    if (const QString sudo = find("sudo"); !sudo.isEmpty()) {
        const bool askpass = !env.value(QStringLiteral("SUDO_ASKPASS")).isEmpty();
        return {{sudo, askpass ? QStringLiteral("-A") : QStringLiteral("-n"), QStringLiteral("--")},
                {}};
    }
    return {{},
            QCoreApplication::translate(
                "cnmlab::ui::LiveHelper",
                "Live mode builds the topology through a helper that runs as root, started with "
                "your permission by pkexec or sudo, and neither is installed. Install the Debian "
                "package pkexec (your desktop then asks for the administrator's password), or "
                "build it from a terminal with `sudo cnmlab live up FILE`.")};
}

Elevation defaultElevation() {
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    return chooseElevation(
        ::geteuid() == 0,
        env.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts), env);
}

QString upFailureText(int code, const QString& detail, const QString& file) {
    QString why;
    switch (code) {
    case 1:
        why = QCoreApplication::translate(
                  "cnmlab::ui::LiveHelper",
                  "The scenario is already up in the kernel, perhaps from an earlier session. Take "
                  "it down with `sudo cnmlab live down %1` and switch Live on again.")
                  .arg(file);
        break;
    case 2:
        why = QCoreApplication::translate("cnmlab::ui::LiveHelper",
                                          "The Live helper refused the scenario.");
        break;
    case 3:
        why =
            QCoreApplication::translate("cnmlab::ui::LiveHelper", "This machine cannot build it:");
        break;
    default:
        why = QCoreApplication::translate(
                  "cnmlab::ui::LiveHelper",
                  "`cnmlab live up` failed in a way it does not define (code %1).")
                  .arg(code);
        break;
    }
    return detail.isEmpty() ? why : why + QStringLiteral("\n\n") + detail;
}

LiveHelper::LiveHelper(QObject* parent) : QObject(parent) {}

LiveHelper::~LiveHelper() {
    if (m_process == nullptr || m_process->state() == QProcess::NotRunning) {
        return;
    }
    m_process->disconnect(this);
    if (m_state == State::Starting) {
        m_process->kill();  // a consent dialog still open: nothing was built
    }
    m_process->closeWriteChannel();  // the helper takes down what it built, then exits
    if (!m_process->waitForFinished(kLastResortWaitMs)) {
        m_process->kill();
    }
}

void LiveHelper::start(const QStringList& elevation, const QString& cli) {
    Q_ASSERT(m_process == nullptr);
    m_command = elevation;
    m_command << cli << QStringLiteral("live") << QStringLiteral("helper");
    m_process = new QProcess(this);
    m_state = State::Starting;
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LiveHelper::readOutput);
    connect(m_process, &QProcess::finished, this, &LiveHelper::processEnded);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            m_state = State::NotRunning;
            m_pending.clear();
            emit ended(tr("Cannot run %1: %2").arg(m_command.front(), m_process->errorString()),
                       false);
        }
    });
    m_process->start(m_command.front(), m_command.mid(1));
}

void LiveHelper::request(QJsonObject req, Callback done) {
    if (m_state != State::Ready) {
        done({3, tr("The Live helper is not running."), {}});
        return;
    }
    const int id = m_nextId++;
    req.insert(QStringLiteral("id"), id);
    m_pending.emplace(id, std::move(done));
    m_process->write(QJsonDocument(req).toJson(QJsonDocument::Compact) + '\n');
}

void LiveHelper::stop() {
    if (m_process != nullptr && m_state != State::NotRunning) {
        m_state = State::Stopping;
        m_process->closeWriteChannel();
    }
}

void LiveHelper::cancel() {
    if (m_process != nullptr && m_state != State::NotRunning) {
        m_state = State::Stopping;
        m_process->kill();  // may be refused once the helper runs as root: then its input ends it
        m_process->closeWriteChannel();
    }
}

void LiveHelper::readOutput() {
    m_buffer += m_process->readAllStandardOutput();
    for (qsizetype nl = m_buffer.indexOf('\n'); nl >= 0; nl = m_buffer.indexOf('\n')) {
        const QByteArray line = m_buffer.left(nl);
        m_buffer.remove(0, nl + 1);
        handleLine(line);
    }
}

void LiveHelper::handleLine(const QByteArray& line) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    const QJsonObject obj = doc.object();
    if (m_state == State::Starting) {
        const int version = obj.value(QStringLiteral("version")).toInt(-1);
        if (obj.value(QStringLiteral("hello")).toString() != QLatin1String(live::kHelperHello) ||
            version != live::kHelperProtocolVersion) {
            m_protocolError =
                version >= 0
                    ? tr("The Live helper %1 speaks version %2 of the protocol, this studio "
                         "version %3: install the studio and cnmlab from one build.")
                          .arg(m_command.join(QLatin1Char(' ')))
                          .arg(version)
                          .arg(live::kHelperProtocolVersion)
                    : tr("%1 is not a cnmlab Live helper: it said “%2”.")
                          .arg(m_command.join(QLatin1Char(' ')), QString::fromUtf8(line.left(200)));
            cancel();
            return;
        }
        m_uid = obj.value(QStringLiteral("uid")).toInt(-1);
        m_pid = obj.value(QStringLiteral("pid")).toInteger();
        m_state = State::Ready;
        emit ready();
        return;
    }
    const auto it = m_pending.find(obj.value(QStringLiteral("id")).toInt(-1));
    if (it == m_pending.end()) {
        return;  // a reply to a request nobody waits for (or not JSON): nothing to do
    }
    Callback done = std::move(it->second);
    m_pending.erase(it);
    HelperReply reply;
    reply.code = obj.value(QStringLiteral("code")).toInt(3);
    reply.error = obj.value(QStringLiteral("error")).toString();
    reply.body = obj;
    done(reply);
}

QString LiveHelper::startFailure(int exitCode, const QString& stderrText) const {
    if (!m_protocolError.isEmpty()) {
        return m_protocolError;
    }
    const QString program = QFileInfo(m_command.front()).fileName();
    QString why;
    if (program == QLatin1String("pkexec") && exitCode == 126) {
        why = tr("Permission to run the Live helper as root was not given: the authentication "
                 "was dismissed or failed (pkexec exited with 126).");
    } else if (program == QLatin1String("pkexec") && exitCode == 127) {
        why = tr("pkexec could not ask for permission to run the Live helper (exit 127). A "
                 "desktop session runs a polkit authentication agent that asks for the password; "
                 "without one, build the topology from a terminal with `sudo cnmlab live up "
                 "FILE`.");
    } else if (program == QLatin1String("sudo") &&
               (stderrText.contains(QLatin1String("password is required")) ||
                stderrText.contains(QLatin1String("terminal is required")))) {
        why = tr("sudo needs a password, and the studio has no terminal to ask for it. Install "
                 "the Debian package pkexec (your desktop then asks for the password), or set "
                 "SUDO_ASKPASS to a graphical password program (for example the Debian package "
                 "ssh-askpass-gnome) and start the studio again.");
    } else {
        why = tr("%1 ended (exit %2) before the Live helper started.")
                  .arg(m_command.join(QLatin1Char(' ')))
                  .arg(exitCode);
    }
    return stderrText.isEmpty() ? why : why + QStringLiteral("\n\n") + stderrText;
}

void LiveHelper::processEnded(int exitCode, QProcess::ExitStatus status) {
    readOutput();  // replies written just before the end still count
    const QString err =
        QString::fromLocal8Bit(m_process->readAllStandardError().right(kStderrKept)).trimmed();
    const State was = m_state;
    m_state = State::NotRunning;
    m_pending.clear();
    QString why;
    if (was == State::Starting) {
        why = status == QProcess::CrashExit
                  ? tr("%1 crashed before the Live helper started.").arg(command())
                  : startFailure(exitCode, err);
    } else if (was != State::Stopping) {
        why = status == QProcess::CrashExit
                  ? tr("The Live helper (pid %1) crashed.").arg(m_pid)
                  : tr("The Live helper (pid %1) ended (exit %2).").arg(m_pid).arg(exitCode);
        if (!err.isEmpty()) {
            why += QStringLiteral("\n\n") + err;
        }
    } else if (exitCode != 0 && !err.isEmpty()) {
        why = err;  // e.g. the final `live down` failed
    }
    emit ended(why, was == State::Stopping);
}

}  // namespace cnmlab::ui
