import GRDB

extension SchemaMigration {
    /// Labs, import batches, samples, analyses, findings, spectra and derived classifications.
    static let v1Core = SchemaMigration("v1-core") { db in
        try db.execute(sql: """
            CREATE TABLE lab (
                code TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                country TEXT NOT NULL DEFAULT ''
            );
            CREATE TABLE import_batch (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                lab_code TEXT REFERENCES lab(code),
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                format TEXT NOT NULL,
                received_at DATETIME NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'rejected')),
                sample_count INTEGER NOT NULL DEFAULT 0,
                finding_count INTEGER NOT NULL DEFAULT 0,
                errors TEXT NOT NULL DEFAULT '[]',
                notes TEXT NOT NULL DEFAULT '[]',
                quarantine_path TEXT
            );
            -- The same bytes are imported once; rejected attempts may repeat.
            CREATE UNIQUE INDEX import_batch_imported_sha ON import_batch(sha256) WHERE outcome = 'imported';
            CREATE TABLE sample (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                lab_code TEXT NOT NULL REFERENCES lab(code),
                lab_sample_id TEXT NOT NULL,
                sample_type TEXT NOT NULL,
                source TEXT NOT NULL,
                sold_as TEXT,
                sold_as_substance_id TEXT,
                brand TEXT, flavour TEXT, colour TEXT, logo TEXT, description TEXT,
                collected_on TEXT,
                region TEXT,
                seizure_context TEXT,
                attributes TEXT NOT NULL DEFAULT '{}',
                -- ISO week of collected_on, else of the first analysis date; week_basis says which.
                iso_week TEXT,
                week_basis TEXT CHECK (week_basis IN ('collected', 'analysed')),
                first_batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                UNIQUE (lab_code, lab_sample_id)
            );
            CREATE INDEX sample_week ON sample(iso_week, sample_type);
            CREATE TABLE analysis (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sample_id INTEGER NOT NULL REFERENCES sample(id) ON DELETE CASCADE,
                batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                technique TEXT NOT NULL,
                instrument TEXT,
                method TEXT,
                analysed_on TEXT
            );
            CREATE INDEX analysis_sample ON analysis(sample_id);
            CREATE TABLE finding (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                analysis_id INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                reported_name TEXT NOT NULL,
                substance_id TEXT,
                detected BOOLEAN NOT NULL,
                concentration REAL,
                unit TEXT,
                rt_min REAL,
                mz REAL,
                match_score REAL,
                confidence TEXT
            );
            CREATE INDEX finding_analysis ON finding(analysis_id);
            CREATE INDEX finding_substance ON finding(substance_id) WHERE detected;
            CREATE TABLE spectrum (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                analysis_id INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                native_id TEXT NOT NULL,
                name TEXT,
                ms_level INTEGER NOT NULL,
                rt_seconds REAL,
                precursor_mz REAL,
                precursor_charge INTEGER,
                polarity TEXT,
                peak_count INTEGER NOT NULL,
                -- little-endian float64 m/z and float32 intensity arrays
                mz BLOB NOT NULL,
                intensity BLOB NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}'
            );
            CREATE INDEX spectrum_analysis ON spectrum(analysis_id);
            CREATE TABLE sample_classification (
                sample_id INTEGER PRIMARY KEY NOT NULL REFERENCES sample(id) ON DELETE CASCADE,
                any_synthetic_opioid BOOLEAN NOT NULL,
                fentanyl_analogue BOOLEAN NOT NULL,
                nitazene BOOLEAN NOT NULL,
                other_nso BOOLEAN NOT NULL,
                classic_opioid BOOLEAN NOT NULL,
                xylazine_medetomidine BOOLEAN NOT NULL,
                synthetic_cannabinoid BOOLEAN NOT NULL,
                unexpected BOOLEAN NOT NULL,
                risk_tier TEXT NOT NULL,
                highest_potency_substance_id TEXT,
                suspected_new_analogue BOOLEAN NOT NULL DEFAULT 0,
                rules_version TEXT NOT NULL
            );
            """)
    }
}
