// Amazon Redshift provisioned clusters: automated snapshots kept at least N days, and a copy of the
// snapshots in another region, kept at least N days there.
//
// Links at preview. A cross-region snapshot copy is an aws.redshift.SnapshotCopy (in @pulumi/aws 7
// the cluster has no inline `snapshotCopy` block any more); it names its cluster by
// `clusterIdentifier`, linked through that property's dependency on the cluster, or through the
// identifier the program set (a required input, known at preview). AWS Backup backs up Redshift
// clusters (API GetSupportedResourceTypes lists "Redshift"), so a Backup plan whose selection covers
// the cluster counts as well: for retention when its rule keeps recovery points long enough, and for
// the copy when a rule has a copy action to a vault in another region (scope.ts,
// backupCopyToOtherRegion; how long the Backup copies are kept is judged by the Backup plan rules).
//
// Unknown at preview: an unknown retention, destination region, copy link or Backup rule counts in
// the stack's favour and is judged again at `pulumi up`. Values are read inside `known(() => …)`, so
// an unknown one never makes the SDK skip the whole stack policy.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    backupCopyToOtherRegion,
    backupRulesOf,
    ConfiguredExemption,
    exemptionsSetting,
    otherRegion,
    regionOf,
    StoreKinds,
    storesInScope,
} from "./scope";
import { PolicyReference } from "./types";
import { is, known, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const RedshiftTypes = {
    cluster: StoreKinds.redshiftCluster.types[0],
    snapshotCopy: "aws:redshift/snapshotCopy:SnapshotCopy",
} as const;

const LABEL = StoreKinds.redshiftCluster.label;

/**
 * Whether a SnapshotCopy copies this cluster's snapshots: true, false, or UNKNOWN (an identifier
 * unknown at preview and no dependency that tells: it may be this cluster's).
 */
export function copiesCluster(copy: PolicyResource, cluster: PolicyResource): boolean | typeof UNKNOWN {
    const deps = copy.propertyDependencies.clusterIdentifier ?? [];
    if (deps.some((d) => d.urn === cluster.urn)) return true;
    if (deps.some((d) => d.type === RedshiftTypes.cluster)) return false; // built from another cluster
    const named = known(() => copy.props.clusterIdentifier as string | undefined);
    const own = known(() => cluster.props.clusterIdentifier as string | undefined);
    if (named === UNKNOWN || own === UNKNOWN) return UNKNOWN;
    // Redshift stores identifiers in lowercase.
    return typeof named === "string" && typeof own === "string" && named.toLowerCase() === own.toLowerCase();
}

interface RetentionSettings {
    minRetentionDays: number;
    exemptions: ConfiguredExemption[];
}

const retentionSchema = settingsSchema({
    properties: {
        // Automated snapshots are kept at most 35 days (CreateCluster AutomatedSnapshotRetentionPeriod).
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            maximum: 35,
            default: 7,
            description: "Days the automated snapshots are kept.",
        },
        ...exemptionsSetting,
    },
});

/**
 * `automatedSnapshotRetentionPeriod` defaults to 1 and 0 turns automated snapshots off
 * (@pulumi/aws 7 redshift/cluster.d.ts). A Backup rule that covers the cluster and keeps its recovery
 * points at least N days (or until deleted by hand) also counts. Unknown values count in favour.
 */
export const redshiftSnapshotRetention: StackValidationPolicy = {
    name: "redshift-snapshot-retention",
    description: "Redshift clusters keep automated snapshots (or AWS Backup recovery points) at least N days.",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<RetentionSettings>(retentionSchema, args.getConfig());
        for (const cluster of storesInScope(args, report, redshiftSnapshotRetention.name, ["redshiftCluster"], exemptions)) {
            const period = known(() => cluster.props.automatedSnapshotRetentionPeriod as number | undefined);
            if (period === UNKNOWN) continue;
            const days = period ?? 1;
            if (days >= min) continue;
            const rules = backupRulesOf(cluster, args.resources);
            const longEnough = rules.some(
                (r) => r === UNKNOWN || r.retentionDays === UNKNOWN || r.retentionDays === undefined || r.retentionDays >= min,
            );
            if (longEnough) continue;
            const own =
                days === 0
                    ? "has automated snapshots turned off (automatedSnapshotRetentionPeriod 0)"
                    : `keeps automated snapshots ${plural(days, "day")} (automatedSnapshotRetentionPeriod ${period ?? "unset, default 1"})`;
            const plans = [...new Set(rules.map((r) => (r === UNKNOWN ? "?" : `'${r.plan.name}'`)))].join(", ");
            const longest = Math.max(0, ...rules.map((r) => (r === UNKNOWN || typeof r.retentionDays !== "number" ? 0 : r.retentionDays)));
            const backup =
                rules.length === 0
                    ? "no AWS Backup plan of the stack selects it"
                    : `the AWS Backup plan ${plans} that selects it keeps recovery points at most ${plural(longest, "day")}`;
            report(
                `The ${LABEL} '${cluster.name}' ${own}, and ${backup}; this environment requires snapshots kept at least ${plural(min, "day")}.`,
                cluster.urn,
            );
        }
    },
};

interface CopySettings {
    minCopyRetentionDays: number;
    exemptions: ConfiguredExemption[];
}

const copySchema = settingsSchema({
    properties: {
        // Copied automated snapshots are kept 1 to 35 days; 7 when unset (EnableSnapshotCopy RetentionPeriod).
        minCopyRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            maximum: 35,
            default: 7,
            description: "Days a SnapshotCopy keeps the copied automated snapshots in the other region (its retentionPeriod).",
        },
        ...exemptionsSetting,
    },
});

/** One SnapshotCopy of a cluster as the policy sees it. */
interface Copy {
    copy: PolicyResource;
    region: Maybe<string | undefined>;
    retention: Maybe<number | undefined>;
}

/**
 * A copy leaves the region when its destination region differs from the cluster's (unknown counts
 * as different), and is kept long enough when its retentionPeriod (unset: 7, the API's default) is.
 * A SnapshotCopy whose cluster identifier is unknown may copy any cluster: it counts for each.
 */
export const redshiftCrossRegionCopy: StackValidationPolicy = {
    name: "redshift-cross-region-copy",
    description:
        "Redshift clusters copy their snapshots to another region (an aws.redshift.SnapshotCopy kept at least N days there, or an AWS Backup copy action to a vault in another region).",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { minCopyRetentionDays: min, exemptions } = settingsOf<CopySettings>(copySchema, args.getConfig());
        const snapshotCopies = args.resources.filter(is(RedshiftTypes.snapshotCopy));
        for (const cluster of storesInScope(args, report, redshiftCrossRegionCopy.name, ["redshiftCluster"], exemptions)) {
            const home = regionOf(cluster);
            const mine: Copy[] = snapshotCopies
                .filter((c) => copiesCluster(c, cluster) !== false)
                .map((copy) => ({
                    copy,
                    region: known(() => copy.props.destinationRegion as string | undefined),
                    retention: known(() => copy.props.retentionPeriod as number | undefined),
                }));
            const away = mine.filter((c) => otherRegion(c.region, home));
            const keptDays = (c: Copy) => (c.retention === UNKNOWN ? UNKNOWN : (c.retention ?? 7));
            if (away.some((c) => keptDays(c) === UNKNOWN || (keptDays(c) as number) >= min)) continue;
            const backup = backupCopyToOtherRegion(cluster, args.resources);
            if (backup.copied) continue;
            if (away.length > 0) {
                for (const c of away) {
                    const days = keptDays(c) as number;
                    report(
                        `The aws.redshift.SnapshotCopy '${c.copy.name}' keeps the copies of ${LABEL} '${cluster.name}' in ${String(c.region)} ${plural(days, "day")} (retentionPeriod ${c.retention === undefined ? "unset, default 7" : days}), and ${backup.found}; this environment requires copies kept at least ${plural(min, "day")}.`,
                        c.copy.urn,
                    );
                }
                continue;
            }
            const local = mine.map(
                (c) => `the aws.redshift.SnapshotCopy '${c.copy.name}' copies to ${String(c.region)}, the cluster's own region`,
            );
            const found = local.length > 0 ? local.join("; ") : "no aws.redshift.SnapshotCopy names it";
            report(
                `The ${LABEL} '${cluster.name}' has no copy of its snapshots in another region: ${found}, and ${backup.found}; this environment requires one.`,
                cluster.urn,
            );
        }
    },
};

export const redshiftPolicies = [redshiftSnapshotRetention, redshiftCrossRegionCopy];

const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const BACKUP = ["aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vault:Vault"];

export const redshiftReference: Record<string, PolicyReference> = {
    "redshift-snapshot-retention": {
        resources: [RedshiftTypes.cluster, ...BACKUP],
        unknown: `an unknown retention period or Backup rule ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config redshift-backup-enabled, redshift-cluster-maintenancesettings-check; Checkov CKV_AWS_343; beyond them: AWS Backup retention counts",
    },
    "redshift-cross-region-copy": {
        resources: [RedshiftTypes.cluster, RedshiftTypes.snapshotCopy, ...BACKUP],
        unknown: `an unknown cluster identifier, destination region, copy retention or Backup copy action ${FAVOUR}`,
        protectsData: true,
        anchors: "none: a copy of the snapshots in another region (SnapshotCopy or AWS Backup copy action) kept N days",
    },
};
