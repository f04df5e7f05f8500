// The DR plan's document model (tools/report/plan.ts and its sections) on hand-made stores and a small
// hand-made graph: the exact rows each section gives.
import * as assert from "assert";
import { CheckedResource } from "../../tools/check/packTypes";
import { UNKNOWN_VALUE } from "../../tools/check/wire";
import { policyResources } from "../../tools/check/coverage";
import { buildPlan, Cell, DrPlan, PlanInput, Section, Table } from "../../tools/report/plan";
import * as F from "./fixtures";

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
    project: "orders",
    stack: "prod",
    stores: [F.ledgerStore, F.bucketStore, F.atlasStore],
    resources: F.RESOURCES,
    secretPaths: F.SECRET_PATHS,
    settings: {},
    cost: F.COST,
    drills: F.NO_DRILL,
    guard: {
        pack: "continuity-guard",
        version: "0.1.0",
        mandatory: 3,
        advisory: 1,
        silent: [{ urn: F.replication.urn, message: "its alarm notifies no one" }],
    },
    ...over,
});

const text = (c: Cell) => (typeof c === "string" ? c : `${c.text} ✗`);
function section(plan: DrPlan, id: string): Section {
    const all = (ss: readonly Section[]): Section[] => ss.flatMap((s) => [s, ...all(s.sections ?? [])]);
    const found = all(plan.sections).find((s) => s.id === id);
    assert.ok(found, `no section ${id}`);
    return found;
}
/** The n-th table of a section, as rows of text (a miss marked ✗). */
function rows(plan: DrPlan, id: string, n = 0): string[][] {
    const tables = section(plan, id).blocks.filter((b): b is Table => b.kind === "table");
    return tables[n].rows.map((r) => r.map(text));
}
const texts = (plan: DrPlan, id: string) =>
    section(plan, id).blocks.flatMap((b) =>
        b.kind === "paragraph" ? [b.text] : b.kind === "list" ? b.items.map((i) => `${b.style}: ${i}`) : [],
    );

describe("the DR plan's document (tools/report/plan.ts)", () => {
    const plan = buildPlan(input());

    it("orders sections as the company's page, then what it lacked", () => {
        assert.deepStrictEqual(
            plan.sections.map((s) => s.title),
            [
                "Summary",
                "Topology",
                "Backups",
                "DR plan",
                "Fault tolerance",
                "Monitoring",
                "Recovery objectives (RPO / RTO)",
                "Cost of the DR copies",
                "DR tests",
                "Risk register",
                "Incident response",
            ],
        );
        assert.strictEqual(plan.title, "DR plan: orders (prod)");
        assert.deepStrictEqual(texts(plan, "summary").slice(1), [
            "bullets: 3 data stores in eu-west-1; copies in eu-central-1.",
            "bullets: Recovery objectives: 8 of 24 RPO and RTO estimates miss their targets (see the table).",
            "bullets: Cost of the DR copies: not known, a copy has no price in the table; $9.78 a month is priced (prices of 2025-12-31).",
            "bullets: The guard, continuity-guard 0.1.0 with its defaults: 3 mandatory and 1 advisory violation.",
        ]);
    });

    it("lists every protection per store: what, where, how often, kept, immutable; a store without any is marked", () => {
        assert.deepStrictEqual(rows(plan, "backups"), [
            ["Atlas cluster `orders-db`", "Atlas snapshots every 6 h", "eu-west-1 (same region)", "every 6 h", "7 days", "yes"],
            [
                "Atlas cluster `orders-db`",
                "Atlas snapshot copies in eu-central-1",
                "eu-central-1 (another region)",
                "every 6 h",
                "7 days",
                "no",
            ],
            ["RDS instance `ledger`", "none ✗", "—", "—", "—", "—"],
            ["S3 bucket `uploads`", "S3 versioning", "eu-west-1 (same region)", "continuous", "90 days", "no"],
            [
                "S3 bucket `uploads`",
                "S3 replication into DEEP_ARCHIVE in eu-central-1 (DEEP_ARCHIVE)",
                "eu-central-1 (another region)",
                "continuous",
                "90 days",
                "yes",
            ],
        ]);
        assert.deepStrictEqual(texts(plan, "backups").slice(1), ["bullets: RDS instance `ledger`: no automated backups."]);
    });

    it("compares every store × disruption with its target and marks each miss", () => {
        assert.deepStrictEqual(rows(plan, "objectives"), [
            ["Atlas cluster `orders-db`", "node lost", "0", "0", "12 s", "15 min", "met", "3 nodes take over"],
            ["Atlas cluster `orders-db`", "zone lost", "0", "0", "12 s", "1 h", "met", "3 zones take over"],
            ["Atlas cluster `orders-db`", "region lost", "8 h", "8 h", "42 min", "24 h", "met", "copies every 6 h + 2 h"],
            ["Atlas cluster `orders-db`", "corruption or deletion", "6 h", "6 h", "12 min", "24 h", "met", "snapshots every 6 h"],
            ["RDS instance `ledger`", "node lost", "∞ ✗", "0", "∞ ✗", "15 min", "missed: RPO, RTO ✗", "nothing covers node"],
            ["RDS instance `ledger`", "zone lost", "∞ ✗", "0", "∞ ✗", "1 h", "missed: RPO, RTO ✗", "nothing covers zone"],
            [
                "RDS instance `ledger`",
                "region lost",
                "∞ ✗",
                "8 h",
                "∞ ✗",
                "24 h",
                "missed: RPO, RTO ✗",
                "nothing covers region (depends on the instance's region, unknown at preview)",
            ],
            [
                "RDS instance `ledger`",
                "corruption or deletion",
                "∞ ✗",
                "6 h",
                "∞ ✗",
                "24 h",
                "missed: RPO, RTO ✗",
                "nothing covers corruption",
            ],
            ["S3 bucket `uploads`", "node lost", "0", "0", "0", "15 min", "met", "S3 keeps copies"],
            ["S3 bucket `uploads`", "zone lost", "0", "0", "0", "1 h", "met", "S3 keeps copies"],
            ["S3 bucket `uploads`", "region lost", "2 h", "168 h", "12.5 h", "72 h", "met", "replication + 2 h; retrieval 12 h"],
            ["S3 bucket `uploads`", "corruption or deletion", "0", "24 h", "30 min", "72 h", "met", "versions"],
        ]);
        assert.strictEqual(plan.misses, 8);
        assert.deepStrictEqual(
            plan.stores.find((s) => s.name === "ledger")!.objectives.map((o) => `${o.disruption} ${o.missed.join("+")}`),
            ["node RPO+RTO", "zone RPO+RTO", "region RPO+RTO", "corruption RPO+RTO"],
        );
    });

    it("uses the targets policy's settings: class targets, a named store's targets, and exemptions (no misses, said why)", () => {
        const p = buildPlan(
            input({
                settings: {
                    targets: { database: { region: { rpoHours: 4, rtoHours: 24 } } },
                    stores: [{ name: "upl*", targets: { region: { rpoHours: 1, rtoHours: 12 } } }],
                    exemptions: [{ name: "ledger", reason: "rebuilt from the event log" }],
                },
            }),
        );
        const region = rows(p, "objectives").filter((r) => r[1] === "region lost");
        assert.deepStrictEqual(region, [
            ["Atlas cluster `orders-db`", "region lost", "8 h ✗", "4 h", "42 min", "24 h", "missed: RPO ✗", "copies every 6 h + 2 h"],
            [
                "RDS instance `ledger`",
                "region lost",
                "∞",
                "4 h",
                "∞",
                "24 h",
                "exempt: rebuilt from the event log (by the targets policy's exemptions)",
                "nothing covers region (depends on the instance's region, unknown at preview)",
            ],
            [
                "S3 bucket `uploads`",
                "region lost",
                "2 h ✗",
                "1 h",
                "12.5 h ✗",
                "12 h",
                "missed: RPO, RTO ✗",
                "replication + 2 h; retrieval 12 h",
            ],
        ]);
        assert.strictEqual(p.misses, 3);
    });

    it("derives the restore steps from the protection the region estimate relies on", () => {
        assert.deepStrictEqual(texts(plan, "restore-3"), [
            "A lost node or zone: S3 keeps objects in three zones; it takes over by itself.",
            "The primary region lost (RPO 2 h, RTO ≈ 12.5 h): restore from S3 replication into DEEP_ARCHIVE in eu-central-1.",
            "steps: Restore the objects of `acme-uploads-dr` from DEEP_ARCHIVE: an S3 Batch Operations job over the bucket's objects " +
                'with the operation "Restore", ' +
                "retrieval tier Standard (≈ 12 h; Bulk is cheaper and takes up to 48 h), keeping the restored copies for the days the " +
                "copy-back needs.",
            'steps: Copy the objects of `acme-uploads-dr` into a bucket in a surviving region with S3 Batch Operations "Copy" into ' +
                "STANDARD (≈ 500 GiB at 1000 GiB/h), " +
                "or point the application at `acme-uploads-dr` once its objects are readable.",
            "steps: Check the object count against the last S3 inventory or replication metrics.",
            "Data corrupted or deleted (RPO 0, RTO ≈ 30 min): restore from S3 versioning.",
            "steps: List the affected keys' versions (`aws s3api list-object-versions --bucket acme-uploads --prefix <prefix>`).",
            "steps: Delete the delete markers of deleted objects, and copy the last good version over each overwritten object " +
                "(`aws s3api copy-object --bucket acme-uploads --key <key> --copy-source acme-uploads/<key>?versionId=<id>`); S3 Batch " +
                "Operations for many keys.",
        ]);
        assert.deepStrictEqual(texts(plan, "restore-2"), [
            "The primary region lost: nothing outside eu-west-1 to restore from; the data is lost with the region.",
            "Data corrupted or deleted: no recovery points; a deletion is final.",
        ]);
        assert.deepStrictEqual(texts(plan, "failover").slice(2, 6), [
            "steps: Create a stack for eu-central-1: a copy of `Pulumi.prod.yaml` with that region as primary and a third region for new " +
                "copies; preview it with the guard.",
            "steps: Restore the data (procedures above), the slowest first: S3 bucket `uploads` (≈ 12.5 h), Atlas cluster `orders-db` (≈ " +
                "42 min).",
            "steps: Deploy the services (`web`) in the DR region with the image and certificate prepared there; wait until the health " +
                "checks pass.",
            "steps: Move the traffic: point `shop.example.com` at the DR region's load balancer; the uptime check turns green.",
        ]);
    });

    it("reads fault tolerance from the stores and the services: tasks, subnets, scaling, grace period, health check, rollback", () => {
        assert.deepStrictEqual(rows(plan, "fault-tolerance", 0), [
            ["Atlas cluster `orders-db`", "eu-west-1", "3", "3", "≈ 12 s", "3 electable nodes over 3 zones"],
            ["RDS instance `ledger`", "eu-west-1", "1", "1", "a restore (no second copy takes over)", "a single RDS instance"],
            [
                "S3 bucket `uploads`",
                "eu-west-1",
                "managed by the service",
                "managed by the service",
                "none needed",
                "S3 keeps objects in three zones",
            ],
        ]);
        assert.deepStrictEqual(rows(plan, "fault-tolerance", 1), [
            [
                "`web`",
                "eu-west-1",
                "1 desired, ≥ 100 % healthy during deployments",
                "1",
                "1–3 tasks",
                "120 s",
                "HTTP /health every 30 s, unhealthy after 2, healthy after 3",
                "circuit breaker on, no rollback (a failed deployment stops)",
            ],
        ]);
    });

    it("lists every alarm, rule and Atlas alert with what it watches and where it goes", () => {
        assert.deepStrictEqual(rows(plan, "monitoring", 0), [
            [
                "`uploads-replication-failed`",
                "eu-west-1",
                "uploads failed to replicate (`AWS/S3 OperationsFailedReplication`)",
                "> 0 for 1 × 300 s; missing data: notBreaching",
                "SNS topic alerts",
            ],
        ]);
        assert.deepStrictEqual(rows(plan, "monitoring", 1), [
            ["`backup-failed`", "source: aws.backup; detail-type: Backup Job State Change; detail.state: FAILED", "SNS topic alerts"],
        ]);
        assert.deepStrictEqual(rows(plan, "monitoring", 2), [
            ["`copy-failed`", "`CPS_COPY_SNAPSHOT_FAILED`", "yes", "email dba@example.com, SMS +15550100"],
        ]);
        assert.deepStrictEqual(texts(plan, "monitoring").slice(1), [
            "bullets: Uptime check `web-uptime`: HTTPS shop.example.com:443/health every 30 s, unhealthy after 3 failures.",
        ]);
    });

    it("shows contacts as the alerting config declares them, a secret endpoint as [secret], a URL by its host only", () => {
        assert.deepStrictEqual(rows(plan, "incident-response", 1), [
            ["SNS topic alerts", "email", "ops@example.com", "1 alarm, 1 EventBridge rule"],
            ["SNS topic alerts", "https", "[secret]", "1 alarm, 1 EventBridge rule"],
            ["SNS topic alerts", "https", "https://hooks.example.com/…", "1 alarm, 1 EventBridge rule"],
            ["Atlas alerts", "email", "dba@example.com", "`CPS_COPY_SNAPSHOT_FAILED`"],
            ["Atlas alerts", "SMS", "+15550100", "`CPS_COPY_SNAPSHOT_FAILED`"],
        ]);
        assert.ok(!JSON.stringify(plan).includes("token=abc"), "a secret endpoint leaked");
        assert.ok(!JSON.stringify(plan).includes("T000/B000"), "a webhook path leaked");
        assert.deepStrictEqual(
            rows(plan, "incident-response", 2).map((r) => r.slice(0, 3)),
            [
                ["SEV1", "the primary region lost; data corrupted or deleted", "restore per the DR plan: 3 stores"],
                [
                    "SEV2",
                    "an availability zone lost; a node lost where no second node takes over; a backup or copy failing",
                    "no takeover: RDS instance `ledger`",
                ],
                [
                    "SEV3",
                    "a node lost and taken over automatically; a warning alarm",
                    "takes over: Atlas cluster `orders-db`, S3 bucket `uploads`",
                ],
            ],
        );
    });

    it("derives the risk register: data lost, copies not immutable, silent mechanisms, archive waits, unknowns, manual failover", () => {
        assert.deepStrictEqual(
            rows(plan, "risks", 0).map((r) => `${r[0]} | ${r[1]} | ${r[2]}`),
            [
                "Atlas cluster `orders-db` | Up to 8 h of data lost with the region | medium",
                "Atlas cluster `orders-db` | The copy (Atlas snapshot copies in eu-central-1) is not immutable | medium",
                "RDS instance `ledger` | node lost: the data is lost ✗ | high",
                "RDS instance `ledger` | zone lost: the data is lost ✗ | high",
                "RDS instance `ledger` | region lost: the data is lost ✗ | high",
                "RDS instance `ledger` | corruption or deletion: the data is lost ✗ | high",
                "RDS instance `ledger` | Figures depend on values unknown at preview | low",
                "RDS instance `ledger` | no automated backups | medium",
                "S3 bucket `uploads` | Up to 2 h of data lost with the region | medium",
                "S3 bucket `uploads` | S3 replication into DEEP_ARCHIVE in eu-central-1 can fail silently ✗ | high",
                "S3 bucket `uploads` | The restore waits 12 h for DEEP_ARCHIVE standard retrieval before data flows | low",
                "all | Regional failover is manual | medium",
            ],
        );
        assert.deepStrictEqual(rows(plan, "risks", 1), [
            ["RDS instance `ledger`", "1", "1", "a node lost", "a single RDS instance"],
            ["service `web`", "1", "1", "its one task lost", "1 desired, ≥ 100 % healthy during deployments"],
        ]);
        assert.deepStrictEqual(
            rows(plan, "risks", 2).map((r) => `${r[0]}: ${r[1]}`),
            [
                "size of Atlas cluster `orders-db`: 40 GiB, 2 GiB/day changed",
                "size of RDS instance `ledger`: 100 GiB, 2 GiB/day changed",
                "size of S3 bucket `uploads`: 500 GiB, 10 GiB/day changed",
                "`atlasNewClusterHours`: 30 min",
                "`defaultGib.database`: 100 GiB",
                "`defaultGib.objects`: 500 GiB",
                "`defaultDailyChangeShare`: 2 % of the size a day",
            ],
        );
    });

    it("prices the copies per store, with a line that has no price shown as unknown and the totals unknown", () => {
        assert.deepStrictEqual(rows(plan, "cost"), [
            ["Atlas cluster `orders-db`", "Atlas snapshot copies in eu-central-1", "snapshot storage", "$7.50", "54 GiB × 0.14 = $7.56"],
            ["Atlas cluster `orders-db`", "", "total", "$7.50", ""],
            [
                "S3 bucket `uploads`",
                "S3 replication into DEEP_ARCHIVE in eu-central-1",
                "storage",
                "$2.28",
                "2,300 GiB × 0.00099 $/GB-month = $2.28",
            ],
            [
                "S3 bucket `uploads`",
                "S3 replication into DEEP_ARCHIVE in eu-central-1",
                "requests",
                "unknown",
                "no price for DEEP_ARCHIVE requests in eu-central-1",
            ],
            ["S3 bucket `uploads`", "", "total", "unknown", ""],
            ["all stores", "", "total", "unknown", ""],
        ]);
        assert.deepStrictEqual(texts(plan, "cost"), [
            "Monthly, in USD, from the price table of 2025-12-31. Assumptions:",
            "bullets: A month is 30 days.",
        ]);
    });

    it("draws each store in its region and one edge per copy, labelled with its schedule", () => {
        assert.deepStrictEqual(plan.topology, {
            regions: [
                { id: "r0", name: "eu-west-1", role: "primary" },
                { id: "r1", name: "eu-central-1", role: "DR" },
            ],
            nodes: [
                { id: "s0", region: "r0", kind: "store", title: "Atlas cluster", subtitle: "orders-db" },
                { id: "s0c0", region: "r1", kind: "copy", title: "Atlas snapshot copies in eu-central-1", subtitle: "" },
                { id: "s1", region: "r0", kind: "store", title: "RDS instance", subtitle: "ledger" },
                { id: "s2", region: "r0", kind: "store", title: "S3 bucket", subtitle: "uploads" },
                {
                    id: "s2c0",
                    region: "r1",
                    kind: "copy",
                    title: "S3 replication into DEEP_ARCHIVE in eu-central-1",
                    subtitle: "acme-uploads-dr",
                },
            ],
            edges: [
                { from: "s0", to: "s0c0", label: "every 6 h" },
                { from: "s2", to: "s2c0", label: "continuous" },
            ],
        });
    });

    it("gives the drill record: none recorded, or the last date and the next listed month after it", () => {
        assert.deepStrictEqual(rows(plan, "dr-tests"), [
            ["no drill recorded ✗", "the next April or October (none recorded yet: hold one)"],
        ]);
        const recorded = buildPlan(input({ drills: { last: "2025-10-14", months: [4, 10], monthsFrom: "config" } }));
        assert.deepStrictEqual(rows(recorded, "dr-tests"), [["2025-10-14", "April 2026"]]);
        assert.strictEqual(
            texts(recorded, "dr-tests")[0],
            "The company's plan tests DR twice a year, with simulated disasters and a real failover and failback. Drills are held in " +
                "April and October (`continuity:drills.months`).",
        );
        const once = buildPlan(input({ drills: { last: "2025-03-01", months: [6], monthsFrom: "config" } }));
        assert.deepStrictEqual(rows(once, "dr-tests"), [["2025-03-01", "June 2025"]]);
        assert.strictEqual(texts(once, "dr-tests")[1], "Only 1 drill a year is planned: the company's plan asks for two.");
        assert.deepStrictEqual(
            section(plan, "drill-1").blocks.flatMap((b) => (b.kind === "list" ? b.items : [])),
            [
                "Restore `orders-db` from Atlas snapshot copies in eu-central-1 into eu-central-1, following the procedure above.",
                "Time it from the decision to the data serving: the target is 24 h.",
                "Note the age of the newest data restored: the target is 8 h.",
                "Check the data: counts and a sample of recent records against the source.",
                "Delete the scratch resources, and record the measured times (they replace the model's assumed rates).",
            ],
        );
        assert.deepStrictEqual(
            section(plan, "drill-2").blocks.flatMap((b) => (b.kind === "list" ? b.items : [])),
            ["No copy outside eu-west-1 to restore from: nothing to drill until one exists."],
        );
    });

    it("is the same whatever order the model gives the stores in", () => {
        assert.deepStrictEqual(buildPlan(input({ stores: [F.atlasStore, F.ledgerStore, F.bucketStore] })), plan);
    });

    it("shows a value unknown at preview as such, and still links through property dependencies, as the pack reads the stack", () => {
        const checked = (
            type: string,
            name: string,
            properties: Record<string, unknown>,
            deps: Record<string, string[]> = {},
        ): CheckedResource => ({
            type,
            name,
            urn: `urn:pulumi:prod::orders::${type}::${name}`,
            properties,
            dependencies: Object.values(deps).flat(),
            propertyDependencies: deps,
            options: {},
        });
        const topic = checked("aws:sns/topic:Topic", "alerts", { region: "eu-west-1" });
        const graph = policyResources([
            topic,
            checked(
                "aws:sns/topicSubscription:TopicSubscription",
                "alerts-sms",
                { protocol: "sms", endpoint: UNKNOWN_VALUE, topic: UNKNOWN_VALUE },
                { topic: [topic.urn] },
            ),
            checked(
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "linked",
                {
                    namespace: "AWS/S3",
                    metricName: "OperationsFailedReplication",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: UNKNOWN_VALUE,
                    evaluationPeriods: 1,
                    period: 300,
                    alarmActions: [UNKNOWN_VALUE],
                },
                { alarmActions: [topic.urn] },
            ),
            checked("aws:cloudwatch/metricAlarm:MetricAlarm", "unlinked", {
                namespace: "AWS/ES",
                metricName: "ClusterStatus.red",
                threshold: 1,
                evaluationPeriods: 1,
                period: 60,
                alarmActions: UNKNOWN_VALUE,
            }),
        ]);
        const p = buildPlan(input({ resources: graph, secretPaths: new Set() }));
        assert.deepStrictEqual(rows(p, "monitoring", 0), [
            ["`linked`", "—", "`AWS/S3 OperationsFailedReplication`", "> unknown at preview for 1 × 300 s", "SNS topic alerts"],
            ["`unlinked`", "—", "`AWS/ES ClusterStatus.red`", "— 1 for 1 × 60 s", "unknown at preview"],
        ]);
        assert.deepStrictEqual(rows(p, "incident-response", 1), [["SNS topic alerts", "sms", "unknown at preview", "1 alarm"]]);
    });
});
