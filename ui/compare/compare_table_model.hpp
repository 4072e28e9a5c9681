#pragma once
// The Compare view's table (issue #17): one column per driver of a
// sim::Comparison, one row per measure (whether the file is valid there, the
// reach matrix and its changed pairs, ping to and from the hosts and the LAN,
// names, published ports, x-probes, the identity on the LAN, the reference
// ping's MTU, bytes and devices, the kernel objects). A cell that differs from
// the first driver's is marked (a tinted background, bold) so the eye finds
// the differences; its tooltip has the details (the changed pairs with their
// reasons, the devices crossed, each network's settings). A driver the file
// is invalid on shows its reason in the first row and dashes below.
//
// Strings are built when a cell is shown, in the studio's language; the model
// holds the Comparison it shows (shared with the view).

#include <QAbstractTableModel>

#include <memory>

#include "sim/compare.hpp"

namespace cnmlab::ui {

class CompareTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Row {
        Valid,
        Matrix,
        ToOwnHost,
        FromOwnHost,
        ToOtherHosts,
        FromOtherHosts,
        ToLan,
        FromLan,
        CrossHost,
        Names,
        Published,
        Probes,
        Identity,
        Duplicates,
        ReferencePing,
        Mtu,
        WireBytes,
        Devices,
        Objects,
        RowCount
    };
    // data() under this role: true when the cell differs from the first driver's.
    static constexpr int DiffersRole = Qt::UserRole + 1;

    explicit CompareTableModel(QObject* parent = nullptr);

    // Shows `c` (nullptr clears).
    void setComparison(std::shared_ptr<const sim::Comparison> c);
    const sim::Comparison* comparison() const { return m_comparison.get(); }
    // Whether the cell of `row` for driver `column` says something else than
    // the first driver's (never for the first column, nor for an invalid
    // driver's dashes).
    bool differs(int row, int column) const;
    // The words of the current language again (after a language change).
    void retranslate();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    const sim::DriverReport& report(int column) const;
    QString text(int row, const sim::DriverReport& r) const;
    // What differs() compares: the text, or a coarser key where the text
    // carries detail that is not a difference (the changed-pairs count).
    QString key(int row, const sim::DriverReport& r) const;
    QString tooltip(int row, const sim::DriverReport& r) const;
    static QString rowName(int row);
    static QString rowHelp(int row);

    std::shared_ptr<const sim::Comparison> m_comparison;
};

}  // namespace cnmlab::ui
