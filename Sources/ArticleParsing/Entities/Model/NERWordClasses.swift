/// Word classes learned from unlabeled news: words that appear in the same contexts share a class
/// (`OPEC` with `NATO` and `GATT`, `Lindqvist` with other surnames), so the model generalizes from the
/// names it was trained on to names it never saw. Two granularities, fine and coarse.
package struct NERWordClasses: Sendable {
    package struct Classes: Sendable, Equatable {
        package var fine: UInt16
        package var coarse: UInt16
        package init(fine: UInt16, coarse: UInt16) {
            self.fine = fine
            self.coarse = coarse
        }
    }

    /// Lowercase word to its classes.
    package private(set) var table: [String: Classes]

    package init(_ table: [String: Classes] = [:]) {
        self.table = table
    }

    package var isEmpty: Bool { table.isEmpty }
    package var count: Int { table.count }

    package func classes(of lower: String) -> Classes? { table[lower] }
}
