#pragma once
// The inspector's forms for machines: a Docker host (name, underlay address on
// the LAN) and an external (name, and either an underlay address on the LAN or
// an address beyond the router).

#include "ui/inspector/inspector_form.hpp"

namespace cnmlab::ui {

class HostForm : public InspectorForm {
    Q_OBJECT
public:
    HostForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);
    void load(const std::string& key) override;

private:
    void commitName();
    void commitUnderlay();

    QLineEdit* m_name = nullptr;
    QLineEdit* m_underlay = nullptr;
    QLabel* m_resolved = nullptr;
};

class ExternalForm : public InspectorForm {
    Q_OBJECT
public:
    ExternalForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);
    void load(const std::string& key) override;

protected:
    void retranslate() override;

private:
    void commitName();
    void commitAddress();

    QLineEdit* m_name = nullptr;
    QComboBox* m_where = nullptr;
    QLineEdit* m_address = nullptr;
    QLabel* m_note = nullptr;
};

// Nothing selected: the project (name:) and a summary.
class ProjectForm : public InspectorForm {
    Q_OBJECT
public:
    ProjectForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);
    void load(const std::string& key) override;

private:
    void commitName();

    QLineEdit* m_name = nullptr;
    QLabel* m_summary = nullptr;
};

}  // namespace cnmlab::ui
