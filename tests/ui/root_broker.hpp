#pragma once
// The Live UI tests run the studio as a normal user and its helper as root,
// as a user who starts cnmlab-studio and lets pkexec run the helper does.
//
// The test binary starts as root (CI runs as root). Before anything else,
// main() starts a broker, a child process that stays root, and then makes the
// test process the user `nobody` (uid and gid 65534, no supplementary groups,
// no capabilities). The elevation command the tests give
// LiveSession::setElevation is this binary again, run by the studio as
// nobody: `ui_live_tests --elevate SOCKET CMD...` passes its standard input,
// output and error to the broker, which runs CMD (only `CNMLAB_CLI live
// helper`) as root on them and reports its exit status, with which the
// client exits: what pkexec does once the user has consented. The broker
// accepts only the test process's user (SO_PEERCRED) on an abstract socket
// named after the test's pid, and dies with the test.

#include <QString>
#include <QStringList>

namespace uitest {

// When argv is `--elevate SOCKET CMD...`, acts as the client and returns its
// exit code; otherwise returns -1. Call first in main().
int elevateClientMain(int argc, char** argv);

// As root: starts the broker and becomes `nobody`; otherwise does nothing.
// Returns why the unprivileged studio with a root helper cannot be tested
// ("" when it can). Call in main() before any thread exists.
QString startBrokerAndDropPrivileges();

// The elevation command for LiveSession::setElevation (empty without a broker).
QStringList brokerElevation();
// Why there is no broker ("" when there is one).
QString brokerUnavailable();

}  // namespace uitest
