#pragma once
// The property inspector: a header naming the selection, a banner with the
// document's validation error (the same text the CLI prints, FILE:LINE:COL),
// and the form for the selected object (service, network, host, external; the
// project when nothing is selected). The error shows inline in the form when
// it is about the selected object, else in the banner with a button that
// selects the object at fault.

#include <QWidget>

#include <string>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace cnmlab::ui {

class EditController;
class InspectorForm;
class ScenarioDocument;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    InspectorPanel(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);

    // Canvas ids of the selection; the first node id decides the form.
    void showSelection(const QStringList& ids);
    // The canvas id the inspector shows ("" for the project).
    QString currentId() const { return m_id; }
    InspectorForm* currentForm() const;

signals:
    void selectRequested(const QString& id);
    void message(const QString& text);

protected:
    void changeEvent(QEvent* e) override;

private:
    void refresh();
    void retranslate();

    ScenarioDocument* m_doc;
    QString m_id;
    QLabel* m_icon = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_kind = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QPushButton* m_bannerShow = nullptr;
    QString m_errorId;
    QStackedWidget* m_stack = nullptr;
    InspectorForm* m_project = nullptr;
    InspectorForm* m_service = nullptr;
    InspectorForm* m_network = nullptr;
    InspectorForm* m_host = nullptr;
    InspectorForm* m_external = nullptr;
};

}  // namespace cnmlab::ui
