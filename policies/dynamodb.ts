// DynamoDB: every table — whoever wrote the program — has point-in-time recovery over a long enough
// recovery period, deletion protection, and a copy in another region: a replica of the global table
// (version 2019.11.21: `replicas[].regionName` on the table, or an aws.dynamodb.TableReplica), a
// legacy aws.dynamodb.GlobalTable (version 2017.11.29) spanning another region, or an AWS Backup plan
// whose rule copies the table's recovery points to a vault in another region. A TableReplica is a
// copy, not a table of its own: it is not asked for a copy of itself.
//
// Links at preview: a TableReplica is tied to its table through the property dependency of
// `globalTableArn` (the table's ARN is unknown until the table exists), or through a known ARN that
// names the table; a legacy GlobalTable through its `name` (the same table name in every region) or
// the dependency of that property. AWS Backup coverage comes from scope.ts (selections and plans).
//
// Unknown at preview: an unknown PITR flag, recovery period, deletion protection flag, replica list,
// replica region or an unlinked TableReplica whose table ARN is unknown counts in the stack's favour
// and is judged again at `pulumi up`. Values are read inside known(), so an unknown one never makes
// the SDK skip the whole stack policy.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { backupCopyToOtherRegion, exemptionsSetting, ConfiguredExemption, otherRegion, regionOf, StoreKinds, storesInScope } from "./scope";
import { PolicyReference } from "./types";
import { is, known, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const DynamodbTypes = {
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    globalTable: "aws:dynamodb/globalTable:GlobalTable",
    regionSettings: "aws:backup/regionSettings:RegionSettings",
} as const;

const LABEL = StoreKinds.dynamodbTable.label;

/**
 * The longest point-in-time recovery period DynamoDB offers, and its default when none is given
 * (PointInTimeRecoverySpecification.RecoveryPeriodInDays: 1 to 35, default 35 —
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoverySpecification.html).
 */
export const PITR_MAX_DAYS = 35;

const pitrSchema = settingsSchema({
    properties: {
        minRecoveryPeriodDays: {
            type: "integer" as const,
            minimum: 1,
            maximum: PITR_MAX_DAYS,
            default: PITR_MAX_DAYS,
            description: "The fewest days back a table can be restored to (DynamoDB allows 1 to 35; 35 when unset).",
        },
        ...exemptionsSetting,
    },
});

/** Unknown flag or period: counts in the stack's favour, judged again at `pulumi up`. */
export const dynamodbPointInTimeRecovery: StackValidationPolicy = {
    name: "dynamodb-point-in-time-recovery",
    description: "Every DynamoDB table has point-in-time recovery on, with a recovery period of at least N days.",
    enforcementLevel: "mandatory",
    configSchema: pitrSchema,
    validateStack: (args, report) => {
        const { minRecoveryPeriodDays: min, exemptions } = settingsOf<{ minRecoveryPeriodDays: number; exemptions: ConfiguredExemption[] }>(
            pitrSchema,
            args.getConfig(),
        );
        for (const table of storesInScope(args, report, "dynamodb-point-in-time-recovery", ["dynamodbTable"], exemptions)) {
            const pitr = known(() => {
                const p = table.props.pointInTimeRecovery as { enabled?: boolean; recoveryPeriodInDays?: number } | undefined;
                return { enabled: p?.enabled, days: p?.recoveryPeriodInDays };
            });
            if (pitr === UNKNOWN) continue;
            const enabled = known(() => pitr.enabled);
            if (enabled === UNKNOWN) continue;
            if (enabled !== true) {
                report(
                    `The ${LABEL} '${table.name}' has point-in-time recovery off (pointInTimeRecovery.enabled is not true); this environment requires it, with a recovery period of at least ${plural(min, "day")}.`,
                    table.urn,
                );
                continue;
            }
            const days = known(() => pitr.days);
            if (days === UNKNOWN) continue;
            const period = days ?? PITR_MAX_DAYS;
            if (period < min) {
                report(
                    `The ${LABEL} '${table.name}' keeps point-in-time recovery ${plural(period, "day")}; this environment requires at least ${min}.`,
                    table.urn,
                );
            }
        }
    },
};

const deletionSchema = settingsSchema({ properties: { ...exemptionsSetting } });

/** An unknown flag counts in the stack's favour, judged again at `pulumi up`. */
export const dynamodbDeletionProtection: StackValidationPolicy = {
    name: "dynamodb-deletion-protection",
    description: "Every DynamoDB table has deletion protection on.",
    enforcementLevel: "mandatory",
    configSchema: deletionSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(deletionSchema, args.getConfig());
        for (const table of storesInScope(args, report, "dynamodb-deletion-protection", ["dynamodbTable"], exemptions)) {
            const on = known(() => table.props.deletionProtectionEnabled as boolean | undefined);
            if (on === UNKNOWN || on === true) continue;
            report(
                `The ${LABEL} '${table.name}' has deletion protection off (deletionProtectionEnabled is not true); this environment requires it, so that no one deletes the table by mistake.`,
                table.urn,
            );
        }
    },
};

// --- copies in another region -----------------------------------------------------------------

const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:([\w-]*):\d*:table\/([^/]+)$/;

/** Whether a TableReplica replicates this table: yes, no, or unknown at preview (counts as yes). */
export function replicaOf(replica: PolicyResource, table: PolicyResource, tables: PolicyResource[]): boolean | typeof UNKNOWN {
    const linked = (replica.propertyDependencies.globalTableArn ?? []).filter((d) => tables.includes(d));
    if (linked.length > 0) return linked.includes(table);
    const arn = known(() => replica.props.globalTableArn as string | undefined);
    if (arn === UNKNOWN) return UNKNOWN; // built from something the stack cannot see: may be this table
    if (typeof arn !== "string") return false;
    if (arn === known(() => table.props.arn)) return true;
    const m = TABLE_ARN.exec(arn);
    if (!m) return false;
    const name = known(() => table.props.name as string | undefined);
    const home = regionOf(table);
    if (name === UNKNOWN) return UNKNOWN;
    return m[2] === name && (typeof home !== "string" || m[1] === home);
}

/** Whether a legacy GlobalTable groups this table: by the property dependency of `name`, or the same known name. */
export function globalTableOf(global: PolicyResource, table: PolicyResource): boolean | typeof UNKNOWN {
    if ((global.propertyDependencies.name ?? []).some((d) => d.urn === table.urn)) return true;
    const [a, b] = [known(() => global.props.name as string | undefined), known(() => table.props.name as string | undefined)];
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    return a !== undefined && a === b;
}

/** Whether some replica mechanism puts a copy of the table in another region (unknown counts as yes). */
function replicatedElsewhere(table: PolicyResource, resources: PolicyResource[]): boolean {
    const home = regionOf(table);
    const elsewhere = (region: Maybe<string | undefined>) =>
        region === UNKNOWN || (typeof region === "string" && otherRegion(region, home));
    const replicas = known(() => ((table.props.replicas ?? []) as { regionName?: string }[]).map((r) => known(() => r.regionName)));
    if (replicas === UNKNOWN || replicas.some(elsewhere)) return true;
    const tables = resources.filter(is(DynamodbTypes.table));
    for (const replica of resources.filter(is(DynamodbTypes.tableReplica))) {
        if (replicaOf(replica, table, tables) !== false && elsewhere(regionOf(replica) ?? UNKNOWN)) return true;
    }
    for (const global of resources.filter(is(DynamodbTypes.globalTable))) {
        if (globalTableOf(global, table) === false) continue;
        const regions = known(() => ((global.props.replicas ?? []) as { regionName?: string }[]).map((r) => known(() => r.regionName)));
        if (regions === UNKNOWN || regions.some(elsewhere)) return true;
    }
    return false;
}

/**
 * AWS Backup copies DynamoDB backups to another region only with its advanced DynamoDB features
 * ("full management"), on by default for accounts that began using AWS Backup after November 2021
 * and turned on by a backup plan's first backup; an aws.backup.RegionSettings in the table's region
 * that sets resourceTypeManagementPreference.DynamoDB to false turns them off
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html).
 */
function advancedBackupOff(table: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
    const home = regionOf(table);
    return resources.filter(is(DynamodbTypes.regionSettings)).find((s) => {
        const region = regionOf(s);
        const sameRegion = typeof region !== "string" || typeof home !== "string" || region === home;
        return (
            sameRegion && known(() => (s.props.resourceTypeManagementPreference as Record<string, boolean> | undefined)?.DynamoDB) === false
        );
    });
}

const copySchema = settingsSchema({ properties: { ...exemptionsSetting } });

/**
 * An unknown replica list, replica region, replica link or Backup rule counts in the stack's favour,
 * judged again at `pulumi up`.
 */
export const dynamodbCrossRegionCopy: StackValidationPolicy = {
    name: "dynamodb-cross-region-copy",
    description:
        "Every DynamoDB table has a copy in another region: a global-table replica (replicas on the table, aws.dynamodb.TableReplica or a legacy aws.dynamodb.GlobalTable) or an AWS Backup copy action to a vault in another region.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(copySchema, args.getConfig());
        for (const table of storesInScope(args, report, "dynamodb-cross-region-copy", ["dynamodbTable"], exemptions)) {
            if (replicatedElsewhere(table, args.resources)) continue;
            const off = advancedBackupOff(table, args.resources);
            let found: string;
            if (off) {
                found = `AWS Backup cannot copy it, because the aws.backup.RegionSettings '${off.name}' turns off AWS Backup's advanced DynamoDB features (resourceTypeManagementPreference DynamoDB is false)`;
            } else {
                const backup = backupCopyToOtherRegion(table, args.resources);
                if (backup.copied) continue;
                found = backup.found;
            }
            const home = regionOf(table);
            const where = typeof home === "string" ? ` in ${home}` : "";
            report(
                `The ${LABEL} '${table.name}'${where} has no copy in another region: no replica in another region (replicas[].regionName on the table, or an aws.dynamodb.TableReplica), and ${found}; this environment requires one or the other.`,
                table.urn,
            );
        }
    },
};

export const dynamodbPolicies = [dynamodbPointInTimeRecovery, dynamodbDeletionProtection, dynamodbCrossRegionCopy];

const TABLE = [DynamodbTypes.table];
const BACKUP = ["aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vault:Vault"];

export const dynamodbReference: Record<string, PolicyReference> = {
    "dynamodb-point-in-time-recovery": {
        resources: TABLE,
        unknown: "an unknown flag or recovery period counts in the stack's favour; judged again at `pulumi up`",
        protectsData: true,
        anchors: "AWS Config dynamodb-pitr-enabled, Checkov CKV_AWS_28; goes beyond them with a minimum recovery period",
    },
    "dynamodb-deletion-protection": {
        resources: TABLE,
        unknown: "an unknown flag counts in the stack's favour; judged again at `pulumi up`",
        protectsData: true,
        anchors: "AWS Config dynamodb-table-deletion-protection-enabled",
    },
    "dynamodb-cross-region-copy": {
        resources: [...TABLE, DynamodbTypes.tableReplica, DynamodbTypes.globalTable, DynamodbTypes.regionSettings, ...BACKUP],
        unknown:
            "an unknown replica list, replica region, replica link or Backup rule counts in the stack's favour; judged again at `pulumi up`",
        protectsData: true,
        anchors:
            "AWS Config dynamodb-in-backup-plan, dynamodb-resources-protected-by-backup-plan (with crossRegionList); goes beyond them by also accepting global-table replicas and by requiring the copy in the stack itself",
    },
};
