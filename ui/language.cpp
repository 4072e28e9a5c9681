#include "ui/language.hpp"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <QWidget>

namespace cnmlab::ui {

namespace {

QString g_code = QStringLiteral("en");
QTranslator* g_app = nullptr;
QTranslator* g_qt = nullptr;

}  // namespace

QString Language::code() {
    return g_code;
}

QString Language::systemCode() {
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh")
                                                            : QStringLiteral("en");
}

bool Language::set(const QString& requested) {
    const QString code = requested.isEmpty() ? systemCode() : requested;
    if (g_app != nullptr) {
        QCoreApplication::removeTranslator(g_app);
        delete g_app;
        g_app = nullptr;
    }
    if (g_qt != nullptr) {
        QCoreApplication::removeTranslator(g_qt);
        delete g_qt;
        g_qt = nullptr;
    }
    if (code != QLatin1String("zh")) {
        g_code = QStringLiteral("en");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // English is the source language; its translator only has plural forms.
        auto* en = new QTranslator;
        if (en->load(QStringLiteral(":/i18n/cnmlab_en.qm"))) {
            g_app = en;
            QCoreApplication::installTranslator(g_app);  // sends LanguageChange
        } else {
            delete en;
            QEvent e(QEvent::LanguageChange);
            for (QWidget* w : QApplication::allWidgets()) {
                QCoreApplication::sendEvent(w, &e);
            }
        }
        return code == QLatin1String("en");
    }
    auto* app = new QTranslator;
    if (!app->load(QStringLiteral(":/i18n/cnmlab_zh_CN.qm"))) {
        delete app;
        g_code = QStringLiteral("en");
        return false;
    }
    g_code = QStringLiteral("zh");
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    // Qt's own strings (dialog buttons, context menus), when installed.
    auto* qt = new QTranslator;
    if (qt->load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"),
                 QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        g_qt = qt;
        QCoreApplication::installTranslator(g_qt);
    } else {
        delete qt;
    }
    g_app = app;
    QCoreApplication::installTranslator(g_app);  // sends LanguageChange to every widget
    return true;
}

}  // namespace cnmlab::ui
