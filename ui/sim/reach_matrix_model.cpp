#include "ui/sim/reach_matrix_model.hpp"

#include "ui/language.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

ReachMatrixModel::ReachMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReachMatrixModel::setResults(const ReachResults* results,
                                  const std::vector<KernelAnswer>* kernel) {
    beginResetModel();
    m_results = results;
    m_kernel =
        results != nullptr && kernel != nullptr && kernel->size() == results->matrix.entries.size()
            ? kernel
            : nullptr;
    m_cells.clear();
    m_n = results ? results->matrix.names.size() : 0;
    if (results != nullptr) {
        m_cells.resize(m_n * m_n);
        const auto& entries = results->matrix.entries;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            Cell& c = m_cells[e.from * m_n + e.to];
            ++c.total;
            c.reachable += e.reachable ? 1 : 0;
            if (m_kernel != nullptr) {
                const KernelAnswer& k = (*m_kernel)[i];
                c.kernelReachable += k.reachable ? 1 : 0;
                c.disagree += k.agrees(e) ? 0 : 1;
            }
            if (c.first < 0) {
                c.first = static_cast<std::int64_t>(i);
            }
            if (!e.reachable && c.firstUnreachable < 0) {
                c.firstUnreachable = static_cast<std::int64_t>(i);
            }
        }
    }
    endResetModel();
}

int ReachMatrixModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_n);
}

int ReachMatrixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_n);
}

const ReachMatrixModel::Cell* ReachMatrixModel::cell(int row, int column) const {
    if (row < 0 || column < 0 || static_cast<std::size_t>(row) >= m_n ||
        static_cast<std::size_t>(column) >= m_n) {
        return nullptr;
    }
    return &m_cells[static_cast<std::size_t>(row) * m_n + static_cast<std::size_t>(column)];
}

std::pair<int, int> ReachMatrixModel::counts(int row, int column) const {
    const Cell* c = cell(row, column);
    return c ? std::pair{c->reachable, c->total} : std::pair{0, 0};
}

Agreement ReachMatrixModel::agreement(int row, int column) const {
    const Cell* c = cell(row, column);
    if (c == nullptr || c->total == 0 || m_kernel == nullptr) {
        return Agreement::None;
    }
    return c->disagree > 0    ? Agreement::Disagree
           : c->reachable > 0 ? Agreement::AgreeReachable
                              : Agreement::AgreeUnreachable;
}

QColor ReachMatrixModel::agreementColor(Agreement a) {
    QColor col;
    switch (a) {
    case Agreement::AgreeReachable:
        col = Theme::colors().ok;
        break;
    case Agreement::AgreeUnreachable:
        col = QColor(0x64, 0x74, 0x8b);  // slate: a right answer, but nothing got through
        break;
    case Agreement::Disagree:
        col = QColor(0xd9, 0x46, 0xef);  // magenta: unlike any simulation colour
        break;
    case Agreement::None:
        return {};
    }
    col.setAlpha(Theme::dark() ? 140 : 96);
    return col;
}

QString ReachMatrixModel::probeLine(std::size_t entry) const {
    const auto& e = m_results->matrix.entries[entry];
    QString what = QString::fromStdString(model::protoName(e.proto));
    if (e.port != 0) {
        what += QStringLiteral("/%1").arg(e.port);
    }
    const QString reason =
        QString::fromStdString(m_results->sim->world().explain(e.reason).in(Language::simLang()))
            .toHtmlEscaped();
    auto mark = [](bool reachable) {
        return reachable ? QStringLiteral("✔") : QStringLiteral("✘");
    };
    if (m_kernel == nullptr) {
        return QStringLiteral("%1 %2 %3 — %4")
            .arg(mark(e.reachable), QString::fromStdString(e.dst.str()), what, reason);
    }
    const KernelAnswer& k = (*m_kernel)[entry];
    // How each ended (model::outcomeName), in the interface's language.
    auto how = [](std::string_view o) {
        return o == "answered"   ? tr("answered")
               : o == "refused"  ? tr("refused")
               : o == "dropped"  ? tr("dropped")
               : o == "no route" ? tr("no route")
               : o == "closed"   ? tr("closed")
                                 : tr("could not be sent");
    };
    const QString simHow = how(model::outcomeName(sim::outcomeOf(e.reachable, e.reason)));
    const QString line = tr("%1 %2: simulation %3 %4, kernel %5 %6 (%7) — %8")
                             .arg(QString::fromStdString(e.dst.str()), what, mark(e.reachable),
                                  simHow, mark(k.reachable), how(k.outcome),
                                  QString::fromStdString(k.detail).toHtmlEscaped(), reason);
    return k.agrees(e) ? line : QStringLiteral("<b>≠ %1</b>").arg(line);
}

QVariant ReachMatrixModel::data(const QModelIndex& index, int role) const {
    const Cell* c = cell(index.row(), index.column());
    if (c == nullptr) {
        return {};
    }
    if (c->total == 0) {
        return role == Qt::DisplayRole
                   ? QVariant(index.row() == index.column() ? QStringLiteral("·") : QString())
                   : QVariant();
    }
    const ThemeColors& t = Theme::colors();
    switch (role) {
    case Qt::DisplayRole:
        // In Live mode a disagreeing cell also shows how many the kernel reached.
        return c->disagree > 0 ? QStringLiteral("%1/%2 ≠ %3")
                                     .arg(c->reachable)
                                     .arg(c->total)
                                     .arg(c->kernelReachable)
                               : QStringLiteral("%1/%2").arg(c->reachable).arg(c->total);
    case Qt::TextAlignmentRole:
        return Qt::AlignCenter;
    case Qt::BackgroundRole: {
        if (m_kernel != nullptr) {
            return agreementColor(agreement(index.row(), index.column()));
        }
        QColor col = c->reachable == c->total ? t.ok
                     : c->reachable == 0      ? t.error
                                              : QColor(0xf5, 0x9e, 0x0b);
        col.setAlpha(Theme::dark() ? 120 : 80);
        return col;
    }
    case Qt::ToolTipRole: {
        const auto& m = m_results->matrix;
        QStringList lines;
        lines << QStringLiteral("<b>%1 → %2</b>")
                     .arg(
                         QString::fromStdString(m.names[static_cast<std::size_t>(index.row())]),
                         QString::fromStdString(m.names[static_cast<std::size_t>(index.column())]));
        if (m_kernel != nullptr) {
            lines << (c->disagree > 0
                          ? tr("The kernel disagrees with the simulation on %n probe(s)", nullptr,
                               c->disagree)
                          : tr("The kernel agrees with the simulation"));
        }
        int shown = 0;
        for (std::size_t i = 0; i < m.entries.size(); ++i) {
            const auto& e = m.entries[i];
            if (static_cast<int>(e.from) != index.row() ||
                static_cast<int>(e.to) != index.column()) {
                continue;
            }
            if (++shown > 12) {
                lines << QStringLiteral("…");
                break;
            }
            lines << probeLine(i);
        }
        return lines.join(QStringLiteral("<br>"));
    }
    default:
        return {};
    }
}

QVariant ReachMatrixModel::headerData(int section, Qt::Orientation, int role) const {
    if (role != Qt::DisplayRole || m_results == nullptr ||
        static_cast<std::size_t>(section) >= m_n) {
        return {};
    }
    return QString::fromStdString(m_results->matrix.names[static_cast<std::size_t>(section)]);
}

std::optional<ProbeRequest> ReachMatrixModel::requestFor(int row, int column) const {
    const Cell* c = cell(row, column);
    if (c == nullptr || c->total == 0) {
        return std::nullopt;
    }
    const auto& m = m_results->matrix;
    const auto& e = m.entries[static_cast<std::size_t>(
        c->firstUnreachable >= 0 ? c->firstUnreachable : c->first)];
    ProbeRequest r;
    r.from = m.names[e.from];
    r.proto = e.proto;
    if (e.port != 0) {
        r.port = e.port;
    }
    if (e.network >= 0) {
        r.to = m.names[e.to];
        r.network = m.networks[static_cast<std::size_t>(e.network)];
    } else {
        r.to = e.dst.str();  // a host's or external's address: the literal picks it
    }
    return r;
}

}  // namespace cnmlab::ui
