/// Names numbered as they first appear, so that keys made of them hash and compare as integers.
///
/// ```swift
/// var names = NameTable()
/// let week = names.id("2026-W47")
/// let rank = names.ranks()        // rank[week]: its place in SQLite's text order
/// names[week]                     // "2026-W47"
/// ```
struct NameTable {
    private var ids: [String: Int32] = [:]
    private var names: [String] = []

    mutating func id(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }

    subscript(id: Int32) -> String { names[Int(id)] }

    /// Each name's place in the order SQLite's BINARY collation sorts text in (by UTF-8 bytes).
    func ranks() -> Ranks {
        var ranks = [Int32](repeating: 0, count: names.count)
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        for (rank, id) in order.enumerated() { ranks[id] = Int32(rank) }
        return Ranks(ranks: ranks)
    }

    struct Ranks {
        let ranks: [Int32]
        subscript(id: Int32) -> Int32 { ranks[Int(id)] }
    }
}
