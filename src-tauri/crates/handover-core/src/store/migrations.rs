//! The ordered list of schema migrations. Each runs in its own transaction (rusqlite_migration); the schema
//! version is SQLite's `user_version`. Never edit a migration that has shipped: add a new one.

use rusqlite_migration::{Migrations, M};

const V1: &str = r#"
CREATE TABLE case_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    case_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    app_version TEXT NOT NULL
);

-- One row: the case details. Plain columns (not JSON) so the file can be inspected with SQL.
CREATE TABLE case_details (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    kind               TEXT NOT NULL CHECK (kind IN ('courier-station', 'shop', 'company')),
    reason             TEXT NOT NULL CHECK (reason IN ('sale-whole', 'sale-list', 'merger', 'division', 'dissolution', 'bankruptcy')),
    seller_name        TEXT NOT NULL,
    seller_contact     TEXT NOT NULL,
    responsible_person TEXT NOT NULL,
    has_recipient      INTEGER NOT NULL CHECK (has_recipient IN (0, 1)),
    recipient_name     TEXT NOT NULL,
    recipient_contact  TEXT NOT NULL,
    handover_date      TEXT,
    notes              TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

-- Append-only, hash-chained audit log: who did what, when. Each entry's hash covers its fields and the
-- previous entry's hash, so a changed or removed entry breaks the chain. audit_head records where the
-- chain must end, so removing the newest entries is detected too.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Where customer information comes from, the people, and their rows. The import issue adds columns.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY
);
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    row_number  INTEGER NOT NULL,
    customer_id INTEGER REFERENCES customers (id)
);
CREATE INDEX records_customer ON records (customer_id);
CREATE INDEX records_source ON records (source_id, row_number);
"#;

/// Import (issue 3): where each source came from, how its columns were read, every row's original cells
/// beside their normalised values, the customers the records are linked to, and every problem found.
const V2: &str = r#"
-- One imported file (kind 'file') or a registered non-electronic source (paper logbook, phone contacts…).
ALTER TABLE sources ADD COLUMN file_name      TEXT;
ALTER TABLE sources ADD COLUMN content_sha256 TEXT;
ALTER TABLE sources ADD COLUMN size_bytes     INTEGER;
ALTER TABLE sources ADD COLUMN format         TEXT;
ALTER TABLE sources ADD COLUMN encoding       TEXT;
ALTER TABLE sources ADD COLUMN delimiter      TEXT;
ALTER TABLE sources ADD COLUMN sheet          TEXT;
ALTER TABLE sources ADD COLUMN header_row     INTEGER;
ALTER TABLE sources ADD COLUMN layout_key     TEXT;
ALTER TABLE sources ADD COLUMN rows_imported  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN rows_flagged   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN rows_rejected  INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sources_sha ON sources (content_sha256);

-- The columns of an imported source and the field each was mapped to.
CREATE TABLE source_columns (
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    col_index  INTEGER NOT NULL,
    header     TEXT NOT NULL,
    field      TEXT NOT NULL,
    PRIMARY KEY (source_id, col_index)
) WITHOUT ROWID;

-- A mapping the owner confirmed, remembered per layout (the normalised header row) and reused.
CREATE TABLE remembered_mappings (
    layout_key TEXT PRIMARY KEY,
    fields     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- People. Records are linked by normalised mobile number or ID number.
ALTER TABLE customers ADD COLUMN mobile    TEXT;
ALTER TABLE customers ADD COLUMN id_number TEXT;
ALTER TABLE customers ADD COLUMN name      TEXT;
CREATE UNIQUE INDEX customers_mobile ON customers (mobile) WHERE mobile IS NOT NULL;
CREATE UNIQUE INDEX customers_id_number ON customers (id_number) WHERE id_number IS NOT NULL;

-- One row of a source. `raw` is the original cells (JSON array of strings, exactly as read); `norm` the
-- normalised values that differ from them (JSON object keyed by 0-based column index). The columns after them are the
-- normalised values later steps query, copied out for speed.
ALTER TABLE records ADD COLUMN raw           TEXT NOT NULL DEFAULT '[]';
ALTER TABLE records ADD COLUMN norm          TEXT NOT NULL DEFAULT '{}';
ALTER TABLE records ADD COLUMN flagged       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN name          TEXT;
ALTER TABLE records ADD COLUMN mobile        TEXT;
ALTER TABLE records ADD COLUMN id_number     TEXT;
ALTER TABLE records ADD COLUMN balance       TEXT;
ALTER TABLE records ADD COLUMN last_activity TEXT;

-- Every flagged or rejected row, with its reason. A rejected row's original cells are kept here, so nothing
-- the owner imported is lost.
CREATE TABLE import_problems (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    row_number INTEGER NOT NULL,
    col_index  INTEGER,
    severity   TEXT NOT NULL CHECK (severity IN ('flagged', 'rejected')),
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL,
    raw        TEXT
);
CREATE INDEX import_problems_source ON import_problems (source_id, row_number);
"#;

/// Classification at import (issue 4): which kinds of personal information each record carries, counted per
/// source, and every finding inside free text by position, so the overview and the review screen read
/// counts instead of rescanning a million rows.
const CLASSIFICATION: &str = r#"
-- Which kinds of personal information each record carries: one bit per FieldType (FieldType::bit(), stable, tested),
-- from its mapped columns (a cell counted only when its value is valid for that kind) and from free text.
ALTER TABLE records ADD COLUMN pii_mask INTEGER NOT NULL DEFAULT 0;
-- Per source and kind: cells of columns mapped to the kind that hold a valid value, and findings inside free text.
CREATE TABLE source_pii (
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    kind          TEXT NOT NULL,      -- FieldType id: mobile, landline, id_card, bank_card, email, qq, wechat, plate, waybill, pickup_code, name, address, birthday …
    column_cells  INTEGER NOT NULL,
    text_findings INTEGER NOT NULL,
    PRIMARY KEY (source_id, kind)
) WITHOUT ROWID;
-- Every piece of personal information found inside a free-text cell (notes, other), by position.
CREATE TABLE text_findings (
    record_id INTEGER NOT NULL REFERENCES records (id),
    col_index INTEGER NOT NULL,
    kind      TEXT NOT NULL,          -- FieldType id
    start     INTEGER NOT NULL,       -- byte offsets into the original cell
    end       INTEGER NOT NULL
);
CREATE INDEX text_findings_record ON text_findings (record_id);
"#;

/// Case settings that are not case details: how values are masked on screens, in exports and documents.
const SETTINGS: &str = r#"
CREATE TABLE case_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// The rulebook (issue 5): what customers said, what the owner decided, and the computed plan with one row
/// per record, so other screens can filter customers by outcome with SQL.
const RULES: &str = r#"
-- What each customer said, with who recorded it and when. A customer without a row has said nothing:
-- consent unknown (never taken as consent), no objection, no deletion request, not refunded.
CREATE TABLE customer_status (
    customer_id         INTEGER PRIMARY KEY REFERENCES customers (id),
    consent             TEXT NOT NULL DEFAULT 'unknown' CHECK (consent IN ('yes', 'no', 'unknown')),
    consent_by          TEXT,
    consent_at          TEXT,
    guardian_consent    TEXT NOT NULL DEFAULT 'unknown' CHECK (guardian_consent IN ('yes', 'no', 'unknown')),
    guardian_consent_by TEXT,
    guardian_consent_at TEXT,
    objection           INTEGER NOT NULL DEFAULT 0 CHECK (objection IN (0, 1)),
    objection_by        TEXT,
    objection_at        TEXT,
    deletion_request    INTEGER NOT NULL DEFAULT 0 CHECK (deletion_request IN (0, 1)),
    deletion_request_by TEXT,
    deletion_request_at TEXT,
    refunded            INTEGER NOT NULL DEFAULT 0 CHECK (refunded IN (0, 1)),
    refunded_by         TEXT,
    refunded_at         TEXT
);

-- The owner's overrides of a record's or a customer's outcome. Never deleted: a replaced or withdrawn
-- override keeps its row with withdrawn_at set. A record override beats a customer override.
CREATE TABLE rule_overrides (
    id           INTEGER PRIMARY KEY,
    record_id    INTEGER REFERENCES records (id),
    customer_id  INTEGER REFERENCES customers (id),
    outcome      TEXT NOT NULL CHECK (outcome IN ('transfer', 'keep', 'retain', 'delete', 'deidentify', 'return', 'blocked')),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- The owner acknowledged lifting a legal hold or a block.
    acknowledged INTEGER NOT NULL CHECK (acknowledged IN (0, 1)),
    -- The outcomes the rules gave when the override was made (comma-separated).
    rule_outcomes TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    withdrawn_at TEXT,
    CHECK ((record_id IS NULL) <> (customer_id IS NULL))
);
CREATE INDEX rule_overrides_record ON rule_overrides (record_id) WHERE withdrawn_at IS NULL;
CREATE INDEX rule_overrides_customer ON rule_overrides (customer_id) WHERE withdrawn_at IS NULL;

-- The field types the recipient needs (PIPL Art. 6); no row: the app's default set.
CREATE TABLE minimisation (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    fields TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- The owner's word on what a source holds (e.g. courier-platform data or not); no row: guessed.
CREATE TABLE source_kinds (
    source_id INTEGER PRIMARY KEY REFERENCES sources (id),
    kind      TEXT NOT NULL CHECK (kind IN ('customer-list', 'courier-platform', 'tax-invoice', 'accounting-voucher', 'prepaid-registration')),
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL
);

-- The computed plan: one row per record, replaced whole when recomputed.
CREATE TABLE plan (
    record_id       INTEGER PRIMARY KEY REFERENCES records (id),
    customer_id     INTEGER,
    outcome         TEXT NOT NULL,
    -- The outcome the rules gave, before any override.
    rule_outcome    TEXT NOT NULL,
    retain_until    TEXT,
    blocked_by      TEXT,
    -- Comma-separated field type ids stripped from a transfer.
    stripped_fields TEXT NOT NULL DEFAULT '',
    -- Comma-separated rule ids in the order applied (the last decided); 'override' when the owner changed it.
    rules           TEXT NOT NULL,
    override_id     INTEGER,
    -- A positive prepaid balance (exact decimal), for the totals.
    balance         TEXT,
    -- 0 property, 1 transaction, 2 other: the class for the exposure check.
    exposure_class  INTEGER NOT NULL,
    -- The customer asked for deletion but a legal hold applies: they are told why and until when.
    hold_notice     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_outcome ON plan (outcome, record_id);
CREATE INDEX plan_customer ON plan (customer_id);
CREATE TABLE plan_meta (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    computed_at     TEXT NOT NULL,
    rulebook_sha256 TEXT NOT NULL,
    handover_date   TEXT NOT NULL,
    -- kind/reason/recipient the plan was computed for, e.g. 'shop/sale-whole/1'.
    situation       TEXT NOT NULL,
    -- The owner changed the minimisation choice or a source kind since. (A changed case, new records or
    -- another rulebook are detected by comparing with the above.)
    stale           INTEGER NOT NULL DEFAULT 0
);
"#;

/// The guided wizard (issue 6): the owner's answer to every checklist item, the files attached as evidence
/// (kept inside the encrypted case file, never beside it), the step to resume at, and the sources of
/// customer information that are not files (paper logbooks, phone contacts, WeChat groups, the courier
/// platform's system) with how each will be handled.
const WIZARD: &str = r#"
-- One row per checklist item the owner has touched; an item without a row is open.
CREATE TABLE wizard_items (
    item_id    TEXT PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('open', 'done', 'not_applicable', 'later')),
    -- Why the owner says it does not apply; required for 'not_applicable'.
    reason     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    actor      TEXT NOT NULL,
    CHECK (state <> 'not_applicable' OR reason <> '')
) WITHOUT ROWID;

-- Files attached to an item as proof (a signed receipt, a photo of the shredding), copied in whole.
CREATE TABLE wizard_evidence (
    id         INTEGER PRIMARY KEY,
    item_id    TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    content    BLOB NOT NULL
);
CREATE INDEX wizard_evidence_item ON wizard_evidence (item_id, id);

-- Where the owner was, so reopening the case returns there.
CREATE TABLE wizard_progress (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    current_step TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- A registered source that is not a file (kind other than 'file'): what it is and how it will be handled.
ALTER TABLE sources ADD COLUMN description   TEXT;
ALTER TABLE sources ADD COLUMN handling      TEXT;
ALTER TABLE sources ADD COLUMN handling_note TEXT;
ALTER TABLE sources ADD COLUMN updated_at    TEXT;
"#;

/// A leaner import (speed, issue 3).
///
/// `records.norm` held the normalised values of every cell that differed from the original, as JSON — read by
/// nothing: the values later steps query have their own columns, and every other one is derived again from
/// `raw` and the column's field by the same normaliser.
///
/// The unique indexes on `customers (mobile)` and `customers (id_number)` become `customer_keys`, a table
/// ordered by key. An index over a million customers had to be rebuilt at the end of every large import by
/// sorting keys that arrive in customer order (a second of the import's time); the linker knows every key it
/// adds, sorts them itself and appends them here in key order. One row per key, so a key still names exactly
/// one customer; the customer's own columns keep the values for display.
const LEANER_IMPORT: &str = r#"
ALTER TABLE records DROP COLUMN norm;
CREATE TABLE customer_keys (
    kind        TEXT NOT NULL CHECK (kind IN ('id_card', 'mobile')),   -- FieldType id
    value       TEXT NOT NULL,                                          -- normalised: 11 digits, or the ID number
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
INSERT INTO customer_keys (kind, value, customer_id)
    SELECT 'id_card', id_number, id FROM customers WHERE id_number IS NOT NULL ORDER BY id_number;
INSERT INTO customer_keys (kind, value, customer_id)
    SELECT 'mobile', mobile, id FROM customers WHERE mobile IS NOT NULL ORDER BY mobile;
DROP INDEX customers_mobile;
DROP INDEX customers_id_number;
"#;

/// The recipient's package (issue 14): where a received case came from. One row in a case made by
/// `handover receive` (none in a seller's case): the seller, the seller's case id, the package's SHA-256 (for
/// the receipt both sides sign), the counts and prepaid total the manifest promised, and the manifest itself.
const RECEIVED_PACKAGE: &str = r#"
CREATE TABLE received_package (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    format_version    INTEGER NOT NULL,
    seller_name       TEXT NOT NULL,
    seller_contact    TEXT NOT NULL,
    seller_case_id    TEXT NOT NULL,
    package_sha256    TEXT NOT NULL,
    package_file      TEXT NOT NULL,
    package_created_at TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    customers         INTEGER NOT NULL,
    records           INTEGER NOT NULL,
    prepaid_total     TEXT NOT NULL,
    manifest          TEXT NOT NULL
);
-- What each received customer's seller had recorded about telling them (the notices step fills it on the
-- seller's side); NULL when the seller's app recorded nothing.
ALTER TABLE customer_status ADD COLUMN notice TEXT;
"#;

/// Carrying out the plan's deletions (issue 14): the recipient's signed receipt that lets the seller's copies of
/// transferred records go, each destruction with its certificate's reference and hash, paper sources the owner
/// destroyed by hand before a witness, and every backup the app made (so the destruction step can list the
/// copies that still hold what it deleted).
const DESTRUCTION: &str = r#"
CREATE TABLE transfer_receipts (
    id             INTEGER PRIMARY KEY,
    package_sha256 TEXT NOT NULL CHECK (length(package_sha256) = 64),
    signed_on      TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE TABLE destructions (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL,
    at                 TEXT NOT NULL,
    actor              TEXT NOT NULL,
    certificate        TEXT NOT NULL,      -- the certificate model as JSON (no personal data)
    certificate_sha256 TEXT NOT NULL
);
CREATE TABLE paper_destroyed (
    source_id    INTEGER PRIMARY KEY REFERENCES sources (id),
    witness      TEXT NOT NULL CHECK (length(trim(witness)) > 0),
    destroyed_on TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE TABLE backups (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL
);
"#;

/// The seller's legal form (issue 15): 个体工商户, company or other; NULL until the owner says it. It decides
/// whether bankruptcy is possible and whether rules for enterprise legal persons bind.
const LEGAL_FORM: &str = r#"
ALTER TABLE case_details ADD COLUMN legal_form TEXT
    CHECK (legal_form IS NULL OR legal_form IN ('individual-business', 'company', 'other'));
"#;

/// Notices and replies (issue 13): whether each customer's notice was delivered, as the SMS platform's
/// result file or the owner says. The customers' answers (objection, consent, deletion request) are stored
/// where the rulebook reads them, in `customer_status`.
const NOTICES: &str = r#"
CREATE TABLE notice_delivery (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
"#;

/// Situations the rulebook asks about (issue 15, point 10; law-notes N). Case facts: the recipient will change
/// the purpose or method (PIPL Art. 22, third sentence), the recipient or its servers are outside mainland
/// China and which transfer mechanism is in place (Art. 38–39); NULL until the owner answers. Customer
/// statuses: the customer has died (Art. 49), consent was withdrawn earlier (Art. 15, 47). The plan keeps
/// whether a customer's deletion request (or withdrawal) is not carried out, so the refusal's reason is given
/// (Art. 50).
const SITUATIONS: &str = r#"
ALTER TABLE case_details ADD COLUMN purpose_change INTEGER CHECK (purpose_change IS NULL OR purpose_change IN (0, 1));
ALTER TABLE case_details ADD COLUMN cross_border INTEGER CHECK (cross_border IS NULL OR cross_border IN (0, 1));
ALTER TABLE case_details ADD COLUMN cross_border_mechanism TEXT
    CHECK (cross_border_mechanism IS NULL
        OR cross_border_mechanism IN ('security-assessment', 'standard-contract', 'certification'));
ALTER TABLE customer_status ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0 CHECK (deceased IN (0, 1));
ALTER TABLE customer_status ADD COLUMN deceased_by TEXT;
ALTER TABLE customer_status ADD COLUMN deceased_at TEXT;
ALTER TABLE customer_status ADD COLUMN consent_withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (consent_withdrawn IN (0, 1));
ALTER TABLE customer_status ADD COLUMN consent_withdrawn_by TEXT;
ALTER TABLE customer_status ADD COLUMN consent_withdrawn_at TEXT;
ALTER TABLE plan ADD COLUMN deletion_refused INTEGER NOT NULL DEFAULT 0 CHECK (deletion_refused IN (0, 1));
"#;

/// The exposure check on the facts (issue 15, point 8): whether each planned record would leave without a
/// lawful basis, and whether its tier was placed by court practice (address + phone, plate + owner); the price
/// of a list sale (whole yuan, NULL until stated), compared with the gains threshold.
const EXPOSURE: &str = r#"
ALTER TABLE plan ADD COLUMN without_basis INTEGER NOT NULL DEFAULT 0 CHECK (without_basis IN (0, 1));
ALTER TABLE plan ADD COLUMN exposure_by_practice INTEGER NOT NULL DEFAULT 0 CHECK (exposure_by_practice IN (0, 1));
ALTER TABLE case_details ADD COLUMN list_price INTEGER CHECK (list_price IS NULL OR list_price >= 0);
"#;

/// Figures derived from the whole case and kept to spare the next opening a pass over every record (the
/// overview: a million-row case read in 1.3 s). Valid until the next change: every write and every import
/// deletes them (`store::write_on`, `Case::begin_import`). A later migration that changes data deletes
/// them too.
const DERIVED_CACHE: &str = r#"
CREATE TABLE derived_cache (
    kind  TEXT PRIMARY KEY,
    key   TEXT NOT NULL,
    value TEXT NOT NULL
);
"#;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(CLASSIFICATION),
        M::up(SETTINGS),
        M::up(RULES),
        M::up(WIZARD),
        M::up(LEANER_IMPORT),
        M::up(RECEIVED_PACKAGE),
        M::up(DESTRUCTION),
        M::up(LEGAL_FORM),
        M::up(NOTICES),
        M::up(SITUATIONS),
        M::up(EXPOSURE),
        M::up(DERIVED_CACHE),
    ])
}

/// The schema version this build writes: the number of migrations.
pub fn latest_version() -> u32 {
    // Kept in step with the list above by the test below.
    14
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn latest_version_matches_the_list() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, latest_version());
    }
}
