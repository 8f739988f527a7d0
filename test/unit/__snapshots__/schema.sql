-- index audit_log_entity on audit_log
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- index case_transitions_case on case_transitions
CREATE INDEX case_transitions_case ON case_transitions (case_id);

-- index cases_state on cases
CREATE INDEX cases_state ON cases (state);

-- index cases_system on cases
CREATE INDEX cases_system ON cases (system_id);

-- index clearances_expiry on clearances
CREATE INDEX clearances_expiry ON clearances (expires_on);

-- index clearances_person on clearances
CREATE INDEX clearances_person ON clearances (person_id);

-- index components_system on components
CREATE INDEX components_system ON components (system_id);

-- index decisions_case on decisions
CREATE INDEX decisions_case ON decisions (case_id);

-- index decisions_valid_to on decisions
CREATE INDEX decisions_valid_to ON decisions (valid_to);

-- index documents_case on documents
CREATE INDEX documents_case ON documents (case_id);

-- index dossier_snapshots_case on dossier_snapshots
CREATE INDEX dossier_snapshots_case ON dossier_snapshots (case_id);

-- index evidence_case on evidence
CREATE INDEX evidence_case ON evidence (case_id);

-- index exchange_case on exchange_log
CREATE INDEX exchange_case ON exchange_log (case_id);

-- index exchange_log_sha256 on exchange_log
CREATE INDEX exchange_log_sha256 ON exchange_log (sha256);

-- index finding_events_finding on finding_events
CREATE INDEX finding_events_finding ON finding_events (finding_id);

-- index findings_case on findings
CREATE INDEX findings_case ON findings (case_id);

-- index findings_due on findings
CREATE INDEX findings_due ON findings (due_date);

-- index interconnections_system on interconnections
CREATE INDEX interconnections_system ON interconnections (system_id);

-- index records_follow_up on records
CREATE INDEX records_follow_up ON records (follow_up_due);

-- index records_status on records
CREATE INDEX records_status ON records (status);

-- index risk_acceptances_risk on risk_acceptances
CREATE INDEX risk_acceptances_risk ON risk_acceptances (risk_id);

-- index risk_links_target on risk_links
CREATE INDEX risk_links_target ON risk_links (kind, target);

-- index risk_reviews_risk on risk_reviews
CREATE INDEX risk_reviews_risk ON risk_reviews (risk_id);

-- index risks_case on risks
CREATE INDEX risks_case ON risks (case_id);

-- index risks_residual on risks
CREATE INDEX risks_residual ON risks (residual_rank DESC);

-- index risks_system on risks
CREATE INDEX risks_system ON risks (system_id);

-- index systems_owner on systems
CREATE INDEX systems_owner ON systems (owner_org_id);

-- table approved_products on approved_products
CREATE TABLE approved_products (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        vendor TEXT NOT NULL DEFAULT '',
        version TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('crypto','boundary_device','tempest_equipment')),
        authority TEXT NOT NULL,
        reference TEXT NOT NULL,
        max_level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        expires_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table audit_log on audit_log
CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL REFERENCES users(id),
        actor_name TEXT NOT NULL,
        actor_organisation TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        changes TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;

-- table case_disposals on case_disposals
CREATE TABLE case_disposals (
        case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        verified_by TEXT NOT NULL,
        method TEXT NOT NULL,
        evidence TEXT NOT NULL,
        verified_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
      ) STRICT;

-- table case_exchange on case_exchange
CREATE TABLE case_exchange (
        case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        digest TEXT NOT NULL,
        transitions_upto INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
      ) STRICT;

-- table case_transitions on case_transitions
CREATE TABLE case_transitions (
        seq INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
      ) STRICT;

-- table cases on cases
CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE RESTRICT,
        type TEXT NOT NULL CHECK (type IN ('initial','reaccreditation','significant_change','interconnection','interim_extension','decommissioning')),
        state TEXT NOT NULL CHECK (state IN ('draft','submitted','intake','returned','under_review','verification','awaiting_remediation',
          'decision_pending','decided','in_force','reaccreditation_due','suspended','withdrawn','expired','decommissioned','closed','cancelled')),
        title TEXT NOT NULL DEFAULT '',
        catalogue_id TEXT NOT NULL,
        catalogue_version TEXT NOT NULL,
        deadline TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        FOREIGN KEY (catalogue_id, catalogue_version) REFERENCES catalogues(id, version)
      ) STRICT;

-- table catalogues on catalogues
CREATE TABLE catalogues (
        id TEXT NOT NULL,
        version TEXT NOT NULL,
        json TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;

-- table checklist_items on checklist_items
CREATE TABLE checklist_items (
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        requirement_id TEXT NOT NULL,
        area TEXT NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'not_assessed'
          CHECK (status IN ('not_assessed','compliant','partially','non_compliant','not_applicable','compensated')),
        statement TEXT NOT NULL DEFAULT '',
        justification TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL DEFAULT 'none' CHECK (verdict IN ('none','agreed','disagreed')),
        assessor_comment TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (case_id, requirement_id)
      ) STRICT;

-- table classification_scheme on classification_scheme
CREATE TABLE classification_scheme (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table clearances on clearances
CREATE TABLE clearances (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        issuing_body TEXT NOT NULL,
        expires_on TEXT NOT NULL
      ) STRICT;

-- table components on components
CREATE TABLE components (
        id TEXT PRIMARY KEY,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        product TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        site_id TEXT REFERENCES sites(id) ON DELETE SET NULL,
        level TEXT NOT NULL,
        tempest_level TEXT NOT NULL DEFAULT '',
        crypto INTEGER NOT NULL DEFAULT 0 CHECK (crypto IN (0, 1)),
        approved_product_id TEXT REFERENCES approved_products(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table decision_signatures on decision_signatures
CREATE TABLE decision_signatures (
        decision_id TEXT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        field TEXT NOT NULL,
        signer_subject TEXT NOT NULL,
        signer_fingerprint TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        signed_by TEXT NOT NULL,
        PRIMARY KEY (decision_id, seq),
        UNIQUE (decision_id, signer_fingerprint)
      ) STRICT;

-- table decisions on decisions
CREATE TABLE "decisions" (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE RESTRICT,
        type TEXT NOT NULL CHECK (type IN ('full_approval','interim_approval','approval_to_test','refusal','suspension','withdrawal','reinstatement','amendment')),
        levels TEXT NOT NULL,
        mode TEXT NOT NULL,
        sites TEXT NOT NULL,
        interconnections TEXT NOT NULL,
        valid_from TEXT,
        valid_to TEXT,
        accepted_risks TEXT NOT NULL,
        dossier_sha256 TEXT NOT NULL,
        language TEXT NOT NULL,
        signer_subject TEXT NOT NULL,
        signer_fingerprint TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        pdf_blob TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        signatures_required INTEGER NOT NULL DEFAULT 1 CHECK (signatures_required IN (1, 2)),
        status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('awaiting_countersignature', 'issued'))
      , conditions TEXT NOT NULL DEFAULT '[]') STRICT;

-- table documents on documents
CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        blob_address TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        signed INTEGER NOT NULL CHECK (signed IN (0, 1)),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

-- table dossier_snapshots on dossier_snapshots
CREATE TABLE dossier_snapshots (
        sha256 TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

-- table evidence on evidence
CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        effective_date TEXT,
        marking_level TEXT,
        marking_domain TEXT,
        blob_address TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        review_status TEXT NOT NULL DEFAULT 'submitted' CHECK (review_status IN ('submitted','accepted','rejected','superseded')),
        uploaded_at TEXT NOT NULL
      ) STRICT;

-- table evidence_links on evidence_links
CREATE TABLE evidence_links (
        case_id TEXT NOT NULL,
        requirement_id TEXT NOT NULL,
        evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        PRIMARY KEY (case_id, requirement_id, evidence_id),
        FOREIGN KEY (case_id, requirement_id) REFERENCES checklist_items(case_id, requirement_id) ON DELETE CASCADE
      ) STRICT;

-- table exchange_log on exchange_log
CREATE TABLE exchange_log (
        id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('sent','received')),
        kind TEXT NOT NULL CHECK (kind IN ('submission','decision')),
        case_id TEXT NOT NULL,
        case_ref TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        summary TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL
      , seq INTEGER, marking TEXT NOT NULL DEFAULT '', anchor_rows INTEGER, anchor_head TEXT, made_at TEXT) STRICT;

-- table finding_events on finding_events
CREATE TABLE finding_events (
        seq INTEGER PRIMARY KEY,
        finding_id TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        from_status TEXT,
        to_status TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;

-- table findings on findings
CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        requirement_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('finding','condition')),
        severity TEXT NOT NULL CHECK (severity IN ('critical','major','minor','observation')),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        recommended_action TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        due_date TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','in_progress','resolved','verified','accepted_as_risk')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table interconnections on interconnections
CREATE TABLE interconnections (
        id TEXT PRIMARY KEY,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        peer_system_id TEXT REFERENCES systems(id) ON DELETE SET NULL,
        peer_name TEXT NOT NULL DEFAULT '',
        local_level TEXT NOT NULL,
        peer_level TEXT NOT NULL,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        boundary_product_id TEXT REFERENCES approved_products(id) ON DELETE SET NULL,
        boundary_device TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL CHECK (direction IN ('outbound','inbound','bidirectional')),
        approval_status TEXT NOT NULL CHECK (approval_status IN ('none','pending','approved','expired','refused')),
        valid_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table organisations on organisations
CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('authority','system_owner','operator','supplier','other')),
        cvr TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table people on people
CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        email TEXT NOT NULL DEFAULT '',
        briefed_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table record_attachments on record_attachments
CREATE TABLE record_attachments (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        blob_address TEXT NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (record_id, blob_address)
      ) STRICT;

-- table record_systems on record_systems
CREATE TABLE record_systems (
        record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        PRIMARY KEY (record_id, system_id)
      ) STRICT;

-- table records on records
CREATE TABLE records (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        their_ref TEXT NOT NULL DEFAULT '',
        our_ref TEXT NOT NULL DEFAULT '',
        sent_on TEXT,
        received_on TEXT,
        valid_from TEXT,
        valid_to TEXT,
        follow_up_due TEXT,
        marking_level TEXT,
        marking_domain TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','awaiting_reply','closed')),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , outcome TEXT NOT NULL DEFAULT '', closed_on TEXT) STRICT;

-- table risk_acceptances on risk_acceptances
CREATE TABLE risk_acceptances (
        seq INTEGER PRIMARY KEY,
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        accepted_by TEXT NOT NULL,
        role TEXT NOT NULL,
        authority TEXT NOT NULL CHECK (authority IN ('owner','accreditor')),
        justification TEXT NOT NULL,
        accepted_on TEXT NOT NULL,
        expires_on TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        at TEXT NOT NULL
      , origin TEXT NOT NULL DEFAULT 'here' CHECK (origin IN ('here','received')), claimed_by TEXT, signer_fingerprint TEXT) STRICT;

-- table risk_criteria on risk_criteria
CREATE TABLE risk_criteria (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        matrix_id TEXT NOT NULL REFERENCES risk_matrices(id),
        owner_accepts_up_to TEXT NOT NULL,
        accreditor_accepts_up_to TEXT NOT NULL,
        max_acceptance_months INTEGER NOT NULL,
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
      ) STRICT;

-- table risk_links on risk_links
CREATE TABLE risk_links (
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('requirement','finding')),
        target TEXT NOT NULL,
        PRIMARY KEY (risk_id, kind, target)
      ) STRICT;

-- table risk_matrices on risk_matrices
CREATE TABLE risk_matrices (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
        imported_at TEXT NOT NULL
      ) STRICT;

-- table risk_recalculations on risk_recalculations
CREATE TABLE risk_recalculations (
        seq INTEGER PRIMARY KEY,
        from_matrix TEXT NOT NULL,
        to_matrix TEXT NOT NULL,
        moved TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;

-- table risk_reviews on risk_reviews
CREATE TABLE risk_reviews (
        seq INTEGER PRIMARY KEY,
        risk_id TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL,
        matrix_id TEXT NOT NULL,
        inherent_level TEXT,
        inherent_rank INTEGER,
        residual_level TEXT NOT NULL,
        residual_rank INTEGER NOT NULL
      ) STRICT;

-- table risks on risks
CREATE TABLE risks (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE RESTRICT,
        case_id TEXT REFERENCES cases(id) ON DELETE SET NULL,
        matrix_id TEXT NOT NULL REFERENCES risk_matrices(id),
        scope TEXT NOT NULL,
        threat_source TEXT NOT NULL DEFAULT '',
        threat_event TEXT NOT NULL,
        vulnerability TEXT NOT NULL DEFAULT '',
        impact_c INTEGER,
        impact_i INTEGER,
        impact_a INTEGER,
        impact_auth INTEGER,
        likelihood INTEGER NOT NULL,
        inherent_level TEXT,
        inherent_rank INTEGER,
        treatment TEXT NOT NULL CHECK (treatment IN ('reduce','accept','avoid','share')),
        measures TEXT NOT NULL DEFAULT '',
        residual_likelihood INTEGER NOT NULL,
        residual_impact INTEGER NOT NULL,
        residual_level TEXT NOT NULL,
        residual_rank INTEGER NOT NULL,
        owner TEXT NOT NULL DEFAULT '',
        review_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , origin TEXT NOT NULL DEFAULT 'here' CHECK (origin IN ('here','received'))) STRICT;

-- table signing_identities on signing_identities
CREATE TABLE "signing_identities" (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pkcs12','self_signed','pkcs11')),
        key_der BLOB,
        p12 BLOB,
        p12_password TEXT,
        token_serial TEXT,
        token_label TEXT,
        key_id TEXT,
        cert_pem TEXT NOT NULL,
        chain_pem TEXT NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL, usage TEXT NOT NULL DEFAULT 'signing'
        CHECK (usage IN ('signing', 'encryption')),
        CHECK ((kind = 'pkcs11') = (key_id IS NOT NULL AND token_serial IS NOT NULL)),
        CHECK (kind = 'pkcs11' OR key_der IS NOT NULL OR (p12 IS NOT NULL AND p12_password IS NOT NULL))
      ) STRICT;

-- table sites on sites
CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        area_class TEXT NOT NULL DEFAULT '',
        max_level TEXT NOT NULL,
        tempest_zone TEXT NOT NULL DEFAULT '',
        last_inspection TEXT,
        next_inspection TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      , retired_at TEXT) STRICT;

-- table system_levels on system_levels
CREATE TABLE system_levels (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        domain TEXT NOT NULL CHECK (domain IN ('national','nato','eu','bilateral')),
        level TEXT NOT NULL,
        PRIMARY KEY (system_id, domain)
      ) STRICT;

-- table system_people on system_people
CREATE TABLE system_people (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (system_id, person_id, role)
      ) STRICT;

-- table system_senders on system_senders
CREATE TABLE system_senders (
        system_id TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
        anchor TEXT NOT NULL,
        subject TEXT NOT NULL,
        reply_to TEXT,
        bound_at TEXT NOT NULL
      ) STRICT;

-- table system_sites on system_sites
CREATE TABLE system_sites (
        system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        PRIMARY KEY (system_id, site_id)
      ) STRICT;

-- table systems on systems
CREATE TABLE systems (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        purpose TEXT NOT NULL DEFAULT '',
        owner_org_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        operator_org_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        phase TEXT NOT NULL CHECK (phase IN ('planned','build','test','operational','decommissioned')),
        mode TEXT NOT NULL CHECK (mode IN ('dedicated','system_high','compartmented','multilevel')),
        user_count INTEGER NOT NULL DEFAULT 0,
        min_clearance TEXT,
        boundary TEXT NOT NULL DEFAULT '',
        next_review TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

-- table trusted_certificates on trusted_certificates
CREATE TABLE trusted_certificates (
        fingerprint TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        not_after TEXT NOT NULL,
        cert_pem TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
      , role TEXT NOT NULL DEFAULT 'documents'
        CHECK (role IN ('documents', 'authority', 'owner'))) STRICT;

-- table trusted_crls on trusted_crls
CREATE TABLE trusted_crls (
        fingerprint TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT,
        entries INTEGER NOT NULL,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
      ) STRICT;

-- table users on users
CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
        role TEXT NOT NULL CHECK (role IN ('accreditor', 'system_owner')),
        created_at TEXT NOT NULL
      ) STRICT;

-- table vault_meta on vault_meta
CREATE TABLE vault_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
