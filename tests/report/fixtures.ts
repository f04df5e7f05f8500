// Hand-made inputs of the DR plan: stores as the resilience model describes them (facts and estimates
// written out, not computed, so these tests depend on the plan's code alone) and the resources of a
// small stack as the pack sees them (PolicyResource), linked by property dependencies.
import type { PolicyResource } from "@pulumi/policy";
import type { CostReport } from "../../tools/report/cost";
import type { Drills } from "../../tools/report/drills";
import type { Protection, Redundancy, StoreResilience } from "../../policies/resilience/types";

const urn = (type: string, name: string) => `urn:pulumi:prod::orders::${type}::${name}`;

/** A resource as a stack policy receives it; `deps` are its property dependencies. */
export function resource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps: Record<string, PolicyResource[]> = {},
): PolicyResource {
    return {
        type,
        name,
        urn: urn(type, name),
        props,
        opts: {},
        dependencies: Object.values(deps).flat(),
        propertyDependencies: deps,
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

// --- the graph ------------------------------------------------------------------------------------

export const cluster = resource("mongodbatlas:index/advancedCluster:AdvancedCluster", "orders-db", { name: "orders" });
export const schedule = resource("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule", "orders-db-backup", {});
export const bucket = resource("aws:s3/bucket:Bucket", "uploads", { bucket: "acme-uploads", region: "eu-west-1" });
export const copyBucket = resource("aws:s3/bucket:Bucket", "uploads-dr", { bucket: "acme-uploads-dr", region: "eu-central-1" });
export const replication = resource(
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "uploads-replication",
    { region: "eu-west-1" },
    { bucket: [bucket] },
);
export const ledger = resource("aws:rds/instance:Instance", "ledger", { identifier: "ledger", region: "eu-west-1" });
export const topic = resource("aws:sns/topic:Topic", "alerts", { region: "eu-west-1" });
export const email = resource(
    "aws:sns/topicSubscription:TopicSubscription",
    "alerts-email",
    { protocol: "email", endpoint: "ops@example.com" },
    { topic: [topic] },
);
export const pager = resource(
    "aws:sns/topicSubscription:TopicSubscription",
    "alerts-pager",
    { protocol: "https", endpoint: "https://events.example.com/v2/enqueue?token=abc" },
    { topic: [topic] },
);
export const webhook = resource(
    "aws:sns/topicSubscription:TopicSubscription",
    "alerts-webhook",
    { protocol: "https", endpoint: "https://hooks.example.com/T000/B000/XXXX" },
    { topic: [topic] },
);
export const alarm = resource(
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "uploads-replication-failed",
    {
        region: "eu-west-1",
        alarmDescription: "uploads failed to replicate",
        namespace: "AWS/S3",
        metricName: "OperationsFailedReplication",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        period: 300,
        treatMissingData: "notBreaching",
        alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alerts"],
    },
    { alarmActions: [topic], dimensions: [bucket] },
);
export const rule = resource("aws:cloudwatch/eventRule:EventRule", "backup-failed", {
    eventPattern: JSON.stringify({ source: ["aws.backup"], "detail-type": ["Backup Job State Change"], detail: { state: ["FAILED"] } }),
});
export const target = resource(
    "aws:cloudwatch/eventTarget:EventTarget",
    "backup-failed-to-alerts",
    { rule: "backup-failed" },
    { rule: [rule], arn: [topic] },
);
export const atlasAlert = resource("mongodbatlas:index/alertConfiguration:AlertConfiguration", "copy-failed", {
    eventType: "CPS_COPY_SNAPSHOT_FAILED",
    enabled: true,
    notifications: [
        { typeName: "EMAIL", emailAddress: "dba@example.com", intervalMin: 60 },
        { typeName: "SMS", mobileNumber: "+15550100" },
    ],
});
export const targetGroup = resource("aws:lb/targetGroup:TargetGroup", "web-tg", {
    healthCheck: { protocol: "HTTP", path: "/health", interval: 30, healthyThreshold: 3, unhealthyThreshold: 2 },
});
export const service = resource(
    "aws:ecs/service:Service",
    "web-service",
    {
        name: "web",
        region: "eu-west-1",
        desiredCount: 1,
        deploymentMinimumHealthyPercent: 100,
        healthCheckGracePeriodSeconds: 120,
        deploymentCircuitBreaker: { enable: true, rollback: false },
        networkConfiguration: { subnets: ["subnet-a"] },
    },
    { loadBalancers: [targetGroup] },
);
export const scaling = resource(
    "aws:appautoscaling/target:Target",
    "web-scaling",
    { minCapacity: 1, maxCapacity: 3, resourceId: "service/main/web" },
    { resourceId: [service] },
);
export const uptime = resource("aws:route53/healthCheck:HealthCheck", "web-uptime", {
    type: "HTTPS",
    fqdn: "shop.example.com",
    port: 443,
    resourcePath: "/health",
    requestInterval: 30,
    failureThreshold: 3,
});

export const RESOURCES = [
    cluster,
    schedule,
    bucket,
    copyBucket,
    replication,
    ledger,
    topic,
    email,
    pager,
    webhook,
    alarm,
    rule,
    target,
    atlasAlert,
    targetGroup,
    service,
    scaling,
    uptime,
];
/** The pager subscription's endpoint is a secret. */
export const SECRET_PATHS = new Set([`${pager.urn}#endpoint`]);

// --- the stores -----------------------------------------------------------------------------------

export const atlasSnapshots: Protection = {
    mechanism: "atlas-snapshots",
    what: "Atlas snapshots every 6 h",
    via: [schedule.urn],
    kind: "points",
    region: "eu-west-1",
    elsewhere: false,
    everyHours: 6,
    lagHours: 0,
    retentionDays: 7,
    immutable: true,
    restore: { fixedHours: 0, fixedWhy: "", retrievalHours: 0, gibPerHour: 200 },
};
export const atlasCopy: Protection = {
    ...atlasSnapshots,
    mechanism: "atlas-snapshot-copy",
    what: "Atlas snapshot copies in eu-central-1",
    region: "eu-central-1",
    elsewhere: true,
    lagHours: 2,
    immutable: false,
    restore: { fixedHours: 0.5, fixedWhy: "a new cluster in the copy region", retrievalHours: 0, gibPerHour: 200 },
};
const atlasNodes: Redundancy = { nodes: 3, zones: 3, failoverSeconds: 12, what: "3 electable nodes over 3 zones" };

export const atlasStore: StoreResilience = {
    urn: cluster.urn,
    name: "orders-db",
    type: cluster.type,
    kind: "atlasCluster",
    label: "Atlas cluster",
    storeClass: "database",
    region: "eu-west-1",
    size: { gib: 40, dailyChangeGib: 2, source: "setting sizes[0] (orders-*)" },
    redundancy: atlasNodes,
    protections: [atlasSnapshots, atlasCopy],
    notes: [],
    estimates: [
        { disruption: "node", rpoHours: 0, rtoHours: 12 / 3600, via: atlasNodes, reasoning: "3 nodes take over", dependsOn: [] },
        { disruption: "zone", rpoHours: 0, rtoHours: 12 / 3600, via: atlasNodes, reasoning: "3 zones take over", dependsOn: [] },
        { disruption: "region", rpoHours: 8, rtoHours: 0.7, via: atlasCopy, reasoning: "copies every 6 h + 2 h", dependsOn: [] },
        { disruption: "corruption", rpoHours: 6, rtoHours: 0.2, via: atlasSnapshots, reasoning: "snapshots every 6 h", dependsOn: [] },
    ],
};

export const versioning: Protection = {
    mechanism: "s3-versioning",
    what: "S3 versioning",
    via: [bucket.urn],
    kind: "points",
    region: "eu-west-1",
    elsewhere: false,
    everyHours: 0,
    lagHours: 0,
    retentionDays: 90,
    immutable: false,
    restore: { fixedHours: 0, fixedWhy: "", retrievalHours: 0, gibPerHour: 1000 },
};
export const deepArchive: Protection = {
    mechanism: "s3-replication",
    what: "S3 replication into DEEP_ARCHIVE in eu-central-1",
    via: [replication.urn, copyBucket.urn],
    kind: "points",
    region: "eu-central-1",
    elsewhere: true,
    everyHours: 0,
    lagHours: 2,
    retentionDays: 90,
    immutable: true,
    storageClass: "DEEP_ARCHIVE",
    restore: { fixedHours: 0, fixedWhy: "", retrievalHours: 12, retrievalWhy: "DEEP_ARCHIVE standard retrieval", gibPerHour: 1000 },
};
const managed: Redundancy = { nodes: "managed", zones: "managed", failoverSeconds: 0, what: "S3 keeps objects in three zones" };

export const bucketStore: StoreResilience = {
    urn: bucket.urn,
    name: "uploads",
    type: bucket.type,
    kind: "s3Bucket",
    label: "S3 bucket",
    storeClass: "objects",
    region: "eu-west-1",
    size: {
        gib: 500,
        dailyChangeGib: 10,
        source: "default for objects (500 GiB; assumption: default size of a bucket when neither its tags nor the config say)",
    },
    redundancy: managed,
    protections: [versioning, deepArchive],
    notes: [],
    estimates: [
        { disruption: "node", rpoHours: 0, rtoHours: 0, via: managed, reasoning: "S3 keeps copies", dependsOn: [] },
        { disruption: "zone", rpoHours: 0, rtoHours: 0, via: managed, reasoning: "S3 keeps copies", dependsOn: [] },
        {
            disruption: "region",
            rpoHours: 2,
            rtoHours: 12.5,
            via: deepArchive,
            reasoning: "replication + 2 h; retrieval 12 h",
            dependsOn: [],
        },
        { disruption: "corruption", rpoHours: 0, rtoHours: 0.5, via: versioning, reasoning: "versions", dependsOn: [] },
    ],
};

const single: Redundancy = { nodes: 1, zones: 1, failoverSeconds: 0, what: "a single RDS instance" };
/** A store with nothing: every disruption loses it. */
export const ledgerStore: StoreResilience = {
    urn: ledger.urn,
    name: "ledger",
    type: ledger.type,
    kind: "rdsInstance",
    label: "RDS instance",
    storeClass: "database",
    region: "eu-west-1",
    size: {
        gib: 100,
        dailyChangeGib: 2,
        source: "default for database (100 GiB; assumption: default size of a database when neither the store nor the config says)",
    },
    redundancy: single,
    protections: [],
    notes: ["no automated backups"],
    estimates: (["node", "zone", "region", "corruption"] as const).map((d) => ({
        disruption: d,
        rpoHours: null,
        rtoHours: null,
        reasoning: `nothing covers ${d}`,
        dependsOn: d === "region" ? ["the instance's region"] : [],
    })),
};

export const NO_DRILL: Drills = { months: [4, 10], monthsFrom: "default" };

export const COST: CostReport = {
    asOf: "2025-12-31",
    currency: "USD",
    stores: [
        {
            urn: bucket.urn,
            name: "uploads",
            label: "S3 bucket",
            lines: [
                { protection: deepArchive.what, item: "storage", amount: 2.28, arithmetic: "2,300 GiB × 0.00099 $/GB-month = $2.28" },
                {
                    protection: deepArchive.what,
                    item: "requests",
                    amount: null,
                    arithmetic: "no price for DEEP_ARCHIVE requests in eu-central-1",
                },
            ],
            monthly: null,
            priced: 2.28,
        },
        {
            urn: cluster.urn,
            name: "orders-db",
            label: "Atlas cluster",
            lines: [{ protection: atlasCopy.what, item: "snapshot storage", amount: 7.5, arithmetic: "54 GiB × 0.14 = $7.56" }],
            monthly: 7.5,
            priced: 7.5,
        },
    ],
    monthly: null,
    priced: 9.78,
    assumptions: ["A month is 30 days."],
};
