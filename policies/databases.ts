// Relational and document databases: RDS instances, RDS/Aurora clusters, DocumentDB and Neptune
// clusters, whoever wrote the program. Each keeps its backups N days, survives the loss of one
// Availability Zone, has a copy in another region (its own mechanism or an AWS Backup copy action),
// is protected against deletion where required, and is not deleted without a final snapshot.
//
// Copies. A read replica (an RDS instance with `replicateSourceDb`), a replica cluster
// (`replicationSourceIdentifier`) and the secondary cluster of a global cluster are copies of another
// store: they are not asked for backups, zones, a copy of their own or a final snapshot, but they are
// judged for deletion protection (deleting the copy deletes the DR). An RDS instance whose engine is
// aurora*, docdb or neptune belongs to a cluster, which is judged instead (AWS: retention and deletion
// protection of cluster members are the cluster's).
//
// Links at preview. A cluster instance names its cluster, a replica its source, a cluster its global
// cluster, an automated-backups replication its source instance through an ID or ARN that is unknown
// until the target exists: the policies follow the property's dependency (`clusterIdentifier:
// cluster.id` depends on the cluster), or compare a value known at preview (the identifiers we or
// Pulumi's auto-naming set) with the target's identifier or the end of its ARN. A link that is unknown
// and follows no dependency may point at any store: it counts in the stack's favour and is judged again
// at `pulumi up`, as does any other unknown value (retention, flags, zones, regions). Each resource
// lives in its own `region` or its provider's; two resources without either and with the same
// provider are in the same region.
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { backupCopyToOtherRegion, backupRulesOf, ConfiguredExemption, exemptionsSetting, StoreKinds, storesInScope } from "./scope";
import { PolicyReference } from "./types";
import {
    ClusterKind,
    DEFAULT_RETENTION_DAYS,
    DatabaseTypes,
    Families,
    KINDS,
    copyOf,
    elsewhere,
    globalMembers,
    inCluster,
    kindOf,
    label,
    names,
    regionText,
} from "./databases/readers";
import { is, known, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export { ClusterKind, copyOf, DatabaseTypes, DEFAULT_RETENTION_DAYS, Families, globalMembers, names } from "./databases/readers";

interface Judged {
    store: PolicyResource;
    copy?: string;
}

/** The stores a policy judges (in scope, not exempted, not an instance of a cluster), each with what copy it is. */
function judged(args: StackValidationArgs, report: ReportViolation, policy: string, exemptions: ConfiguredExemption[]): Judged[] {
    return storesInScope(args, report, policy, KINDS, exemptions)
        .filter((s) => !inCluster(s))
        .map((store) => ({ store, copy: copyOf(store, args.resources) }));
}

// --- database-backup-retention --------------------------------------------------------------------

const retentionSchema = settingsSchema({
    properties: {
        minRetentionDays: { type: "integer" as const, minimum: 1, maximum: 35, default: 7 },
        ...exemptionsSetting,
    },
});

/** Unknown retention, or an unknown Backup plan rule covering the store: counts in the stack's favour. */
export const databaseBackupRetention: StackValidationPolicy = {
    name: "database-backup-retention",
    description:
        "RDS instances and RDS/Aurora, DocumentDB and Neptune clusters keep their backups at least N days: automated backups (backupRetentionPeriod; unset is the AWS default of 1 day), or an AWS Backup rule that selects the database.",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<{ minRetentionDays: number; exemptions: ConfiguredExemption[] }>(
            retentionSchema,
            args.getConfig(),
        );
        for (const { store, copy } of judged(args, report, "database-backup-retention", exemptions)) {
            if (copy) continue; // a copy's source keeps the backups
            const set = known(() => store.props.backupRetentionPeriod as unknown);
            if (set === UNKNOWN) continue;
            const days = typeof set === "number" ? set : DEFAULT_RETENTION_DAYS;
            if (days >= min) continue;
            // An AWS Backup rule that selects the store and keeps its recovery points long enough counts too.
            const rules = backupRulesOf(store, args.resources);
            if (rules.some((r) => r === UNKNOWN || r.retentionDays === UNKNOWN || r.retentionDays === undefined || r.retentionDays >= min))
                continue;
            const kept =
                days === 0
                    ? "has automated backups turned off (backupRetentionPeriod 0)"
                    : `keeps automated backups ${plural(days, "day")}${typeof set === "number" ? "" : " (backupRetentionPeriod unset: the AWS default)"}`;
            const shortRules = [
                ...new Set(
                    rules.map((r) =>
                        r === UNKNOWN
                            ? ""
                            : `the AWS Backup plan '${r.plan.name}' that selects it keeps recovery points ${plural(r.retentionDays as number, "day")}`,
                    ),
                ),
            ];
            report(
                `The ${label(store)} '${store.name}' ${kept}${shortRules.length ? `, and ${shortRules.join(", ")}` : ""}; this environment requires at least ${plural(min, "day")}.`,
                store.urn,
            );
        }
    },
};

// --- database-multi-az ----------------------------------------------------------------------------

const multiAzSchema = settingsSchema({
    properties: {
        minInstances: { type: "integer" as const, minimum: 1, default: 2 },
        minZones: { type: "integer" as const, minimum: 1, maximum: 3, default: 2 },
        ...exemptionsSetting,
    },
});

/** The instances of a cluster: linked for sure, or by a link unknown at preview (which may be this cluster). */
function instancesOf(cluster: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    const family = Families[kindOf(cluster) as ClusterKind];
    return resources.filter(is(family.member)).filter((i) => names(i, "clusterIdentifier", cluster) !== false);
}

/**
 * Unknown multiAz, instance link or zone: counts in the stack's favour. An instance whose zone is unset
 * counts as a zone of its own: for Aurora, "for the first three DB instances that you create, RDS
 * distributes each DB instance to a different AZ" (RDS API, CreateDBCluster AvailabilityZones); for
 * DocumentDB and Neptune the zone is "a random, system-chosen Availability Zone" (CreateDBInstance), so
 * only instances the program itself pins into fewer zones are a violation there.
 */
export const databaseMultiAz: StackValidationPolicy = {
    name: "database-multi-az",
    description:
        "RDS instances are Multi-AZ deployments; RDS/Aurora, DocumentDB and Neptune clusters have at least N instances in at least M Availability Zones (a Multi-AZ DB cluster has three by construction).",
    enforcementLevel: "mandatory",
    configSchema: multiAzSchema,
    validateStack: (args, report) => {
        const { minInstances, minZones, exemptions } = settingsOf<{
            minInstances: number;
            minZones: number;
            exemptions: ConfiguredExemption[];
        }>(multiAzSchema, args.getConfig());
        for (const { store, copy } of judged(args, report, "database-multi-az", exemptions)) {
            if (copy) continue;
            const kind = kindOf(store);
            if (kind === "rdsInstance") {
                const multiAz = known(() => store.props.multiAz as unknown);
                if (multiAz === true || multiAz === UNKNOWN) continue;
                report(
                    `The RDS instance '${store.name}' runs in one Availability Zone (multiAz is ${multiAz === undefined ? "unset" : String(multiAz)}); this environment requires a Multi-AZ deployment, with a standby in another zone.`,
                    store.urn,
                );
                continue;
            }
            // A Multi-AZ DB cluster (engine mysql or postgres with a DB cluster instance class): one writer and two readers in three zones.
            if (kind === "rdsCluster" && known(() => store.props.dbClusterInstanceClass as unknown) !== undefined) continue;
            const instances = instancesOf(store, args.resources);
            const family = Families[kind as ClusterKind];
            if (instances.length < minInstances) {
                report(
                    `The ${label(store)} '${store.name}' has ${plural(instances.length, "instance")} (${family.memberClass}); this environment requires at least ${minInstances} in at least ${plural(minZones, "Availability Zone")}, so that a replica takes over when the writer's zone fails.`,
                    store.urn,
                );
                continue;
            }
            const zones = instances.map((i) => known(() => i.props.availabilityZone as unknown));
            const pinned = zones.filter((z): z is string => typeof z === "string");
            const distinct = new Set(pinned).size + (zones.length - pinned.length);
            if (distinct < minZones) {
                report(
                    `The ${label(store)} '${store.name}' has its ${plural(instances.length, "instance")} in ${plural(distinct, "Availability Zone")} (${[...new Set(pinned)].join(", ")}); this environment requires at least ${minZones}.`,
                    store.urn,
                );
            }
        }
    },
};

// --- database-cross-region-copy -------------------------------------------------------------------

const copySchema = settingsSchema({ properties: { ...exemptionsSetting } });

/** What gives an RDS instance a copy in another region, or what was found instead (for the message). */
function instanceCopies(instance: PolicyResource, resources: PolicyResource[]): { copied: boolean; found: string[] } {
    const found: string[] = [];
    const mechanisms = [
        ...resources
            .filter(is(DatabaseTypes.backupsReplication))
            .map((r) => ({ r, link: names(r, "sourceDbInstanceArn", instance), what: "automated-backups replication" })),
        ...resources
            .filter(is(DatabaseTypes.rdsInstance))
            .filter((r) => r !== instance)
            .map((r) => ({ r, link: names(r, "replicateSourceDb", instance), what: "read replica" })),
    ];
    for (const { r, link, what } of mechanisms) {
        if (link === false) continue;
        if (link === UNKNOWN || elsewhere(instance, r)) return { copied: true, found };
        found.push(`its ${what} '${r.name}' is in its own region (${regionText(r)})`);
    }
    return { copied: false, found };
}

/** What gives a cluster a copy in another region: a global cluster with a member elsewhere, or a replica cluster elsewhere. */
function clusterCopies(cluster: PolicyResource, resources: PolicyResource[]): { copied: boolean; found: string[] } {
    const kind = kindOf(cluster) as ClusterKind;
    const family = Families[kind];
    const clusters = resources.filter(is(...StoreKinds[kind].types));
    const found: string[] = [];
    for (const g of resources.filter(is(family.global))) {
        const { sure, maybe } = globalMembers(g, clusters);
        if (!sure.includes(cluster) && !maybe.includes(cluster)) continue;
        const others = [...sure, ...maybe].filter((c) => c !== cluster);
        if (others.some((c) => maybe.includes(c) || maybe.includes(cluster) || elsewhere(cluster, c))) return { copied: true, found };
        found.push(`its global cluster '${g.name}' has no other cluster in another region`);
    }
    for (const r of clusters.filter((c) => c !== cluster)) {
        const link = names(r, "replicationSourceIdentifier", cluster);
        if (link === false) continue;
        if (link === UNKNOWN || elsewhere(cluster, r)) return { copied: true, found };
        found.push(`its replica cluster '${r.name}' is in its own region (${regionText(r)})`);
    }
    // A global cluster named by a value unknown at preview and no dependency: it may be one with a secondary elsewhere.
    if (
        known(() => cluster.props.globalClusterIdentifier) === UNKNOWN &&
        (cluster.propertyDependencies.globalClusterIdentifier ?? []).length === 0
    )
        return { copied: true, found };
    return { copied: false, found };
}

/** Unknown links, regions or Backup rules: count in the stack's favour. */
export const databaseCrossRegionCopy: StackValidationPolicy = {
    name: "database-cross-region-copy",
    description:
        "Every database has a copy in another region: for an RDS instance an automated-backups replication or a read replica there, for a cluster a secondary cluster of its global cluster (or a replica cluster) there, or for any an AWS Backup rule that selects it with a copy action to a vault there.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(copySchema, args.getConfig());
        for (const { store, copy } of judged(args, report, "database-cross-region-copy", exemptions)) {
            if (copy) continue; // a replica or secondary is the copy
            const kind = kindOf(store);
            const own = kind === "rdsInstance" ? instanceCopies(store, args.resources) : clusterCopies(store, args.resources);
            if (own.copied) continue;
            const backup = backupCopyToOtherRegion(store, args.resources);
            if (backup.copied) continue;
            const mechanism =
                kind === "rdsInstance"
                    ? "an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action"
                    : `a secondary cluster of an ${Families[kind].globalClass} in another region${kind === "docdbCluster" ? "" : ", a replica cluster there"}, or an AWS Backup copy action`;
            report(
                `The ${label(store)} '${store.name}' in ${regionText(store)} has no copy in another region (${mechanism}): ${[...own.found, backup.found].join("; ")}; this environment requires one.`,
                store.urn,
            );
        }
    },
};

// --- database-deletion-protection ----------------------------------------------------------------

const deletionSchema = settingsSchema({
    properties: {
        required: { type: "boolean" as const, default: true },
        ...exemptionsSetting,
    },
});

/** An unknown flag counts in the stack's favour. Copies are judged too: deleting one deletes the DR. */
export const databaseDeletionProtection: StackValidationPolicy = {
    name: "database-deletion-protection",
    description:
        "RDS instances and RDS/Aurora, DocumentDB and Neptune clusters, replicas and secondaries included, have deletion protection where this environment requires it (the AWS default is off).",
    enforcementLevel: "mandatory",
    configSchema: deletionSchema,
    validateStack: (args, report) => {
        const { required, exemptions } = settingsOf<{ required: boolean; exemptions: ConfiguredExemption[] }>(
            deletionSchema,
            args.getConfig(),
        );
        const stores = judged(args, report, "database-deletion-protection", exemptions);
        if (!required) return;
        for (const { store, copy } of stores) {
            const on = known(() => store.props.deletionProtection as unknown);
            if (on === true || on === UNKNOWN) continue;
            report(
                `The ${label(store)} '${store.name}'${copy ? ` (a ${copy})` : ""} has no deletion protection (deletionProtection is ${on === undefined ? "unset, which AWS reads as false" : String(on)}); this environment requires it.`,
                store.urn,
            );
        }
    },
};

// --- database-final-snapshot ---------------------------------------------------------------------

const finalSnapshotSchema = settingsSchema({
    properties: {
        allowSkipFinalSnapshot: { type: "boolean" as const, default: false },
        ...exemptionsSetting,
    },
});

/**
 * `skipFinalSnapshot` defaults to false in the provider (aws.rds.Instance, aws.rds.Cluster,
 * aws.docdb.Cluster, aws.neptune.Cluster), and deleting then needs a `finalSnapshotIdentifier`: unset
 * is compliant. A replica has no final snapshot of its own (the provider: "Must not be provided when
 * deleting a read replica"); its source is judged. An unknown flag counts in the stack's favour.
 */
export const databaseFinalSnapshot: StackValidationPolicy = {
    name: "database-final-snapshot",
    description:
        "RDS instances and RDS/Aurora, DocumentDB and Neptune clusters take a final snapshot when deleted (no skipFinalSnapshot: true), unless this environment allows skipping it.",
    enforcementLevel: "mandatory",
    configSchema: finalSnapshotSchema,
    validateStack: (args, report) => {
        const { allowSkipFinalSnapshot, exemptions } = settingsOf<{ allowSkipFinalSnapshot: boolean; exemptions: ConfiguredExemption[] }>(
            finalSnapshotSchema,
            args.getConfig(),
        );
        const stores = judged(args, report, "database-final-snapshot", exemptions);
        if (allowSkipFinalSnapshot) return;
        for (const { store, copy } of stores) {
            if (copy) continue;
            if (known(() => store.props.skipFinalSnapshot as unknown) !== true) continue;
            report(
                `The ${label(store)} '${store.name}' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.`,
                store.urn,
            );
        }
    },
};

export const databasePolicies = [
    databaseBackupRetention,
    databaseMultiAz,
    databaseCrossRegionCopy,
    databaseDeletionProtection,
    databaseFinalSnapshot,
];

const STORES: readonly string[] = KINDS.flatMap((k) => StoreKinds[k].types as readonly string[]);
const MEMBERS = [DatabaseTypes.rdsClusterInstance, DatabaseTypes.docdbClusterInstance, DatabaseTypes.neptuneClusterInstance];
const GLOBALS = [DatabaseTypes.rdsGlobalCluster, DatabaseTypes.docdbGlobalCluster, DatabaseTypes.neptuneGlobalCluster];
const BACKUP = ["aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vault:Vault"];
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";

export const databaseReference: Record<string, PolicyReference> = {
    "database-backup-retention": {
        resources: [...STORES, ...GLOBALS, ...BACKUP],
        unknown: `an unknown retention, or an unknown rule of a Backup plan that may select the database, ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config db-instance-backup-enabled (backupRetentionMinimum), docdb-cluster-backup-retention-check, neptune-cluster-backup-retention-check; Checkov CKV_AWS_133, CKV_AWS_360, CKV_AWS_361; goes beyond: an unset value is read as the AWS default (1 day), and an AWS Backup rule may carry the retention",
    },
    "database-multi-az": {
        resources: [...STORES, ...MEMBERS, ...GLOBALS],
        unknown: `an unknown multiAz, instance link or zone ${FAVOUR}; an unset zone counts as a zone of its own`,
        protectsData: true,
        anchors:
            "AWS Config rds-multi-az-support, rds-cluster-multi-az-enabled, neptune-cluster-multi-az-enabled; Checkov CKV_AWS_157; goes beyond: DocumentDB clusters, and the instances of a cluster counted from the program before they exist",
    },
    "database-cross-region-copy": {
        resources: [...STORES, ...GLOBALS, DatabaseTypes.backupsReplication, ...BACKUP],
        unknown: `an unknown source, global-cluster link, region or Backup rule ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config rds-resources-protected-by-backup-plan and aurora-resources-protected-by-backup-plan (crossRegionList) check Backup copies only; goes beyond: automated-backups replication, cross-region read replicas, global-cluster secondaries, DocumentDB and Neptune",
    },
    "database-deletion-protection": {
        resources: [...STORES, ...GLOBALS],
        unknown: `an unknown deletionProtection ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config rds-instance-deletion-protection-enabled, rds-cluster-deletion-protection-enabled, docdb-cluster-deletion-protection-enabled, neptune-cluster-deletion-protection-enabled; Checkov CKV_AWS_293, CKV_AWS_139",
    },
    "database-final-snapshot": {
        resources: [...STORES, ...GLOBALS],
        unknown: `an unknown skipFinalSnapshot ${FAVOUR}`,
        protectsData: true,
        anchors:
            "none: the anchors do not read skipFinalSnapshot; this policy keeps a snapshot of every primary database that a stack deletes",
    },
};
