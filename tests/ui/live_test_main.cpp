// The main of the Live UI tests: the studio under test runs as a normal user
// (nobody), its helper as root through the broker of root_broker.hpp.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <QTemporaryDir>

#include "root_broker.hpp"
#include "ui_test_util.hpp"

int main(int argc, char** argv) {
    if (const int rc = uitest::elevateClientMain(argc, argv); rc >= 0) {
        return rc;  // this run is the elevation command the studio started
    }
    bool listing = false;
    for (int i = 1; i < argc; ++i) {
        listing = listing || std::strncmp(argv[i], "--gtest_list_tests", 18) == 0;
    }
    if (!listing) {
        const QString why = uitest::startBrokerAndDropPrivileges();
        if (::geteuid() == 0 || ::getuid() == 0) {
            std::fprintf(stderr, "the studio under test must not run as root: %s\n",
                         why.toLocal8Bit().constData());
            return 1;
        }
    }
    // A home of the user's own, as a user's studio has (Qt writes caches there).
    QTemporaryDir home;
    home.setAutoRemove(true);
    qputenv("HOME", home.path().toLocal8Bit());
    qputenv("XDG_RUNTIME_DIR", home.path().toLocal8Bit());
    return uitest::runTests(argc, argv);
}
