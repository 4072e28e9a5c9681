// The main of the UI tests that need nothing but the offscreen platform.
#include "ui_test_util.hpp"

int main(int argc, char** argv) {
    return uitest::runTests(argc, argv);
}
