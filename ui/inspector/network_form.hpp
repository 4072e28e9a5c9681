#pragma once
// The inspector's form for a network: key, name, driver, IPAM (subnet,
// gateway, ip_range), internal, attachable, external, driver options, and
// what Docker made of it (name, id, subnet, gateway, hosts, bridge device).

#include "ui/inspector/inspector_form.hpp"

class QTableWidget;

namespace cnmlab::ui {

class NetworkForm : public InspectorForm {
    Q_OBJECT
public:
    NetworkForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);
    void load(const std::string& key) override;

protected:
    void retranslate() override;

private:
    void commitName();
    void commitDockerName();
    void commitDriver();
    void commitIpam();
    void commitFlags();
    void commitOption(int row, int column);
    void addOption(const QString& key);
    void fillOptions();

    QLineEdit* m_keyEdit = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_driver = nullptr;
    QLineEdit* m_subnet = nullptr;
    QLineEdit* m_gateway = nullptr;
    QLineEdit* m_ipRange = nullptr;
    QCheckBox* m_internal = nullptr;
    QCheckBox* m_attachable = nullptr;
    QCheckBox* m_external = nullptr;
    QTableWidget* m_options = nullptr;
    QComboBox* m_addOption = nullptr;
    QLabel* m_resolved = nullptr;
    bool m_predefined = false;
    bool m_loading = false;
};

}  // namespace cnmlab::ui
