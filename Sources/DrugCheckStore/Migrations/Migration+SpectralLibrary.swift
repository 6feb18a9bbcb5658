import GRDB

extension SchemaMigration {
    /// Reference spectral libraries a lab imports (`drugcheck library import`), their spectra, and
    /// the identification DrugCheck made of each stored sample spectrum (`drugcheck classify`),
    /// with the library and rules versions that produced it.
    static let spectralLibrary = SchemaMigration("spectral-library") { db in
        try db.execute(sql: """
            CREATE TABLE spectral_library (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                source TEXT NOT NULL,
                licence TEXT NOT NULL,
                -- [{"file": name, "sha256": hex, "records": n}]
                files TEXT NOT NULL DEFAULT '[]',
                record_count INTEGER NOT NULL,
                imported_at DATETIME NOT NULL,
                UNIQUE (name, version)
            );
            CREATE TABLE library_spectrum (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                library_id INTEGER NOT NULL REFERENCES spectral_library(id) ON DELETE CASCADE,
                record_id TEXT NOT NULL,
                name TEXT NOT NULL,
                ms_level INTEGER NOT NULL,
                precursor_mz REAL,
                precursor_charge INTEGER,
                polarity TEXT,
                ionisation TEXT,
                instrument_type TEXT,
                inchikey TEXT,
                formula TEXT,
                -- stated by the record, else from the catalogue substance matched by InChIKey or name
                substance_class TEXT,
                substance_id TEXT,
                peak_count INTEGER NOT NULL,
                -- little-endian float64 m/z and float32 intensity arrays
                mz BLOB NOT NULL,
                intensity BLOB NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}'
            );
            CREATE INDEX library_spectrum_library ON library_spectrum(library_id);
            CREATE INDEX library_spectrum_inchikey ON library_spectrum(inchikey);
            CREATE TABLE spectrum_identification (
                spectrum_id INTEGER PRIMARY KEY NOT NULL REFERENCES spectrum(id) ON DELETE CASCADE,
                class TEXT NOT NULL,
                suspected_new_analogue BOOLEAN NOT NULL,
                level TEXT,
                substance TEXT,
                basis TEXT NOT NULL,
                -- the whole identification (hits, class evidence, mass candidates) as JSON
                result TEXT NOT NULL,
                -- the DrugCheck finding this spectrum supports, if it put the spectrum in a class
                finding_id INTEGER REFERENCES finding(id) ON DELETE SET NULL,
                library_version TEXT NOT NULL,
                rules_version TEXT NOT NULL,
                classified_at DATETIME NOT NULL
            );
            CREATE INDEX spectrum_identification_finding ON spectrum_identification(finding_id);
            """)
    }
}
