import DrugCheckModel
import GRDB

extension SchemaMigration {
    /// Chromatograms (TIC, SIC/SRM traces) of an analysis, stored like spectra: retention times
    /// in seconds as little-endian float64, intensities as little-endian float32.
    static let chromatograms = SchemaMigration("chromatograms") { db in
        try db.execute(sql: """
            CREATE TABLE chromatogram (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                analysis_id INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                native_id TEXT NOT NULL,
                type TEXT,
                point_count INTEGER NOT NULL,
                rt_seconds BLOB NOT NULL,
                intensity BLOB NOT NULL
            );
            CREATE INDEX chromatogram_analysis ON chromatogram(analysis_id);
            """)
    }
}
