namespace GreenLoop.Storage.Sqlite;

/// <summary>
/// Schema versions, applied in order inside a transaction; <c>PRAGMA user_version</c> records the last one applied.
/// Never edit a released step: add a new one.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly string[] Steps =
    [
        // 1: the foundation schema.
        """
        CREATE TABLE tenant(
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL);

        CREATE TABLE site(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            key TEXT NOT NULL,
            definition TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE(tenant_id, key));

        CREATE TABLE node(
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id),
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            name_zh TEXT,
            kind TEXT,
            parent_id INTEGER REFERENCES node(id),
            UNIQUE(site_id, key));

        CREATE TABLE meter(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            site_id INTEGER NOT NULL REFERENCES site(id),
            node_id INTEGER NOT NULL REFERENCES node(id),
            key TEXT NOT NULL,
            carrier TEXT NOT NULL,
            direction TEXT NOT NULL,
            definition TEXT NOT NULL,
            UNIQUE(tenant_id, key));

        -- Which meters count toward which node (closure over the tree, without double counting sub-meters).
        CREATE TABLE node_meter(
            node_id INTEGER NOT NULL,
            meter_id INTEGER NOT NULL,
            PRIMARY KEY(node_id, meter_id)) WITHOUT ROWID;
        CREATE INDEX node_meter_by_meter ON node_meter(meter_id, node_id);

        CREATE TABLE meter_event(
            meter_id INTEGER NOT NULL REFERENCES meter(id),
            ts INTEGER NOT NULL,
            kind TEXT NOT NULL,
            old_value REAL,
            new_value REAL NOT NULL,
            note TEXT,
            PRIMARY KEY(meter_id, ts, kind)) WITHOUT ROWID;

        -- Raw readings: append-only, as received (value before the multiplier).
        CREATE TABLE reading(
            meter_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            value REAL NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY(meter_id, ts)) WITHOUT ROWID;

        CREATE TABLE quarantine(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            source TEXT NOT NULL,
            meter TEXT,
            ts TEXT,
            value TEXT,
            field TEXT NOT NULL,
            reason TEXT NOT NULL);
        CREATE INDEX quarantine_by_tenant ON quarantine(tenant_id, id);

        -- Meters whose readings changed and are not derived yet; survives a crash.
        CREATE TABLE dirty(
            meter_id INTEGER PRIMARY KEY,
            from_ts INTEGER NOT NULL,
            to_ts INTEGER NOT NULL,
            version INTEGER NOT NULL);

        -- 15-minute UTC buckets per meter; up_ts is the UTC start of the local hour they belong to.
        CREATE TABLE bucket(
            meter_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            up_ts INTEGER NOT NULL,
            value REAL,
            min REAL,
            max REAL,
            covered INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            PRIMARY KEY(meter_id, ts)) WITHOUT ROWID;

        -- Local hour (1), day (2) and month (3) roll-ups per meter; up_ts is the next grain's start.
        CREATE TABLE rollup(
            meter_id INTEGER NOT NULL,
            grain INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            up_ts INTEGER NOT NULL,
            value REAL,
            min REAL,
            max REAL,
            covered INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            PRIMARY KEY(meter_id, grain, ts)) WITHOUT ROWID;
        CREATE INDEX rollup_by_up ON rollup(meter_id, grain, up_ts);

        -- Node totals per carrier and direction at every grain (0 = 15 minutes).
        CREATE TABLE node_rollup(
            node_id INTEGER NOT NULL,
            carrier TEXT NOT NULL,
            direction TEXT NOT NULL,
            grain INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            value REAL,
            covered INTEGER NOT NULL,
            meters INTEGER NOT NULL,
            PRIMARY KEY(node_id, grain, ts, carrier, direction)) WITHOUT ROWID;

        CREATE TABLE finding(
            meter_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY(meter_id, ts, kind)) WITHOUT ROWID;
        """,
        // 2: accounting — a site's factor overrides (who, when, why) and locked periods with their figures.
        """
        CREATE TABLE factor_override(
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id),
            factor_id TEXT NOT NULL,
            year TEXT,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            reason TEXT NOT NULL,
            by TEXT NOT NULL,
            at INTEGER NOT NULL);
        CREATE INDEX factor_override_by_site ON factor_override(site_id, factor_id);

        CREATE TABLE period_lock(
            site_id INTEGER NOT NULL REFERENCES site(id),
            period TEXT NOT NULL,
            locked_at INTEGER NOT NULL,
            by TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            PRIMARY KEY(site_id, period));
        """,
        // 3: alarms — rules per site, alarms (one open per rule and subject, enforced by a partial unique index), their
        // history, and each rule's evaluation state per subject (a duration in progress survives a restart).
        """
        CREATE TABLE alarm_rule(
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id),
            key TEXT NOT NULL,
            definition TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE(site_id, key));

        CREATE TABLE alarm(
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES site(id),
            rule_id INTEGER NOT NULL,
            subject TEXT NOT NULL,
            state TEXT NOT NULL,
            severity TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            body TEXT NOT NULL);
        CREATE UNIQUE INDEX alarm_one_open ON alarm(rule_id, subject) WHERE state IN ('active', 'acknowledged');
        CREATE INDEX alarm_by_site ON alarm(site_id, started_at);
        CREATE INDEX alarm_by_rule ON alarm(rule_id, subject, started_at);

        CREATE TABLE alarm_event(
            id INTEGER PRIMARY KEY,
            alarm_id INTEGER NOT NULL REFERENCES alarm(id),
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            by TEXT NOT NULL,
            text TEXT);
        CREATE INDEX alarm_event_by_alarm ON alarm_event(alarm_id, id);

        CREATE TABLE alarm_track(
            rule_id INTEGER NOT NULL,
            subject TEXT NOT NULL,
            pending_since INTEGER,
            cursor INTEGER,
            suppressed INTEGER NOT NULL,
            PRIMARY KEY(rule_id, subject)) WITHOUT ROWID;
        """,
        // 4: notification channels per tenant (definition JSON, secrets included: the file is the trust boundary until
        // issue 6 encrypts them) and the delivery log of every attempt.
        """
        CREATE TABLE notification_channel(
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            key TEXT NOT NULL,
            definition TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(tenant_id, key));

        CREATE TABLE delivery_log(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL,
            alarm_id TEXT NOT NULL,
            transition TEXT NOT NULL,
            channel TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            status INTEGER,
            error TEXT,
            held_until INTEGER);
        CREATE INDEX delivery_log_by_tenant ON delivery_log(tenant_id, id);
        """,
        // 5: connectors — configured data sources per tenant (kind + JSON definition, version for hot reload), and manual
        // entries: every version of what a person typed in, with who, when, the document and why it was corrected.
        """
        CREATE TABLE data_source(
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            definition TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            api_key_id INTEGER,
            PRIMARY KEY(tenant_id, key));

        CREATE TABLE manual_entry(
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            meter_id INTEGER NOT NULL REFERENCES meter(id),
            ts INTEGER NOT NULL,
            value REAL NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at INTEGER NOT NULL,
            document TEXT,
            note TEXT,
            reason TEXT,
            UNIQUE(entry_id, version));
        CREATE INDEX manual_entry_by_meter ON manual_entry(meter_id, ts);
        CREATE INDEX manual_entry_by_tenant ON manual_entry(tenant_id, entry_id);
        """,
        // 6: the audit trail — append-only and hash-chained (AuditChain), one chain per tenant; seq is the chain position.
        """
        CREATE TABLE audit_log(
            tenant_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY(tenant_id, seq)) WITHOUT ROWID;
        """,
        // 7: users with roles per tenant or site, and API keys (prefix + hash of the secret only).
        """
        CREATE TABLE app_user(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            user_name TEXT NOT NULL,
            display_name TEXT,
            password_hash TEXT NOT NULL,
            failed_count INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX app_user_by_name ON app_user(lower(user_name));

        CREATE TABLE user_role(
            user_id INTEGER NOT NULL REFERENCES app_user(id),
            role TEXT NOT NULL,
            site TEXT NOT NULL DEFAULT '',
            PRIMARY KEY(user_id, role, site)) WITHOUT ROWID;

        CREATE TABLE api_key(
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            site TEXT,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL UNIQUE,
            secret_hash TEXT NOT NULL,
            permissions TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            revoked_at INTEGER,
            last_used_at INTEGER);
        CREATE INDEX api_key_by_tenant ON api_key(tenant_id, id);
        """,
    ];
}
