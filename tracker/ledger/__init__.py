"""The ledger (台账) round trip: units without git report through an Excel or Word table.

    tracker ledger export --unit 市水利局 -o 市水利局.xlsx     the office sends it out
    tracker ledger ingest 市水利局.xlsx                         and takes it back: one commit per item

Modules (none imports Textual):

- `rows`    the row model: columns, which ones a unit may fill in, the rows of an export, the
            version record (each item's blob id, the export's commit) and the value rules
- `xlsx`    the workbook writer (print setup, validation, protection, a hidden `_tracker` sheet)
- `docx`    the Word writer (a landscape table, the version record as custom document properties)
- `read`    both readers: a returned file to header-mapped rows with cell names (H7)
- `ingest`  the planner (per item old → new, invalid cells, locked cells, stale items) and the
            applier (the store's one save path; a stale item is merged as sync merges, so a
            disputed field becomes a recorded conflict naming the ledger)
- `returns` which units returned a ledger in a period (for `tracker remind` and the bulletin's
            台账报送情况, tracker/report/model.py)
"""
