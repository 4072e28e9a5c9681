// File handling of the main window: New from a template, Open, Save, Save As,
// recent files, the prompt for unsaved changes, and canvas export.
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

#include "ui/canvas_view.hpp"
#include "ui/main_window.hpp"
#include "ui/main_window_actions.hpp"
#include "ui/scenario_document.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {
constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentFiles";
}  // namespace

void MainWindow::newFromTemplate(const QString& resource) {
    if (!maybeSave()) {
        return;
    }
    QFile f(resource);
    if (!f.open(QIODevice::ReadOnly)) {
        return;
    }
    const QByteArray text = f.readAll();
    try {
        m_doc->loadText(text.toStdString(), tr("untitled"));
    } catch (const model::Error& e) {
        // Templates are ours and checked by the UI tests; say so if one breaks.
        QMessageBox::critical(this, tr("Template is invalid"),
                              QString::fromStdString(e.formatted()));
        return;
    }
    fitToContents();
    showMessage(tr("New scenario from a template"));
}

void MainWindow::openDialog() {
    if (!maybeSave()) {
        return;
    }
    const QString dir =
        m_doc->path().isEmpty() ? QString() : QFileInfo(m_doc->path()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scenario"), dir, tr("Compose files (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty()) {
        openFile(path);
    }
}

QString MainWindow::saveTo(const QString& path) {
    try {
        m_doc->save(path);
    } catch (const model::Error& e) {
        return QString::fromStdString(e.formatted());
    }
    addRecent(path);
    showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()));
    return {};
}

bool MainWindow::save() {
    if (m_doc->path().isEmpty()) {
        return saveAsDialog();
    }
    const QString err = saveTo(m_doc->path());
    if (!err.isEmpty()) {
        QMessageBox::critical(this, tr("Cannot save"), err);
        return false;
    }
    return true;
}

bool MainWindow::saveAsDialog() {
    QString suggestion = m_doc->path();
    if (suggestion.isEmpty()) {
        suggestion =
            QString::fromStdString(m_doc->scenario().projectName) + QStringLiteral(".yaml");
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save scenario as"), suggestion,
                                                tr("Compose files (*.yaml *.yml)"));
    if (path.isEmpty()) {
        return false;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".yaml");
    }
    const QString err = saveTo(path);
    if (!err.isEmpty()) {
        QMessageBox::critical(this, tr("Cannot save"), err);
        return false;
    }
    return true;
}

bool MainWindow::maybeSave() {
    if (!m_doc->isModified()) {
        return true;
    }
    // Buttons with our own (translated) texts: Qt's may have no translation installed.
    QMessageBox box(
        QMessageBox::Warning, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them before continuing?").arg(m_doc->displayName()),
        QMessageBox::NoButton, this);
    QPushButton* saveButton = box.addButton(tr("Save"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Cancel"), QMessageBox::RejectRole);
    box.setDefaultButton(saveButton);
    box.exec();
    if (box.clickedButton() == saveButton) {
        return save();
    }
    return box.clickedButton() == discard;
}

void MainWindow::addRecent(const QString& path) {
    QSettings settings;
    QStringList files = settings.value(kRecentKey).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    files.removeAll(abs);
    files.prepend(abs);
    while (files.size() > kMaxRecent) {
        files.removeLast();
    }
    settings.setValue(kRecentKey, files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    if (m_recentMenu == nullptr) {
        return;
    }
    m_recentMenu->clear();
    const QStringList files = QSettings().value(kRecentKey).toStringList();
    int n = 0;
    for (const QString& f : files) {
        if (!QFileInfo::exists(f)) {
            continue;
        }
        ++n;
        QAction* a = m_recentMenu->addAction(
            QStringLiteral("&%1  %2").arg(n).arg(QFileInfo(f).fileName()), this, [this, f] {
                if (maybeSave()) {
                    openFile(f);
                }
            });
        a->setToolTip(f);
    }
    if (n == 0) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear list"), this, [this] {
        QSettings().remove(kRecentKey);
        rebuildRecentMenu();
    });
}

void MainWindow::exportDialog() {
    const QString base = QString::fromStdString(m_doc->scenario().projectName);
    QString selected;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export canvas"), base + QStringLiteral(".png"),
                                     tr("PNG image (*.png);;SVG drawing (*.svg)"), &selected);
    if (path.isEmpty()) {
        return;
    }
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive) ||
                     selected.contains(QLatin1String("svg"));
    const bool ok = svg ? m_view->exportSvg(path, m_doc->displayName()) : m_view->exportPng(path);
    if (!ok) {
        QMessageBox::critical(this, tr("Cannot export"), tr("Cannot write %1").arg(path));
        return;
    }
    showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()));
}

}  // namespace cnmlab::ui
