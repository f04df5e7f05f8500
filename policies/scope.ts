// What is data, for the whole pack: every resource of a data-holding type is a data store, whoever
// wrote the program and whatever its tags say — S3 buckets, Atlas clusters, OpenSearch domains, RDS
// instances and clusters, DynamoDB tables, EFS file systems, ElastiCache and MemoryDB, Redshift,
// DocumentDB and Neptune clusters, EBS volumes. Tags may only say more: that a store needs no DR
// (`continuity-dr = none` with a reason), or what role a bucket plays (infra/tags.ts).
//
// Also here, because every store's rules need them: where a resource lives (regionOf), its tags
// (tagsOf), exemptions (by tag, or listed in a policy's `exemptions` setting), and AWS Backup — which
// plans back a store up, how often, for how long, and whether a copy action takes the recovery
// points to a vault in another region.
//
// This module imports no other policy module (they import it), so it names its type tokens itself.
import { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import picomatch from "picomatch";
import { TagKeys } from "../infra/tags";
import { is, known, Maybe, UNKNOWN } from "./util";

export interface StoreKind {
    /** What the messages call one: "RDS instance". */
    readonly label: string;
    readonly types: readonly string[];
    /** The AWS service in its ARNs and the resource part before the name, for Backup selections. */
    readonly arn?: { readonly service: string; readonly resource: string; readonly name: readonly string[] };
}

/** Every data-holding resource type the pack knows, by kind. */
export const StoreKinds = {
    s3Bucket: {
        label: "S3 bucket",
        types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
        arn: { service: "s3", resource: "", name: ["bucket"] },
    },
    atlasCluster: {
        label: "Atlas cluster",
        types: ["mongodbatlas:index/advancedCluster:AdvancedCluster", "mongodbatlas:index/cluster:Cluster"],
    },
    searchDomain: { label: "OpenSearch domain", types: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"] },
    rdsInstance: {
        label: "RDS instance",
        types: ["aws:rds/instance:Instance"],
        arn: { service: "rds", resource: "db:", name: ["identifier"] },
    },
    rdsCluster: {
        label: "RDS cluster",
        types: ["aws:rds/cluster:Cluster"],
        arn: { service: "rds", resource: "cluster:", name: ["clusterIdentifier"] },
    },
    dynamodbTable: {
        label: "DynamoDB table",
        types: ["aws:dynamodb/table:Table"],
        arn: { service: "dynamodb", resource: "table/", name: ["name"] },
    },
    efsFileSystem: {
        label: "EFS file system",
        types: ["aws:efs/fileSystem:FileSystem"],
        arn: { service: "elasticfilesystem", resource: "file-system/", name: [] },
    },
    elasticacheReplicationGroup: { label: "ElastiCache replication group", types: ["aws:elasticache/replicationGroup:ReplicationGroup"] },
    elasticacheCluster: { label: "ElastiCache cluster", types: ["aws:elasticache/cluster:Cluster"] },
    memorydbCluster: { label: "MemoryDB cluster", types: ["aws:memorydb/cluster:Cluster"] },
    redshiftCluster: {
        label: "Redshift cluster",
        types: ["aws:redshift/cluster:Cluster"],
        arn: { service: "redshift", resource: "cluster:", name: ["clusterIdentifier"] },
    },
    docdbCluster: {
        label: "DocumentDB cluster",
        types: ["aws:docdb/cluster:Cluster"],
        arn: { service: "rds", resource: "cluster:", name: ["clusterIdentifier"] },
    },
    neptuneCluster: {
        label: "Neptune cluster",
        types: ["aws:neptune/cluster:Cluster"],
        arn: { service: "rds", resource: "cluster:", name: ["clusterIdentifier"] },
    },
    ebsVolume: { label: "EBS volume", types: ["aws:ebs/volume:Volume"], arn: { service: "ec2", resource: "volume/", name: [] } },
} as const satisfies Record<string, StoreKind>;
export type StoreKindName = keyof typeof StoreKinds;

export const DATA_STORE_TYPES: readonly string[] = Object.values(StoreKinds).flatMap((k) => k.types);

/** The kind of data store a resource is, by its type token alone; undefined for anything else. */
export function storeKindOf(r: { type: string }): StoreKindName | undefined {
    return (Object.keys(StoreKinds) as StoreKindName[]).find((k) => (StoreKinds[k].types as readonly string[]).includes(r.type));
}

/**
 * A resource's tags whose values are known: AWS's map of tags, or Atlas's list of {key, value}. An
 * unknown tag counts as unset, which leaves the resource out of what its tags would make it (in the
 * stack's favour at preview, and never an exemption), instead of the SDK skipping the policy.
 */
export function tagsOf(r: PolicyResource): Record<string, string> {
    const tags = known(() => r.props.tags as unknown);
    if (tags === UNKNOWN || tags === undefined || tags === null) return {};
    if (Array.isArray(tags)) {
        // By index: iterating would read an entry unknown at preview outside known().
        return Object.fromEntries(
            Array.from({ length: tags.length }, (_, i) =>
                known(() => ({ key: tags[i].key as unknown, value: tags[i].value as unknown })),
            ).flatMap((kv) => (kv !== UNKNOWN && typeof kv.key === "string" && typeof kv.value === "string" ? [[kv.key, kv.value]] : [])),
        );
    }
    const map = tags as Record<string, unknown>;
    return Object.fromEntries(
        Object.keys(map).flatMap((k) => {
            const v = known(() => map[k]);
            return typeof v === "string" ? [[k, v]] : [];
        }),
    );
}

/** One tag's value: UNKNOWN when the tags or that tag are unknown at preview (it may hold any value). */
function tagValue(r: PolicyResource, key: string): Maybe<string | undefined> {
    if (key in tagsOf(r)) return tagsOf(r)[key];
    return known(() => {
        const tags = r.props.tags as unknown;
        if (tags === undefined || tags === null) return undefined;
        if (Array.isArray(tags)) {
            for (let i = 0; i < tags.length; i++) if (tags[i].key === key) return tags[i].value as string | undefined;
            return undefined;
        }
        const v = (tags as Record<string, unknown>)[key];
        return typeof v === "string" ? v : undefined;
    });
}

/** The region a resource lives in: its own `region` (aws v7), else its provider's. */
export function regionOf(r: PolicyResource): Maybe<string | undefined> {
    const own = known(() => r.props.region as string | undefined);
    if (own !== undefined) return own;
    return r.provider ? known(() => r.provider!.props.region as string | undefined) : undefined;
}

/** Two regions both known, and different. */
const otherRegionKnown = (a: Maybe<string | undefined>, b: Maybe<string | undefined>) =>
    typeof a === "string" && typeof b === "string" && a !== "" && b !== "" && a !== b;

/** Two regions that are known to differ; an unknown or unset region may be another one. */
export function otherRegion(a: Maybe<string | undefined>, b: Maybe<string | undefined>): boolean {
    return a === UNKNOWN || b === UNKNOWN || a === undefined || b === undefined || a !== b;
}

// --- exemptions -------------------------------------------------------------------------------

/** An entry of a policy's `exemptions` setting. `name` and `urn` are globs (`*` matches anything). */
export interface ConfiguredExemption {
    type?: string;
    name?: string;
    urn?: string;
    reason?: string;
}

export interface Exemption {
    readonly by: "tag" | "config";
    readonly reason: string;
}

/** The config-schema property every data policy takes: stores it need not judge, each with a reason. */
export const exemptionsSetting = {
    exemptions: {
        type: "array" as const,
        description:
            "Data stores this policy does not judge: each entry names a resource type and/or a name or URN glob (`*` matches anything), and the reason (an entry without one is a violation and exempts nothing).",
        items: {
            type: "object" as const,
            properties: {
                type: { type: "string" as const },
                name: { type: "string" as const },
                urn: { type: "string" as const },
                reason: { type: "string" as const },
            },
            additionalProperties: false,
        },
        default: [] as ConfiguredExemption[],
    },
};

const glob = (pattern: string, value: string) => picomatch.isMatch(value, pattern, { bash: true, dot: true });

/** Whether a configured entry names this resource (an entry that names nothing names nothing). */
export function exemptionMatches(e: ConfiguredExemption, r: { type: string; name: string; urn: string }): boolean {
    if (e.type === undefined && e.name === undefined && e.urn === undefined) return false;
    return (
        (e.type === undefined || e.type === r.type) &&
        (e.name === undefined || glob(e.name, r.name)) &&
        (e.urn === undefined || glob(e.urn, r.urn))
    );
}

const hasReason = (reason: unknown): reason is string => typeof reason === "string" && reason.trim().length > 0;

/** The tag exemption of a resource: `continuity-dr = none`, with or without its reason. */
export function tagExemption(r: PolicyResource): { reason?: string } | undefined {
    const tags = tagsOf(r);
    if (tags[TagKeys.dr]?.trim().toLowerCase() !== "none") return undefined;
    return { reason: hasReason(tags[TagKeys.drReason]) ? tags[TagKeys.drReason].trim() : undefined };
}

/** Why a store is not judged by a policy with these configured exemptions; undefined when it is. */
export function exemptionOf(r: PolicyResource, configured: readonly ConfiguredExemption[] = []): Exemption | undefined {
    const byTag = tagExemption(r);
    if (byTag?.reason) return { by: "tag", reason: byTag.reason };
    const entry = configured.find((e) => hasReason(e.reason) && exemptionMatches(e, r));
    return entry ? { by: "config", reason: entry.reason!.trim() } : undefined;
}

/** Reports each configured exemption without a reason: it is a violation, and it exempts nothing. */
export function reportReasonlessExemptions(policy: string, configured: readonly ConfiguredExemption[], report: ReportViolation): void {
    for (const e of configured) {
        if (hasReason(e.reason)) continue;
        const what =
            [e.type && `type ${e.type}`, e.name && `name ${e.name}`, e.urn && `URN ${e.urn}`].filter(Boolean).join(", ") || "nothing";
        report(`The exemption from '${policy}' for ${what} gives no reason; an exemption needs one, so this one exempts nothing.`);
    }
}

/**
 * The resources of these types a stack policy judges: every one in the stack, minus those exempted
 * by tag or by the policy's `exemptions` setting. Reasonless entries of that setting are reported
 * here, as the policy's own violations.
 */
export function resourcesInScope(
    args: Pick<StackValidationArgs, "resources">,
    report: ReportViolation,
    policy: string,
    types: readonly string[],
    exemptions: readonly ConfiguredExemption[] = [],
): PolicyResource[] {
    reportReasonlessExemptions(policy, exemptions, report);
    return args.resources.filter(is(...types)).filter((r) => exemptionOf(r, exemptions) === undefined);
}

/** The data stores of these kinds a stack policy judges (resourcesInScope by kind). */
export function storesInScope(
    args: Pick<StackValidationArgs, "resources">,
    report: ReportViolation,
    policy: string,
    kinds: readonly StoreKindName[],
    exemptions: readonly ConfiguredExemption[] = [],
): PolicyResource[] {
    return resourcesInScope(
        args,
        report,
        policy,
        kinds.flatMap((k) => StoreKinds[k].types as readonly string[]),
        exemptions,
    );
}

/**
 * For a resource policy, which sees one resource: whether it is exempted (by its own tags or an entry
 * of the setting that names it); the reasonless entries that name it are reported on it.
 */
export function resourceExempted(
    args: Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props">,
    report: ReportViolation,
    policy: string,
    exemptions: readonly ConfiguredExemption[] = [],
): boolean {
    const resource = { type: args.type, name: args.name, urn: args.urn, props: args.props } as unknown as PolicyResource;
    reportReasonlessExemptions(
        policy,
        exemptions.filter((e) => exemptionMatches(e, resource)),
        report,
    );
    return exemptionOf(resource, exemptions) !== undefined;
}

// --- AWS Backup -------------------------------------------------------------------------------

export const BackupTypes = {
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    vault: "aws:backup/vault:Vault",
    vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
} as const;

/** One rule of a Backup plan that backs a store up, as far as preview can tell. */
export interface BackupRule {
    readonly plan: PolicyResource;
    readonly name: string;
    /** The rule's schedule expression; undefined when it has none, which AWS Backup runs as cron(0 5 ? * * *) (daily). */
    readonly schedule: Maybe<string | undefined>;
    readonly continuous: Maybe<boolean>;
    /** Days the recovery points are kept; undefined: kept until deleted by hand. */
    readonly retentionDays: Maybe<number | undefined>;
    /** One entry per copy action: the destination vault's region (UNKNOWN when preview cannot tell). */
    readonly copies: readonly { region: Maybe<string | undefined>; retentionDays: Maybe<number | undefined>; vault?: PolicyResource }[];
}

const ARN = /^arn:aws[\w-]*:([\w-]+):([\w*-]*):([\w*]*):(.*)$/;

/** The region of a vault named by a property of `r` (an ARN, or a resource of the stack it was built from). */
function vaultRegion(
    r: PolicyResource,
    property: string,
    arn: Maybe<unknown>,
    resources: PolicyResource[],
    ownVault?: Maybe<unknown>,
): { region: Maybe<string | undefined>; vault?: PolicyResource } {
    if (typeof arn === "string") {
        const m = ARN.exec(arn);
        // By ARN, or by name in the ARN's region (vault names are unique per account and region only).
        const byName = (v: PolicyResource) =>
            m !== null && known(() => v.props.name) === m[4].replace(/^backup-vault:/, "") && !otherRegionKnown(regionOf(v), m[2]);
        const vault = resources.filter(is(BackupTypes.vault)).find((v) => known(() => v.props.arn) === arn || byName(v));
        return { region: m ? m[2] : UNKNOWN, vault };
    }
    // An ARN unknown at preview: the vault it came from, when the program built it from one. The
    // rules' dependencies also hold the rule's own vault (targetVaultName), which is no destination.
    let vaults = (r.propertyDependencies[property] ?? []).filter(is(BackupTypes.vault));
    if (vaults.length > 1 && typeof ownVault === "string") vaults = vaults.filter((v) => known(() => v.props.name) !== ownVault);
    if (vaults.length === 1) return { region: regionOf(vaults[0]), vault: vaults[0] };
    return { region: UNKNOWN };
}

/** Every rule of a Backup plan, with its copy actions resolved to regions. */
export function backupRules(plan: PolicyResource, resources: PolicyResource[]): BackupRule[] | typeof UNKNOWN {
    const rules = known(() => (plan.props.rules ?? []) as Record<string, any>[]);
    if (rules === UNKNOWN) return UNKNOWN;
    return rules.map((rule, i) => {
        const copyActions = known(() => (rule.copyActions ?? []) as Record<string, any>[]);
        const copies: BackupRule["copies"] =
            copyActions === UNKNOWN
                ? [{ region: UNKNOWN, retentionDays: UNKNOWN }]
                : copyActions.map((c) => ({
                      ...vaultRegion(
                          plan,
                          "rules",
                          known(() => c.destinationVaultArn as unknown),
                          resources,
                          known(() => rule.targetVaultName as unknown),
                      ),
                      retentionDays: known(() => c.lifecycle?.deleteAfter as number | undefined),
                  }));
        return {
            plan,
            name: String(known(() => rule.ruleName) === UNKNOWN ? `rule ${i + 1}` : (rule.ruleName ?? `rule ${i + 1}`)),
            schedule: known(() => rule.schedule as string | undefined),
            continuous: known(() => rule.enableContinuousBackup === true),
            retentionDays: known(() => rule.lifecycle?.deleteAfter as number | undefined),
            copies,
        };
    });
}

/** Whether an ARN pattern of a Backup selection may name this store (`*` wildcards as AWS reads them). */
function arnPatternCovers(pattern: string, store: PolicyResource): boolean | typeof UNKNOWN {
    if (pattern === "*") return true;
    const kind = storeKindOf(store);
    const arn = kind ? (StoreKinds[kind] as StoreKind).arn : undefined;
    const m = ARN.exec(pattern);
    if (!arn || !m) return false;
    const [, service, region, , rest] = m;
    if (service !== arn.service) return false;
    const home = regionOf(store);
    if (service !== "s3" && region !== "*" && region !== "" && home !== UNKNOWN && home !== undefined && region !== home) return false;
    // The store's ARN, once known (after an update), decides.
    const storeArn = known(() => store.props.arn as unknown);
    if (typeof storeArn === "string" && storeArn.length > 0) return glob(pattern, storeArn);
    if (rest === "*" || rest === `${arn.resource}*`) return true;
    if (!rest.startsWith(arn.resource)) return false;
    // The name part: a glob against the store's physical name when that is known at preview.
    const names = arn.name.map((p) => known(() => store.props[p] as unknown));
    if (names.some((n) => n === UNKNOWN)) return UNKNOWN;
    const name = names.find((n): n is string => typeof n === "string");
    const candidate = `${arn.resource}${name ?? ""}`;
    // A physical name the provider generates is unknown at preview: a pattern may match it.
    return name === undefined ? UNKNOWN : glob(rest, candidate);
}

/** Whether a Backup selection covers a store: yes, no, or unknown at preview (counts as yes). */
export function selectionCovers(selection: PolicyResource, store: PolicyResource): boolean | typeof UNKNOWN {
    const verdicts: (boolean | typeof UNKNOWN)[] = [];
    if ((selection.propertyDependencies.resources ?? []).some((d) => d.urn === store.urn)) verdicts.push(true);
    const listed = known(() => (selection.props.resources ?? []) as unknown[]);
    if (listed === UNKNOWN) verdicts.push(UNKNOWN);
    else {
        // By index: iterating would read an element unknown at preview (an ARN from another resource) outside known().
        for (let i = 0; i < listed.length; i++) {
            const value = known(() => listed[i]);
            if (value === UNKNOWN) continue; // an ARN computed from a resource: decided by the dependency above
            if (typeof value === "string") verdicts.push(value === known(() => store.props.arn) ? true : arnPatternCovers(value, store));
        }
    }
    // A tag unknown at preview, on either side, may match.
    const tagEquals = (key: unknown, value: unknown): boolean | typeof UNKNOWN => {
        if (typeof key !== "string") return false;
        const actual = tagValue(store, key);
        return actual === UNKNOWN || value === UNKNOWN ? UNKNOWN : actual === value;
    };
    const selectionTags = known(() => (selection.props.selectionTags ?? []) as { type?: string; key?: string; value?: string }[]);
    if (selectionTags === UNKNOWN) verdicts.push(UNKNOWN);
    else {
        for (let i = 0; i < selectionTags.length; i++) {
            const t = known(() => ({ key: selectionTags[i].key as unknown, value: known(() => selectionTags[i].value as unknown) }));
            verdicts.push(t === UNKNOWN || t.key === UNKNOWN ? UNKNOWN : tagEquals(t.key, t.value));
        }
    }
    // Neither resources nor tags: AWS Backup selects every supported resource (narrowed by conditions).
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
    const none = (list: Maybe<unknown[]>) => list !== UNKNOWN && list.length === 0;
    if (none(listed) && none(selectionTags) && (selection.propertyDependencies.resources ?? []).length === 0) verdicts.push(true);
    const covered = verdicts.includes(true) ? true : verdicts.includes(UNKNOWN) ? UNKNOWN : false;
    if (covered === false) return false;
    // Conditions narrow the selection (AND): a known StringEquals on a tag the store lacks excludes it.
    const conditions = known(() => (selection.props.conditions ?? []) as { stringEquals?: { key?: string; value?: string }[] }[]);
    if (conditions !== UNKNOWN) {
        for (let i = 0; i < conditions.length; i++) {
            const equals = known(() => (conditions[i].stringEquals ?? []).map((eq) => ({ key: eq.key, value: eq.value })));
            if (equals === UNKNOWN) continue;
            for (const eq of equals) {
                const key = eq.key?.replace(/^aws:ResourceTag\//, "");
                if (key !== undefined && typeof eq.value === "string" && tagEquals(key, eq.value) === false) return false;
            }
        }
    }
    const excluded = known(() => (selection.props.notResources ?? []) as unknown[]);
    const excludedValues = excluded === UNKNOWN ? [] : Array.from({ length: excluded.length }, (_, i) => known(() => excluded[i]));
    if (excludedValues.some((e) => typeof e === "string" && (e === known(() => store.props.arn) || arnPatternCovers(e, store) === true)))
        return false;
    return covered;
}

/** The plans in the stack that back a store up (selections that cover it, in the store's region). */
export function backupPlansOf(store: PolicyResource, resources: PolicyResource[]): { plan: PolicyResource; certain: boolean }[] {
    const plans = resources.filter(is(BackupTypes.plan));
    const found = new Map<PolicyResource, boolean>();
    for (const selection of resources.filter(is(BackupTypes.selection))) {
        const covers = selectionCovers(selection, store);
        if (covers === false) continue;
        let mine = (selection.propertyDependencies.planId ?? []).filter((d) => plans.includes(d));
        if (mine.length === 0) {
            const id = known(() => selection.props.planId as string | undefined);
            mine = id === UNKNOWN ? plans : plans.filter((p) => known(() => p.props.id) === id);
        }
        for (const plan of mine) {
            // A plan backs up resources of its own region only.
            const [planRegion, storeRegion] = [regionOf(plan), regionOf(store)];
            if (typeof planRegion === "string" && typeof storeRegion === "string" && planRegion !== storeRegion) continue;
            found.set(plan, (found.get(plan) ?? false) || covers === true);
        }
    }
    return [...found].map(([plan, certain]) => ({ plan, certain }));
}

/** The rules of the Backup plans covering a store; UNKNOWN entries where a plan's rules are unknown. */
export function backupRulesOf(store: PolicyResource, resources: PolicyResource[]): (BackupRule | typeof UNKNOWN)[] {
    return backupPlansOf(store, resources).flatMap(({ plan }): (BackupRule | typeof UNKNOWN)[] => {
        const rules = backupRules(plan, resources);
        return rules === UNKNOWN ? [UNKNOWN] : rules;
    });
}

/**
 * Whether AWS Backup copies a store's recovery points to a vault in another region: "yes" (or unknown
 * at preview, which counts in the stack's favour), or "no" with what was found, for the message.
 */
export function backupCopyToOtherRegion(
    store: PolicyResource,
    resources: PolicyResource[],
): { copied: true } | { copied: false; found: string } {
    const rules = backupRulesOf(store, resources);
    const home = regionOf(store);
    for (const rule of rules) {
        if (rule === UNKNOWN) return { copied: true };
        if (rule.copies.some((c) => otherRegion(c.region, home))) return { copied: true };
    }
    if (rules.length === 0) return { copied: false, found: "no AWS Backup plan of the stack selects it" };
    const plans = [...new Set(rules.map((r) => (r === UNKNOWN ? "?" : `'${r.plan.name}'`)))].join(", ");
    return { copied: false, found: `the AWS Backup plan ${plans} that selects it has no copy action to a vault in another region` };
}
