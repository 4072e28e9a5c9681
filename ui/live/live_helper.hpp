#pragma once
// The studio's end of `cnmlab live helper` (live/helper_protocol.hpp): the
// separate process that builds, probes and removes the Live topology, so that
// the studio itself runs as a normal user and never enters a namespace.
//
// The helper is started through an elevation command (pkexec with the polkit
// action cmake installs, else sudo; directly when the studio already runs as
// root: still a separate process) as a QProcess; requests and replies are
// JSON lines on its standard input and output, matched by id. Nothing here
// blocks the UI thread except the destructor's bounded wait.

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>

namespace cnmlab::ui {

// One reply. `code` has its meaning in docs/command-line.md (0 done, 1 a negative answer, 2 a
// request or scenario refused, 3 this machine cannot do it); a request sent
// to a helper that is not ready gets code 3 and the reason at once.
struct HelperReply {
    int code = 0;
    QString error;     // when code != 0
    QJsonObject body;  // the whole reply
    bool ok() const { return code == 0; }
};

// How the helper gets its privileges.
struct Elevation {
    QStringList command;  // put before `CLI live helper`; empty: run it directly
    QString unavailable;  // why no helper can be started here ("" when one can)
};

// The elevation for a studio run by `root` (direct), else pkexec when it is
// on `searchPath`, else sudo (-A with SUDO_ASKPASS set, else -n, which fails
// at once with a clear message when sudo needs a password). The environment
// variable CNMLAB_ELEVATE (a command, e.g. "doas") overrides the choice.
Elevation chooseElevation(bool root, const QStringList& searchPath, const QProcessEnvironment& env);
// chooseElevation() for this process (its effective uid, PATH, environment).
Elevation defaultElevation();

// What a failed `live up` means to the user, by its exit code (docs/command-line.md);
// `detail` is what it said, `file` the scenario's name.
QString upFailureText(int code, const QString& detail, const QString& file);

class LiveHelper : public QObject {
    Q_OBJECT
public:
    enum class State { NotRunning, Starting, Ready, Stopping };

    explicit LiveHelper(QObject* parent = nullptr);
    // Stops the helper and waits (at most 30 s) until it has taken down what
    // it brought up and exited; kills it after that.
    ~LiveHelper() override;

    // Runs `elevation + [cli, "live", "helper"]`. Emits ready() after the
    // helper's hello, or ended() when it could not start (consent refused or
    // cancelled, no such program, another protocol version).
    void start(const QStringList& elevation, const QString& cli);
    State state() const { return m_state; }
    QString command() const { return m_command.join(QLatin1Char(' ')); }
    // From the hello: the helper's effective user id and process id.
    int uid() const { return m_uid; }
    qint64 pid() const { return m_pid; }

    // Sends one request (an `op` and its fields; the id is added); `done` is
    // called on this thread with its reply. If the helper ends first, `done`
    // is never called: ended() says why.
    using Callback = std::function<void(const HelperReply&)>;
    void request(QJsonObject req, Callback done);

    // Closes the helper's input: it takes down what it brought up and exits;
    // ended() follows with `expected` true.
    void stop();
    // Ends a helper that is not ready yet (a consent dialog still open).
    void cancel();

signals:
    void ready();
    // The process ended: `why` says how, for the user; `expected` after stop()
    // or cancel().
    void ended(const QString& why, bool expected);

private:
    void readOutput();
    void handleLine(const QByteArray& line);
    void processEnded(int exitCode, QProcess::ExitStatus status);
    QString startFailure(int exitCode, const QString& stderrText) const;

    QProcess* m_process = nullptr;
    QStringList m_command;
    State m_state = State::NotRunning;
    QByteArray m_buffer;
    QString m_protocolError;
    int m_uid = -1;
    qint64 m_pid = 0;
    int m_nextId = 1;
    std::map<int, Callback> m_pending;
};

}  // namespace cnmlab::ui
