#!/usr/bin/env bash
# The least SQLite itself needs to store a findings CSV in DrugCheck's schema, beside
# `sqlite3 .import` of the same file into one plain table (issue #13's peer), in one run.
#
# The floor is SQLite's own set-based SQL, no Swift: the rows are staged by `.import`, then moved
# into sample, analysis, finding and sample_classification with the schema's keys, foreign keys
# and indexes, in one transaction, with the aggregate triggers set aside as an import batch sets
# them aside. It does less than an import: no name resolution, no classification (every sample
# gets the same placeholder row), no report aggregates, no rollups, no audit digest. Whatever the
# import's own design, it cannot store the rows in less time than this on the same machine.
#
# usage: Benchmarks/import/floor.sh FILE [WORK_DIR] [DRUGCHECK_BINARY]
set -euo pipefail
file=$(realpath "$1")
work=${2:-$(mktemp -d)}
drugcheck=${3:-.build/release/drugcheck}
mkdir -p "$work"
rm -f "$work"/floor-peer.sqlite* "$work"/floor.sqlite*
now() { date +%s.%N; }

t0=$(now)
sqlite3 -bail "$work/floor-peer.sqlite" <<SQL
CREATE TABLE findings (lab TEXT, sample_id TEXT, sample_type TEXT, source TEXT, sold_as TEXT, collected_on TEXT,
  region TEXT, technique TEXT, substance TEXT, detected TEXT, concentration REAL, unit TEXT, rt_min REAL, mz REAL, match_score REAL);
.import --csv --skip 1 $file findings
SQL
t1=$(now)

"$drugcheck" samples --db "$work/floor.sqlite" > /dev/null   # creates the schema (untimed)
triggers=$(sqlite3 "$work/floor.sqlite" "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%aggregate_control%'")
t2=$(now)
sqlite3 -bail "$work/floor.sqlite" <<SQL
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -49152;
ATTACH '$work/floor-peer.sqlite' AS stage;
BEGIN;
$triggers
INSERT INTO import_batch (file_name, sha256, format, received_at, outcome) VALUES ('floor', 'floor', 'findings-csv', datetime('now'), 'imported');
CREATE TEMP TABLE batch AS SELECT last_insert_rowid() AS id;
INSERT OR IGNORE INTO lab (code, name) SELECT DISTINCT lab, lab FROM stage.findings;
INSERT INTO sample (lab_code, lab_sample_id, sample_type, source, sold_as, collected_on, region, iso_week, week_basis, first_batch_id)
  SELECT lab, sample_id, sample_type, source, sold_as, collected_on, region, strftime('%Y-W%W', collected_on), 'collected', (SELECT id FROM temp.batch)
  FROM stage.findings GROUP BY lab, sample_id;
CREATE TEMP TABLE run AS SELECT DISTINCT lab, sample_id, technique FROM stage.findings;
INSERT INTO analysis (sample_id, batch_id, technique)
  SELECT s.id, (SELECT id FROM temp.batch), r.technique FROM temp.run r JOIN sample s ON s.lab_code = r.lab AND s.lab_sample_id = r.sample_id;
INSERT INTO finding (analysis_id, reported_name, substance_id, detected, concentration, unit, rt_min, mz, match_score)
  SELECT a.id, f.substance, f.substance, f.detected = 'yes', f.concentration, f.unit, f.rt_min, f.mz, f.match_score
  FROM stage.findings f JOIN sample s ON s.lab_code = f.lab AND s.lab_sample_id = f.sample_id
  JOIN analysis a ON a.sample_id = s.id AND a.technique = f.technique AND +a.batch_id = (SELECT id FROM temp.batch);
INSERT INTO sample_classification (sample_id, any_synthetic_opioid, fentanyl_analogue, nitazene, other_nso, classic_opioid,
  xylazine_medetomidine, synthetic_cannabinoid, unexpected, risk_tier, rules_version)
  SELECT id, 0, 0, 0, 0, 0, 0, 0, 0, 'low', 'floor' FROM sample WHERE first_batch_id = (SELECT id FROM temp.batch);
COMMIT;
SQL
t3=$(now)

rows=$(( $(wc -l < "$file") - 1 ))
counts=$(sqlite3 "$work/floor.sqlite" "SELECT (SELECT COUNT(*) FROM sample) || ' samples, ' || (SELECT COUNT(*) FROM analysis) || ' analyses, ' || (SELECT COUNT(*) FROM finding) || ' findings'")
echo "file $file: $rows data rows; the floor stored $counts"
echo "| step | wall s | rows/s |"
echo "|---|---|---|"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$rows" 'BEGIN {
  printf "| sqlite3 .import (one plain table, no index) | %.2f | %.0f |\n", b - a, n / (b - a)
  printf "| SQLite set-based, staged rows into the schema (the floor) | %.2f | %.0f |\n", d - c, n / (d - c)
  printf "the floor runs at %.2fx the rows/s of sqlite3 .import\n", (b - a) / (d - c) }'
