#pragma once
// The inspector's form for a service (one container): name, image,
// container_name, x-host, network_mode, its networks with aliases and static
// addresses, ports, expose and x-listen, and what Docker gave it (addresses,
// MACs, interface names) from the resolved topology.

#include "model/topology.hpp"
#include "ui/inspector/inspector_form.hpp"

class QTableWidget;

namespace cnmlab::ui {

class ServiceForm : public InspectorForm {
    Q_OBJECT
public:
    ServiceForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);
    void load(const std::string& key) override;

protected:
    void retranslate() override;

private:
    void commitName();
    void commitImage();
    void commitContainerName();
    void commitHost();
    void commitMode();
    void commitPorts();
    void commitExpose();
    void commitListen();
    void commitSwarm();  // service_form_swarm.cpp
    void loadSwarm(const model::ServiceSpec& s);
    void commitNetworkCell(int row, int column);
    void connectSelected();
    void fillNetworks();

    QString swarmServiceText(const model::Topology& t, const model::SwarmService& svc);
    QLineEdit* m_name = nullptr;
    QLineEdit* m_image = nullptr;
    QLineEdit* m_containerName = nullptr;
    QComboBox* m_host = nullptr;
    QComboBox* m_mode = nullptr;
    QTableWidget* m_networks = nullptr;
    QComboBox* m_connect = nullptr;
    QLineEdit* m_ports = nullptr;
    QLineEdit* m_expose = nullptr;
    QLineEdit* m_listen = nullptr;
    QComboBox* m_swarmMode = nullptr;
    QLineEdit* m_replicas = nullptr;
    QComboBox* m_endpointMode = nullptr;
    QLineEdit* m_constraints = nullptr;
    QLabel* m_resolved = nullptr;
    bool m_loading = false;
};

}  // namespace cnmlab::ui
