// AWS Backup plans themselves: every plan of the stack backs up often enough (a rule at least every
// N hours, or continuous backup for the stores that support it), keeps its recovery points long
// enough (a rule keeping them at least N days), copies them to a vault in another region (kept at
// least N days there), and that destination vault is under a Vault Lock that keeps them at least N
// days, in compliance mode where required. A plan that no selection of the stack uses backs up
// nothing, which is most likely a mistake (advisory).
//
// Whether a data store is backed up at all, and copied to another region, is each store's own rule
// (scope.ts backupCopyToOtherRegion); here the plans are judged, whoever wrote them.
//
// Links at preview: a selection names its plan through the planId dependency; a copy action's
// destination vault through its ARN when known, else through the plan rules' dependency on the vault
// (scope.ts backupRules); a lock names its vault through the backupVaultName dependency, or through
// the vault name we set (known at preview). A value unknown at preview (rules, a schedule, a
// destination, a lock's days or mode) counts in the stack's favour and is judged again at `pulumi up`.
//
// Schedules: AWS Backup reads 6-field AWS cron expressions, `cron(min hour day-of-month month
// day-of-week year)`, in UTC unless scheduleExpressionTimezone says otherwise; a rule without one runs
// `cron(0 5 ? * * *)`, daily (BackupRuleInput.ScheduleExpression,
// https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html).
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    BackupRule,
    backupPlansOf,
    backupRules,
    BackupTypes,
    ConfiguredExemption,
    DATA_STORE_TYPES,
    exemptionOf,
    exemptionsSetting,
    otherRegion,
    regionOf,
    resourcesInScope,
    StoreKindName,
    StoreKinds,
    storeKindOf,
} from "./scope";
import { PolicyReference } from "./types";
import { is, known, longestGapHours, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

/** A logically air-gapped vault: locked in compliance mode by AWS itself, with its own min and max retention. */
const AIR_GAPPED_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";

/** What AWS Backup runs a rule without a schedule on. */
export const DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";

/**
 * Stores whose continuous backup AWS Backup supports (point-in-time recovery): Amazon S3, Amazon RDS
 * and Aurora (and SAP HANA on EC2, no store of this pack).
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
 */
const CONTINUOUS_KINDS: readonly StoreKindName[] = ["s3Bucket", "rdsInstance", "rdsCluster"];

// --- shared -----------------------------------------------------------------------------------

type Settings<T> = T & { exemptions: ConfiguredExemption[] };

/** A plan's rules, read whole inside known(): an unknown nested value counts for this plan alone. */
function rulesOf(plan: PolicyResource, resources: PolicyResource[]): BackupRule[] | typeof UNKNOWN {
    const rules = known(() => backupRules(plan, resources));
    return rules === UNKNOWN ? UNKNOWN : rules;
}

/** The data stores of the stack a plan backs up, as far as preview can tell. */
function storesOf(plan: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    return resources
        .filter(is(...DATA_STORE_TYPES))
        .filter((s) => exemptionOf(s) === undefined && backupPlansOf(s, resources).some((p) => p.plan === plan));
}

const where = (region: Maybe<string | undefined>) => (typeof region === "string" ? region : "its own region");
const names = (rs: PolicyResource[]) => rs.map((r) => `${StoreKinds[storeKindOf(r)!].label} '${r.name}'`).join(", ");

// --- backup-plan-frequency --------------------------------------------------------------------

const frequencySchema = settingsSchema({
    properties: {
        maxIntervalHours: {
            type: "integer" as const,
            minimum: 1,
            default: 24,
            description: "The longest time allowed between two backups of a plan.",
        },
        ...exemptionsSetting,
    },
});

export const backupPlanFrequency: StackValidationPolicy = {
    name: "backup-plan-frequency",
    description:
        "Every AWS Backup plan has a rule that backs up at least every N hours (its schedule, or continuous backup for the stores that support it: S3, RDS, Aurora).",
    enforcementLevel: "mandatory",
    configSchema: frequencySchema,
    validateStack: (args, report) => {
        const { maxIntervalHours: max, exemptions } = settingsOf<Settings<{ maxIntervalHours: number }>>(frequencySchema, args.getConfig());
        const requirement = `this environment requires a backup at least every ${plural(max, "hour")}`;
        for (const plan of resourcesInScope(args, report, backupPlanFrequency.name, [BackupTypes.plan], exemptions)) {
            const rules = rulesOf(plan, args.resources);
            if (rules === UNKNOWN) continue;
            if (rules.length === 0) {
                report(`The AWS Backup plan '${plan.name}' has no rule, so it backs nothing up; ${requirement}.`, plan.urn);
                continue;
            }
            // Continuous backup counts for the stores that support it, when every store the plan covers does.
            if (rules.some((r) => r.continuous !== false)) {
                const unsupported = storesOf(plan, args.resources).filter((s) => !CONTINUOUS_KINDS.includes(storeKindOf(s)!));
                if (unsupported.length === 0) continue;
                const judged = judgeSchedules(rules, max);
                if (judged.ok) continue;
                report(
                    `The AWS Backup plan '${plan.name}' backs up continuously only S3 buckets, RDS instances and Aurora clusters, and also selects the ${names(unsupported)}, which ${judged.what}; ${requirement}.`,
                    plan.urn,
                );
                continue;
            }
            const judged = judgeSchedules(rules, max);
            if (!judged.ok) report(`The AWS Backup plan '${plan.name}' ${judged.what}; ${requirement}.`, plan.urn);
        }
    },
};

/** The plan's best schedule against the limit: ok, or what it does instead (for the message). */
function judgeSchedules(rules: BackupRule[], max: number): { ok: true } | { ok: false; what: string } {
    const gaps = rules.map((r) => {
        const schedule = r.schedule === UNKNOWN ? UNKNOWN : (r.schedule ?? DEFAULT_SCHEDULE);
        const gap: Maybe<number | undefined> = schedule === UNKNOWN ? UNKNOWN : longestGapHours(schedule);
        return { rule: r, schedule, gap };
    });
    if (gaps.some((g) => g.gap === UNKNOWN || (typeof g.gap === "number" && g.gap <= max))) return { ok: true };
    const readable = gaps
        .filter((g): g is typeof g & { gap: number; schedule: string } => typeof g.gap === "number")
        .sort((a, b) => a.gap - b.gap);
    if (readable.length > 0) {
        const best = readable[0];
        const how = best.rule.schedule === undefined ? `no schedule, which AWS Backup runs as ${DEFAULT_SCHEDULE}` : best.schedule;
        const hours = Number.isInteger(best.gap) ? plural(best.gap, "hour") : `${best.gap.toFixed(1)} hours`;
        return { ok: false, what: `backs up at most every ${hours} (rule '${best.rule.name}': ${how})` };
    }
    const first = gaps[0];
    return { ok: false, what: `runs rule '${first.rule.name}' on ${String(first.schedule)}, a schedule this guard cannot read` };
}

// --- backup-plan-retention --------------------------------------------------------------------

const retentionSchema = settingsSchema({
    properties: {
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            default: 35,
            description: "The fewest days a plan's rule keeps its recovery points.",
        },
        ...exemptionsSetting,
    },
});

export const backupPlanRetention: StackValidationPolicy = {
    name: "backup-plan-retention",
    description:
        "Every AWS Backup plan has a rule that keeps its recovery points at least N days (lifecycle.deleteAfter; none set keeps them until deleted).",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<Settings<{ minRetentionDays: number }>>(retentionSchema, args.getConfig());
        for (const plan of resourcesInScope(args, report, backupPlanRetention.name, [BackupTypes.plan], exemptions)) {
            const rules = rulesOf(plan, args.resources);
            if (rules === UNKNOWN || rules.length === 0) continue; // no rule: backup-plan-frequency says so
            const days = rules.map((r) => r.retentionDays);
            if (days.some((d) => d === UNKNOWN || d === undefined || d >= min)) continue;
            const longest = rules.reduce((a, b) => ((b.retentionDays as number) > (a.retentionDays as number) ? b : a));
            report(
                `The AWS Backup plan '${plan.name}' keeps recovery points at most ${plural(longest.retentionDays as number, "day")} (rule '${longest.name}'); this environment requires at least ${min}.`,
                plan.urn,
            );
        }
    },
};

// --- backup-plan-copy-to-other-region ---------------------------------------------------------

const copySchema = settingsSchema({
    properties: {
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            default: 35,
            description: "The fewest days the copies in the other region are kept.",
        },
        ...exemptionsSetting,
    },
});

export const backupPlanCopyToOtherRegion: StackValidationPolicy = {
    name: "backup-plan-copy-to-other-region",
    description:
        "Every AWS Backup plan copies its recovery points to a vault in another region (a copy action of a rule), and keeps the copies at least N days.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<Settings<{ minRetentionDays: number }>>(copySchema, args.getConfig());
        for (const plan of resourcesInScope(args, report, backupPlanCopyToOtherRegion.name, [BackupTypes.plan], exemptions)) {
            const rules = rulesOf(plan, args.resources);
            if (rules === UNKNOWN) continue;
            const home = regionOf(plan);
            const away = rules.flatMap((rule) => rule.copies.filter((c) => otherRegion(c.region, home)).map((copy) => ({ rule, copy })));
            if (away.length === 0) {
                const within = rules.flatMap((r) => r.copies).length;
                const found = within === 0 ? "has no copy action" : `copies only within ${where(home)}`;
                report(
                    `The AWS Backup plan '${plan.name}' ${found}; this environment requires a copy action to a vault in another region (destinationVaultArn), so that its recovery points outlive the region.`,
                    plan.urn,
                );
                continue;
            }
            const days = away.map(({ copy }) => copy.retentionDays);
            if (days.some((d) => d === UNKNOWN || d === undefined || d >= min)) continue;
            const { rule, copy } = away[0];
            const to = copy.vault ? `vault '${copy.vault.name}' in ${where(copy.region)}` : `a vault in ${where(copy.region)}`;
            report(
                `The AWS Backup plan '${plan.name}' keeps its copies in ${to} ${plural(copy.retentionDays as number, "day")} (rule '${rule.name}'); this environment requires at least ${min}.`,
                plan.urn,
            );
        }
    },
};

// --- backup-vault-lock ------------------------------------------------------------------------

const lockSchema = settingsSchema({
    properties: {
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            default: 35,
            description: "The fewest days the lock of a copy's vault must enforce (minRetentionDays).",
        },
        requireComplianceMode: {
            type: "boolean" as const,
            default: true,
            description:
                "Whether the lock must be in compliance mode (changeableForDays set), which no one can lift once its grace time is over.",
        },
        ...exemptionsSetting,
    },
});

interface Lock {
    readonly lock: PolicyResource;
    readonly min: Maybe<number | undefined>;
    readonly max: Maybe<number | undefined>;
    readonly changeableForDays: Maybe<number | undefined>;
}

/** The vault lock configurations of a vault: by dependency, or by its known name in a region not known to differ. */
function locksOf(vault: PolicyResource, resources: PolicyResource[]): Lock[] {
    const name = known(() => vault.props.name as string | undefined);
    return resources
        .filter(is(BackupTypes.vaultLock))
        .filter((l) => {
            if ((l.propertyDependencies.backupVaultName ?? []).some((d) => d.urn === vault.urn)) return true;
            const theirs = known(() => l.props.backupVaultName as string | undefined);
            const [a, b] = [regionOf(l), regionOf(vault)];
            const sameRegion = !(typeof a === "string" && typeof b === "string" && a !== b);
            return typeof name === "string" && theirs === name && sameRegion;
        })
        .map((lock) => ({
            lock,
            min: known(() => lock.props.minRetentionDays as number | undefined),
            max: known(() => lock.props.maxRetentionDays as number | undefined),
            changeableForDays: known(() => lock.props.changeableForDays as number | undefined),
        }));
}

export const backupVaultLock: StackValidationPolicy = {
    name: "backup-vault-lock",
    description:
        "The vault an AWS Backup plan copies to is under a Vault Lock that keeps recovery points at least N days, in compliance mode where required, and that admits the copies' retention.",
    enforcementLevel: "mandatory",
    configSchema: lockSchema,
    validateStack: (args, report) => {
        const {
            minRetentionDays: min,
            requireComplianceMode,
            exemptions,
        } = settingsOf<Settings<{ minRetentionDays: number; requireComplianceMode: boolean }>>(lockSchema, args.getConfig());
        const requirement = `this environment requires a vault lock that keeps recovery points at least ${plural(min, "day")}`;
        const judged = new Set<PolicyResource>();
        for (const plan of resourcesInScope(args, report, backupVaultLock.name, [BackupTypes.plan], exemptions)) {
            const rules = rulesOf(plan, args.resources);
            if (rules === UNKNOWN) continue;
            for (const rule of rules) {
                for (let i = 0; i < rule.copies.length; i++) {
                    const copy = rule.copies[i];
                    if (copy.vault === undefined) {
                        // Known only by an ARN no vault of the stack has: its lock cannot be seen here.
                        const arn = known(
                            () => (plan.props.rules as any[])[rules.indexOf(rule)].copyActions[i].destinationVaultArn as unknown,
                        );
                        if (typeof arn !== "string") continue;
                        const airGapped = args.resources.filter(is(AIR_GAPPED_VAULT)).find((v) => known(() => v.props.arn) === arn);
                        if (airGapped) {
                            const days = known(() => airGapped.props.minRetentionDays as number | undefined);
                            if (typeof days === "number" && days < min) {
                                report(
                                    `The logically air-gapped vault '${airGapped.name}' that AWS Backup plan '${plan.name}' copies to keeps recovery points at least ${plural(days, "day")}; ${requirement}.`,
                                    airGapped.urn,
                                );
                            }
                            continue;
                        }
                        report(
                            `The AWS Backup plan '${plan.name}' copies to ${arn}, a vault this stack does not declare, so its vault lock cannot be verified; declare the vault and its aws.backup.VaultLockConfiguration in the stack, or exempt the plan with a reason.`,
                            plan.urn,
                        );
                        continue;
                    }
                    const vault = copy.vault;
                    if (exemptionOf(vault, exemptions) !== undefined) continue;
                    const locks = locksOf(vault, args.resources);
                    if (!judged.has(vault)) {
                        judged.add(vault);
                        if (locks.length === 0) {
                            report(
                                `The AWS Backup vault '${vault.name}' that plan '${plan.name}' copies to has no vault lock (an aws.backup.VaultLockConfiguration); ${requirement}.`,
                                vault.urn,
                            );
                        }
                        for (const { lock, min: days, changeableForDays } of locks) {
                            if (days !== UNKNOWN && (days === undefined || days < min)) {
                                const kept =
                                    days === undefined
                                        ? "sets no minimum retention (minRetentionDays)"
                                        : `keeps recovery points at least ${plural(days, "day")}`;
                                report(
                                    `The vault lock '${lock.name}' of AWS Backup vault '${vault.name}' ${kept}; ${requirement}.`,
                                    lock.urn,
                                );
                            }
                            if (requireComplianceMode && changeableForDays === undefined) {
                                report(
                                    `The vault lock '${lock.name}' of AWS Backup vault '${vault.name}' is in governance mode (no changeableForDays), which anyone with the IAM permission can remove; this environment requires compliance mode.`,
                                    lock.urn,
                                );
                            }
                        }
                    }
                    // A lock refuses copy jobs whose retention lies outside its bounds: AWS Backup fails them.
                    const kept = copy.retentionDays;
                    if (typeof kept !== "number") continue;
                    for (const { lock, min: low, max: high } of locks) {
                        const bound =
                            typeof low === "number" && kept < low
                                ? `below its minimum of ${plural(low, "day")}`
                                : typeof high === "number" && kept > high
                                  ? `above its maximum of ${plural(high, "day")}`
                                  : undefined;
                        if (bound) {
                            report(
                                `The AWS Backup plan '${plan.name}' keeps its copies in vault '${vault.name}' ${plural(kept, "day")} (rule '${rule.name}'), ${bound} in the vault lock '${lock.name}', so AWS Backup would fail every copy job.`,
                                plan.urn,
                            );
                        }
                    }
                }
            }
        }
    },
};

// --- backup-plan-has-selection ----------------------------------------------------------------

const selectionSchema = settingsSchema({ properties: { ...exemptionsSetting } });

export const backupPlanHasSelection: StackValidationPolicy = {
    name: "backup-plan-has-selection",
    description:
        "Every AWS Backup plan has a selection in the stack (an aws.backup.Selection of its planId); a plan without one backs nothing up.",
    // Mandatory like every policy of the pack (a run without a config file is as strict as
    // production); a plan whose selection lives in another stack is exempted with its reason.
    enforcementLevel: "mandatory",
    configSchema: selectionSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<Settings<object>>(selectionSchema, args.getConfig());
        const selections = args.resources.filter(is(BackupTypes.selection));
        for (const plan of resourcesInScope(args, report, backupPlanHasSelection.name, [BackupTypes.plan], exemptions)) {
            const used = selections.some((s) => {
                if ((s.propertyDependencies.planId ?? []).length > 0)
                    return (s.propertyDependencies.planId ?? []).some((d) => d.urn === plan.urn);
                const id = known(() => s.props.planId as unknown);
                return id === UNKNOWN || id === known(() => plan.props.id);
            });
            if (!used) {
                report(
                    `The AWS Backup plan '${plan.name}' has no selection in this stack (an aws.backup.Selection with its planId), so it backs nothing up; select the stores it is meant for, or exempt the plan with the reason where its selection lives in another stack.`,
                    plan.urn,
                );
            }
        }
    },
};

export const backupPolicies = [
    backupPlanFrequency,
    backupPlanRetention,
    backupPlanCopyToOtherRegion,
    backupVaultLock,
    backupPlanHasSelection,
];

const PLAN_TYPES = [BackupTypes.plan, BackupTypes.selection, ...DATA_STORE_TYPES];
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";

export const backupReference: Record<string, PolicyReference> = {
    "backup-plan-frequency": {
        resources: PLAN_TYPES,
        unknown: `unknown rules, schedules or continuous flags ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config backup-plan-min-frequency-and-min-retention-check (frequency); beyond: continuous backup only for the stores that support it",
    },
    "backup-plan-retention": {
        resources: [BackupTypes.plan],
        unknown: `unknown rules or retention ${FAVOUR}`,
        protectsData: true,
        anchors: "AWS Config backup-plan-min-frequency-and-min-retention-check (retention), backup-recovery-point-minimum-retention-check",
    },
    "backup-plan-copy-to-other-region": {
        resources: [BackupTypes.plan, BackupTypes.vault],
        unknown: `an unknown destination vault, region or copy retention ${FAVOUR}`,
        protectsData: true,
        anchors:
            "none: the anchors check cross-region copies per resource (AWS Config *-resources-protected-by-backup-plan with crossRegionList), not in the plan; we add the copies' retention",
    },
    "backup-vault-lock": {
        resources: [BackupTypes.plan, BackupTypes.vault, BackupTypes.vaultLock, AIR_GAPPED_VAULT],
        unknown: `an unknown destination, lock days or mode ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config *-resources-protected-by-backup-plan with backupVaultLockCheck and minRetentionDays; beyond: on the cross-region copy's vault, compliance mode, and copy retention within the lock's bounds",
    },
    "backup-plan-has-selection": {
        resources: [BackupTypes.plan, BackupTypes.selection],
        unknown: `an unknown planId may be the plan's: ${FAVOUR}`,
        protectsData: false,
        anchors: "none: a plan without a selection is invisible to the anchors",
    },
};
