#pragma once
// The reachability matrix as a table: one row per source and one column per
// target (sandboxes, hosts, externals, in ReachMatrix order), each cell
// summarising the probes between the pair — "2/2" reachable of tried, green
// when all answered, red when none did, amber in between. The tooltip lists
// each probe with the sentence that decided it. Aggregation is one pass over
// the entries (millions for 1000 containers); strings are built per cell when
// shown. In Live mode the colours say whether the kernel agrees instead.

#include <QAbstractTableModel>
#include <QColor>

#include <memory>
#include <vector>

#include "ui/sim/simulation_session.hpp"

namespace cnmlab::ui {

// The kernel's answer to one probe of the matrix (the studio's Live mode).
struct KernelAnswer {
    bool reachable = false;
    std::string outcome;  // how it ended: "answered", "refused", "dropped", "no route", "closed"
    std::string detail;   // what the kernel said: "echo reply", "connect: Connection refused" ...
    // Whether the simulation's probe `e` ended the same way.
    bool agrees(const sim::ReachEntry& e) const {
        return outcome == model::outcomeName(sim::outcomeOf(e.reachable, e.reason));
    }
};

// How a cell's probes compare in Live mode; None without kernel answers.
enum class Agreement { None, AgreeReachable, AgreeUnreachable, Disagree };

class ReachMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ReachMatrixModel(QObject* parent = nullptr);

    // Shows `results` (not owned; nullptr clears). It must outlive its use here.
    // With `kernel` (Live mode; kernel[i] answers results->matrix.entries[i],
    // not owned either), cells are coloured by agreement instead: both
    // reachable, both unreachable, or the kernel and the simulation differ on
    // at least one of the cell's probes. The tooltip gives both answers.
    void setResults(const ReachResults* results, const std::vector<KernelAnswer>* kernel = nullptr);
    bool live() const { return m_kernel != nullptr; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // The probe a click on a cell plays: the first unreachable one (the
    // interesting one) or else the first; nullopt for an empty cell.
    std::optional<ProbeRequest> requestFor(int row, int column) const;
    // Reachable/total for a cell.
    std::pair<int, int> counts(int row, int column) const;
    Agreement agreement(int row, int column) const;
    // The background of each agreement (the panel's legend uses them too).
    static QColor agreementColor(Agreement a);

private:
    struct Cell {
        int reachable = 0;
        int total = 0;
        int kernelReachable = 0;             // Live mode
        int disagree = 0;                    // Live mode
        std::int64_t first = -1;             // entry index
        std::int64_t firstUnreachable = -1;  // entry index
    };
    const Cell* cell(int row, int column) const;

    QString probeLine(std::size_t entry) const;

    const ReachResults* m_results = nullptr;
    const std::vector<KernelAnswer>* m_kernel = nullptr;
    std::size_t m_n = 0;
    std::vector<Cell> m_cells;  // row-major n x n
};

}  // namespace cnmlab::ui
