#include "ui/worker.hpp"

#include <QCoreApplication>

namespace cnmlab::ui {

QString currentExceptionMessage() {
    try {
        throw;
    } catch (const model::Error& e) {
        return QString::fromStdString(e.formatted());
    } catch (const std::exception& e) {
        return QCoreApplication::translate("cnmlab::ui::Worker", "internal error: %1")
            .arg(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return QCoreApplication::translate("cnmlab::ui::Worker",
                                           "internal error: an exception of an unknown type");
    }
}

}  // namespace cnmlab::ui
