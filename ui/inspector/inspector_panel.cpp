#include "ui/inspector/inspector_panel.hpp"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/inspector/machine_form.hpp"
#include "ui/inspector/network_form.hpp"
#include "ui/inspector/service_form.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

// "services.web" -> "svc:web" and so on.
QString idForErrorObject(const std::string& object) {
    const QString o = QString::fromStdString(object);
    if (o.startsWith(QLatin1String("services."))) {
        return QStringLiteral("svc:") + o.mid(9);
    }
    if (o.startsWith(QLatin1String("networks."))) {
        return QStringLiteral("net:") + o.mid(9);
    }
    if (o.startsWith(QLatin1String("x-hosts."))) {
        return QStringLiteral("host:") + o.mid(8);
    }
    if (o.startsWith(QLatin1String("x-externals."))) {
        return QStringLiteral("ext:") + o.mid(12);
    }
    return {};
}

}  // namespace

InspectorPanel::InspectorPanel(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : QWidget(parent), m_doc(doc) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    auto* header = new QWidget(this);
    auto* h = new QHBoxLayout(header);
    h->setContentsMargins(12, 10, 12, 8);
    h->setSpacing(10);
    m_icon = new QLabel(header);
    m_icon->setFixedSize(32, 32);
    h->addWidget(m_icon);
    auto* names = new QVBoxLayout;
    names->setSpacing(0);
    m_title = new QLabel(header);
    m_title->setFont(Theme::uiFont(12.5, true));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_kind = new QLabel(header);
    m_kind->setForegroundRole(QPalette::PlaceholderText);
    names->addWidget(m_title);
    names->addWidget(m_kind);
    h->addLayout(names, 1);
    outer->addWidget(header);

    m_banner = new QWidget(this);
    m_banner->setObjectName(QStringLiteral("banner"));
    auto* b = new QHBoxLayout(m_banner);
    b->setContentsMargins(12, 6, 12, 6);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bannerShow = new QPushButton(m_banner);
    connect(m_bannerShow, &QPushButton::clicked, this, [this] { emit selectRequested(m_errorId); });
    b->addWidget(m_bannerText, 1);
    b->addWidget(m_bannerShow, 0, Qt::AlignTop);
    outer->addWidget(m_banner);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_stack = new QStackedWidget(scroll);
    m_stack->setContentsMargins(12, 4, 12, 12);
    m_project = new ProjectForm(doc, editor, m_stack);
    m_service = new ServiceForm(doc, editor, m_stack);
    m_network = new NetworkForm(doc, editor, m_stack);
    m_host = new HostForm(doc, editor, m_stack);
    m_external = new ExternalForm(doc, editor, m_stack);
    for (InspectorForm* f : {m_project, m_service, m_network, m_host, m_external}) {
        m_stack->addWidget(f);
        connect(f, &InspectorForm::selectRequested, this, &InspectorPanel::selectRequested);
        connect(f, &InspectorForm::message, this, &InspectorPanel::message);
    }
    scroll->setWidget(m_stack);
    outer->addWidget(scroll, 1);

    connect(doc, &ScenarioDocument::changed, this, &InspectorPanel::refresh);
    connect(doc, &ScenarioDocument::reset, this, [this] { showSelection({}); });
    retranslate();
    showSelection({});
}

InspectorForm* InspectorPanel::currentForm() const {
    return qobject_cast<InspectorForm*>(m_stack->currentWidget());
}

void InspectorPanel::showSelection(const QStringList& ids) {
    m_id.clear();
    for (const QString& id : ids) {
        if (!id.startsWith(QLatin1String("ep:")) && id != QLatin1String("lan") &&
            id != QLatin1String("router")) {
            m_id = id;
            break;
        }
    }
    refresh();
}

void InspectorPanel::refresh() {
    const model::Scenario& sc = m_doc->scenario();
    const QString kind = m_id.section(':', 0, 0);
    std::string key = m_id.section(':', 1).section('@', 0, 0).toStdString();
    if (kind == QLatin1String("svc") && sc.findService(key) == nullptr &&
        key.find('.') != std::string::npos) {
        key = key.substr(0, key.rfind('.'));  // a swarm task (web.1): its service
    }
    InspectorForm* form = m_project;
    QString icon = QStringLiteral(":/icons/app.svg");
    QColor color = Theme::colors().selection;
    QString kindText;
    if (kind == QLatin1String("svc") && sc.findService(key) != nullptr) {
        form = m_service;
        icon = QStringLiteral(":/icons/container.svg");
        kindText = tr("Container (Compose service)");
    } else if (kind == QLatin1String("net") &&
               (sc.findNetwork(key) != nullptr || key == "bridge")) {
        form = m_network;
        const model::NetworkSpec* n = sc.findNetwork(key);
        const QString driver = QString::fromStdString(n ? n->driver : std::string("bridge"));
        icon = Theme::driverIcon(driver);
        color = Theme::driverColor(driver);
        kindText = tr("Network · %1 driver").arg(driver);
    } else if (kind == QLatin1String("host") && sc.findHost(key) != nullptr) {
        form = m_host;
        icon = QStringLiteral(":/icons/host.svg");
        color = Theme::colors().lan;
        kindText = tr("Docker host");
    } else if (kind == QLatin1String("ext") && sc.findExternal(key) != nullptr) {
        form = m_external;
        const model::ExternalSpec* e = sc.findExternal(key);
        icon = e->underlay ? QStringLiteral(":/icons/laptop.svg")
                           : QStringLiteral(":/icons/internet.svg");
        color = Theme::colors().ok;
        kindText = tr("External machine");
    } else {
        m_id.clear();
        kindText = tr("Project");
    }
    m_icon->setPixmap(Theme::tinted(icon, color, 28));
    m_title->setText(m_id.isEmpty() ? QString::fromStdString(sc.projectName)
                                    : QString::fromStdString(key));
    m_kind->setText(kindText);
    m_stack->setCurrentWidget(form);
    form->load(key);

    // The validation error: inline for its object, else in the banner.
    const auto& r = m_doc->resolved();
    const QString text = r.error ? QString::fromStdString(r.error->formatted()) : QString();
    m_errorId = idForErrorObject(r.errorObject());
    const bool inline_ = !text.isEmpty() && !m_id.isEmpty() && m_errorId == m_id.section('@', 0, 0);
    form->setObjectError(inline_ ? text : QString());
    m_banner->setVisible(!text.isEmpty() && !inline_);
    QColor bg = Theme::colors().error;
    bg.setAlpha(Theme::dark() ? 60 : 28);
    m_banner->setStyleSheet(
        QStringLiteral("#banner { background: %1; }").arg(bg.name(QColor::HexArgb)));
    m_bannerText->setText((r.stage == Resolved::Stage::Plan ? tr("Cannot simulate: ") : QString()) +
                          text);
    m_bannerShow->setVisible(!m_errorId.isEmpty());
}

void InspectorPanel::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(e);
}

void InspectorPanel::retranslate() {
    m_bannerShow->setText(tr("Show"));
    refresh();
}

}  // namespace cnmlab::ui
