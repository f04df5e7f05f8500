// What the graph says about each data store, for the resilience model: where it lives, who takes
// over when a node or a zone is lost, and every protection — recovery points and copies, in its region
// and elsewhere — with their schedule, transfer lag, retention, immutability and the restore path.
//
// Facts are read with the policies' own readers (storage.ts, atlas.ts, search.ts, scope.ts), so the
// model and the guard agree on what copies what. Values unknown at preview are taken in the stack's
// favour and named in `dependsOn`. This module holds what every kind's reader shares and AWS Backup,
// which serves many kinds (`backupProtections`); S3 is read in ./facts-s3.ts, Atlas in
// ./facts-atlas.ts, OpenSearch in ./facts-search.ts, the other AWS kinds in ./facts-aws.ts.
import { PolicyResource } from "@pulumi/policy";
import { backupRulesOf, otherRegion, regionOf, StoreKindName, storeKindOf } from "../scope";
import { bucketRoles, copiesBySource } from "../storage";
import { known0, longestGapHours, Maybe, UNKNOWN } from "../util";
import { C, Constant } from "./constants";
import { awsFacts } from "./facts-aws";
import { clusterFacts } from "./facts-atlas";
import { bucketFacts } from "./facts-s3";
import { domainFacts } from "./facts-search";
import { Protection, Redundancy, RestorePath } from "./types";

/** A size the resource itself states (a disk, a volume), used when neither tags nor settings give one. */
export interface SizeHint {
    readonly gib: number;
    readonly source: string;
}

/** What a kind's reader returns for one store. */
export interface KindFacts {
    readonly region: string | undefined;
    readonly redundancy: Redundancy;
    readonly protections: Protection[];
    readonly notes: string[];
    readonly sizeHint?: SizeHint;
}

/** Shared, computed once per stack: the readers that look at the whole graph. */
export interface FactsContext {
    readonly resources: PolicyResource[];
    readonly copies: ReturnType<typeof copiesBySource>;
    readonly roles: ReturnType<typeof bucketRoles>;
}

export const hoursOf = (c: Constant) => (c.unit === "seconds" ? c.value / 3600 : c.value);
export const regionText = (r: string | undefined) => r ?? "an unknown region";

/** A store's region as text (Atlas writes US_WEST_2: shown as us-west-2). */
export function awsRegionName(atlas: string): string {
    return /^[A-Z]{2}_[A-Z]+_\d+$/.test(atlas) ? atlas.toLowerCase().replace(/_/g, "-") : atlas;
}

export function regionOfStore(store: PolicyResource): string | undefined {
    const r = regionOf(store);
    return typeof r === "string" ? r : undefined;
}

/** Where a copy lives relative to its store: true, false, or "unknown" (a region unknown at preview). */
export function elsewhere(home: string | undefined, region: Maybe<string | undefined>): boolean | "unknown" {
    if (region === UNKNOWN || region === undefined || home === undefined) return "unknown";
    return otherRegion(region, home) ? true : false;
}

// --- AWS Backup --------------------------------------------------------------------------------

/** The recovery points AWS Backup keeps of a store, and their copies in other regions. */
export function backupProtections(
    store: PolicyResource,
    resources: PolicyResource[],
    home: string | undefined,
    restore: RestorePath,
): Protection[] {
    const result: Protection[] = [];
    for (const rule of backupRulesOf(store, resources)) {
        if (rule === UNKNOWN) {
            result.push({
                mechanism: "aws-backup",
                what: "an AWS Backup plan whose rules are unknown at preview",
                via: [],
                kind: "points",
                region: home,
                elsewhere: "unknown",
                everyHours: 24,
                lagHours: 0,
                immutable: false,
                restore,
                dependsOn: ["the Backup plan's rules"],
            });
            continue;
        }
        const dependsOn: string[] = [];
        const schedule = rule.schedule;
        let every = 24; // AWS Backup runs a rule without a schedule daily, cron(0 5 ? * * *)
        if (rule.continuous === true) every = 0;
        else if (schedule === UNKNOWN) dependsOn.push(`the schedule of rule '${rule.name}'`);
        else if (schedule !== undefined) every = longestGapHours(schedule) ?? every;
        const retention = known0(rule.retentionDays);
        const points: Protection = {
            mechanism: "aws-backup",
            what: `AWS Backup plan '${rule.plan.name}' rule '${rule.name}'${every === 0 ? " (continuous)" : ""}`,
            via: [rule.plan.urn],
            kind: "points",
            region: home,
            elsewhere: false,
            everyHours: every,
            lagHours: 0,
            retentionDays: retention,
            immutable: false,
            restore,
            dependsOn,
        };
        result.push(points);
        for (const copy of rule.copies) {
            const region = known0(copy.region);
            result.push({
                ...points,
                mechanism: "aws-backup-copy",
                what: `AWS Backup copy of rule '${rule.name}' to ${regionText(region)}`,
                via: [rule.plan.urn, ...(copy.vault ? [copy.vault.urn] : [])],
                region,
                elsewhere: elsewhere(home, copy.region),
                everyHours: every === 0 ? 24 : every, // continuous backups are copied as snapshots
                lagHours: hoursOf(C.awsBackupCopyHours),
                lagWhy: C.awsBackupCopyHours.source,
                retentionDays: known0(copy.retentionDays),
                dependsOn: [...dependsOn, ...(copy.region === UNKNOWN ? ["the copy's destination vault"] : [])],
            });
        }
    }
    return result;
}

/** How AWS restores a service's snapshot or backup into a new resource. */
export const awsRestore = (what: string): RestorePath => ({
    fixedHours: hoursOf(C.awsRestoreFixedHours),
    fixedWhy: `a new ${what} from the recovery point`,
    retrievalHours: 0,
    gibPerHour: C.awsRestoreGibPerHour.value,
    rateWhy: C.awsRestoreGibPerHour.source,
});

// ---------------------------------------------------------------------------------------------

/** The reader of a kind read in this directory's per-store modules (looked up when called: they import this module). */
function readerOf(kind: StoreKindName): ((store: PolicyResource, ctx: FactsContext) => KindFacts) | undefined {
    switch (kind) {
        case "s3Bucket":
            return bucketFacts;
        case "atlasCluster":
            return clusterFacts;
        case "searchDomain":
            return domainFacts;
        default:
            return undefined;
    }
}

/** The stores the model estimates (data buckets, not copies or logs), and a reader of each one's facts. */
export function factsOf(resources: PolicyResource[]): { stores: PolicyResource[]; factsFor(store: PolicyResource): KindFacts } {
    const ctx: FactsContext = { resources, copies: copiesBySource(resources), roles: bucketRoles(resources) };
    const stores = resources.filter((r) => {
        const kind = storeKindOf(r);
        if (!kind) return false;
        return kind !== "s3Bucket" || ctx.roles.get(r) === "data";
    });
    return {
        stores,
        factsFor: (store) => {
            const kind = storeKindOf(store) as StoreKindName;
            const reader = readerOf(kind);
            return reader ? reader(store, ctx) : awsFacts(store, kind, ctx);
        },
    };
}
