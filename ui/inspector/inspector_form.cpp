#include "ui/inspector/inspector_form.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "ui/theme.hpp"

namespace cnmlab::ui {

InspectorForm::InspectorForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_editor(editor) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_objectError = new QLabel(this);
    m_objectError->setObjectName(QStringLiteral("inlineError"));
    m_objectError->setWordWrap(true);
    m_objectError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_objectError->hide();
    outer->addWidget(m_objectError);
    m_form = new QFormLayout;
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignLeft);
    m_form->setHorizontalSpacing(10);
    m_form->setVerticalSpacing(7);
    outer->addLayout(m_form);
    outer->addStretch(1);
}

QString InspectorForm::trForm(const char* text) const {
    return QCoreApplication::translate(metaObject()->className(), text);
}

void InspectorForm::setObjectError(const QString& text) {
    m_objectError->setText(text.isEmpty() ? QString() : QStringLiteral("⚠ ") + text);
    m_objectError->setVisible(!text.isEmpty());
}

void InspectorForm::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(e);
}

void InspectorForm::retranslate() {
    for (Row& r : m_rows) {
        if (r.label != nullptr && r.text != nullptr) {
            r.label->setText(trForm(r.text));
        }
        if (r.field != nullptr && r.tip != nullptr) {
            r.field->setToolTip(trForm(r.tip));
        }
    }
}

void InspectorForm::addRow(const char* label, QWidget* field, const char* tip) {
    Row r;
    r.label = new QLabel(this);
    r.label->setBuddy(field);
    r.text = label;
    r.field = field;
    r.tip = tip;
    auto* box = new QWidget(this);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(field);
    r.error = new QLabel(box);
    r.error->setObjectName(QStringLiteral("inlineError"));
    r.error->setWordWrap(true);
    r.error->hide();
    v->addWidget(r.error);
    m_form->addRow(r.label, box);
    m_rows.push_back(r);
    r.label->setText(trForm(label));
    if (tip != nullptr) {
        field->setToolTip(trForm(tip));
    }
}

QLineEdit* InspectorForm::addLine(const char* label, const char* tip,
                                  std::function<void()> commit) {
    auto* e = new QLineEdit(this);
    e->setClearButtonEnabled(false);
    connect(e, &QLineEdit::editingFinished, this, [e, commit] {
        if (e->isModified()) {
            e->setModified(false);
            commit();
        }
    });
    addRow(label, e, tip);
    return e;
}

QCheckBox* InspectorForm::addCheck(const char* label, const char* tip,
                                   std::function<void()> commit) {
    auto* c = new QCheckBox(this);
    connect(c, &QCheckBox::toggled, this, [commit] { commit(); });
    addRow(label, c, tip);
    return c;
}

QComboBox* InspectorForm::addCombo(const char* label, const char* tip,
                                   std::function<void()> commit) {
    auto* c = new QComboBox(this);
    connect(c, &QComboBox::activated, this, [commit] { commit(); });
    addRow(label, c, tip);
    return c;
}

QLabel* InspectorForm::addSection(const char* title) {
    auto* l = new QLabel(this);
    l->setObjectName(QStringLiteral("sectionTitle"));
    Row r;
    r.label = l;
    r.text = title;
    m_rows.push_back(r);
    l->setText(trForm(title));
    m_form->addRow(l);
    return l;
}

QLabel* InspectorForm::addNote() {
    auto* l = new QLabel(this);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setForegroundRole(QPalette::PlaceholderText);
    m_form->addRow(l);
    return l;
}

void InspectorForm::setFieldError(QWidget* field, const QString& text) {
    for (Row& r : m_rows) {
        if (r.field == field && r.error != nullptr) {
            r.error->setText(text);
            r.error->setVisible(!text.isEmpty());
            field->setStyleSheet(text.isEmpty()
                                     ? QString()
                                     : QStringLiteral("border: 1.5px solid %1; border-radius: 3px;")
                                           .arg(Theme::colors().error.name()));
        }
    }
}

void InspectorForm::setText(QLineEdit* e, const QString& text) {
    if (e->text() != text) {
        const QSignalBlocker block(e);
        e->setText(text);
    }
    e->setModified(false);
}

}  // namespace cnmlab::ui
