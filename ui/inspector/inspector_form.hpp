#pragma once
// Base of the inspector's forms (one per kind of object): a QFormLayout of
// fields bound to one object of the document by key. load() fills the fields
// from the model (signals blocked, so loading never edits); each field commits
// on editingFinished/toggled/activated by building the object's new value and
// pushing ONE undoable edit through the document. Text that cannot be parsed
// is shown as an error under its field and does not reach the model.

#include <QCoreApplication>
#include <QWidget>

#include <functional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace cnmlab::ui {

class EditController;
class ScenarioDocument;

class InspectorForm : public QWidget {
    Q_OBJECT
public:
    InspectorForm(ScenarioDocument* doc, EditController* editor, QWidget* parent = nullptr);

    // Shows object `key` (service key, network key, host or external name).
    virtual void load(const std::string& key) = 0;
    const std::string& key() const { return m_key; }
    // The document's validation error about this object ("" when none).
    void setObjectError(const QString& text);

signals:
    // After a rename the canvas id changes: select this one.
    void selectRequested(const QString& id);
    void message(const QString& text);

protected:
    void changeEvent(QEvent* e) override;
    virtual void retranslate();

    // A row: `label` is a QT_TR_NOOP source string of this form's class,
    // translated now and again on language change.
    QLineEdit* addLine(const char* label, const char* tip, std::function<void()> commit);
    QCheckBox* addCheck(const char* label, const char* tip, std::function<void()> commit);
    QComboBox* addCombo(const char* label, const char* tip, std::function<void()> commit);
    void addRow(const char* label, QWidget* field, const char* tip = nullptr);
    QLabel* addSection(const char* title);
    QLabel* addNote();
    // Shows (or clears with "") a parse error under `field`.
    void setFieldError(QWidget* field, const QString& text);
    static void setText(QLineEdit* e, const QString& text);

    ScenarioDocument* m_doc;
    EditController* m_editor;
    std::string m_key;
    QFormLayout* m_form = nullptr;
    QLabel* m_objectError = nullptr;

private:
    struct Row {
        QLabel* label = nullptr;
        const char* text = nullptr;
        QWidget* field = nullptr;
        const char* tip = nullptr;
        QLabel* error = nullptr;
    };
    std::vector<Row> m_rows;

protected:
    // tr() in the context of the concrete form class (where QT_TR_NOOP put it).
    QString trForm(const char* text) const;
};

}  // namespace cnmlab::ui
