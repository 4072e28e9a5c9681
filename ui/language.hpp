#pragma once
// The studio's language: English (the source strings) or Simplified Chinese
// (assets/translations/cnmlab_zh_CN.ts, compiled to .qm by CMake and built in
// as :/i18n/cnmlab_zh_CN.qm). At start it follows the system locale; the
// Language menu switches it at run time. Installing a translator makes Qt send
// QEvent::LanguageChange to every widget, which is how views retranslate;
// code() tells them which half of sim::Text (explanations) to show.

#include <QString>

namespace cnmlab::ui {

class Language {
public:
    // "en" or "zh".
    static QString code();
    // "en", "zh" or "" for the system locale. Returns false when the
    // translation could not be loaded (the language stays English).
    static bool set(const QString& code);
    // The locale's choice: "zh" for any Chinese locale, else "en".
    static QString systemCode();
    // The sim::Text language key for code(): "en" or "zh".
    static std::string simLang() { return code().toStdString(); }
};

}  // namespace cnmlab::ui
