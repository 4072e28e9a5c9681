#pragma once
// The reachability matrix as a table: one row per source and one column per
// target (sandboxes, hosts, externals, in ReachMatrix order), each cell
// summarising the probes between the pair — "2/2" reachable of tried, green
// when all answered, red when none did, amber in between. The tooltip lists
// each probe with the sentence that decided it. Aggregation is one pass over
// the entries (millions for 1000 containers); strings are built per cell when
// shown.

#include <QAbstractTableModel>

#include <memory>
#include <vector>

#include "ui/sim/simulation_session.hpp"

namespace cnmlab::ui {

class ReachMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ReachMatrixModel(QObject* parent = nullptr);

    // Shows `results` (not owned; nullptr clears). It must outlive its use here.
    void setResults(const ReachResults* results);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // The probe a click on a cell plays: the first unreachable one (the
    // interesting one) or else the first; nullopt for an empty cell.
    std::optional<ProbeRequest> requestFor(int row, int column) const;
    // Reachable/total for a cell.
    std::pair<int, int> counts(int row, int column) const;

private:
    struct Cell {
        int reachable = 0;
        int total = 0;
        std::int64_t first = -1;             // entry index
        std::int64_t firstUnreachable = -1;  // entry index
    };
    const Cell* cell(int row, int column) const;

    const ReachResults* m_results = nullptr;
    std::size_t m_n = 0;
    std::vector<Cell> m_cells;  // row-major n x n
};

}  // namespace cnmlab::ui
