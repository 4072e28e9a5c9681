#include "ui/sim/reach_matrix_model.hpp"

#include "ui/language.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

ReachMatrixModel::ReachMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReachMatrixModel::setResults(const ReachResults* results) {
    beginResetModel();
    m_results = results;
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
    if (row < 0 || column < 0 || static_cast<std::size_t>(row) >= m_n || static_cast<std::size_t>(column) >= m_n) {
        return nullptr;
    }
    return &m_cells[static_cast<std::size_t>(row) * m_n + static_cast<std::size_t>(column)];
}

std::pair<int, int> ReachMatrixModel::counts(int row, int column) const {
    const Cell* c = cell(row, column);
    return c ? std::pair{c->reachable, c->total} : std::pair{0, 0};
}

QVariant ReachMatrixModel::data(const QModelIndex& index, int role) const {
    const Cell* c = cell(index.row(), index.column());
    if (c == nullptr) {
        return {};
    }
    if (c->total == 0) {
        return role == Qt::DisplayRole ? QVariant(index.row() == index.column() ? QStringLiteral("·") : QString())
                                       : QVariant();
    }
    const ThemeColors& t = Theme::colors();
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1/%2").arg(c->reachable).arg(c->total);
    case Qt::TextAlignmentRole:
        return Qt::AlignCenter;
    case Qt::BackgroundRole: {
        QColor col = c->reachable == c->total ? t.ok : c->reachable == 0 ? t.error : QColor(0xf5, 0x9e, 0x0b);
        col.setAlpha(Theme::dark() ? 120 : 80);
        return col;
    }
    case Qt::ToolTipRole: {
        const auto& m = m_results->matrix;
        QStringList lines;
        lines << QStringLiteral("<b>%1 → %2</b>").arg(QString::fromStdString(m.names[static_cast<std::size_t>(index.row())]),
                                                      QString::fromStdString(m.names[static_cast<std::size_t>(index.column())]));
        int shown = 0;
        for (const auto& e : m.entries) {
            if (static_cast<int>(e.from) != index.row() || static_cast<int>(e.to) != index.column()) {
                continue;
            }
            if (++shown > 12) {
                lines << QStringLiteral("…");
                break;
            }
            QString what = QString::fromStdString(model::protoName(e.proto));
            if (e.port != 0) {
                what += QStringLiteral("/%1").arg(e.port);
            }
            lines << QStringLiteral("%1 %2 %3 — %4")
                         .arg(e.reachable ? QStringLiteral("✔") : QStringLiteral("✘"),
                              QString::fromStdString(e.dst.str()), what,
                              QString::fromStdString(m_results->sim->world().explain(e.reason).in(Language::simLang()))
                                  .toHtmlEscaped());
        }
        return lines.join(QStringLiteral("<br>"));
    }
    default:
        return {};
    }
}

QVariant ReachMatrixModel::headerData(int section, Qt::Orientation, int role) const {
    if (role != Qt::DisplayRole || m_results == nullptr || static_cast<std::size_t>(section) >= m_n) {
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
    const auto& e = m.entries[static_cast<std::size_t>(c->firstUnreachable >= 0 ? c->firstUnreachable : c->first)];
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
