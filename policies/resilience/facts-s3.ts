// Facts of S3 buckets, for the resilience model (./facts.ts): versioning, every copy of the bucket
// (replication, DataSync) with where it lands, its lag, retention and lock, and AWS Backup. A bucket's
// settings and copies are read with the storage policies' readers (../storage.ts), so the model and the
// guard agree on what copies what. The pieces of an S3 copy (landing, lag, retrieval) serve the
// OpenSearch snapshots' copies too (./facts-search.ts).
import { PolicyResource } from "@pulumi/policy";
import { regionOf } from "../scope";
import { bucketOf, Copy, objectLockOf, StorageTypes, versioningOf } from "../storage";
import { is, known, known0, longestGapHours, Maybe, UNKNOWN } from "../util";
import { C, Constant } from "./constants";
import { backupProtections, elsewhere, FactsContext, KindFacts, regionOfStore, regionText } from "./facts";
import { Protection, RestorePath } from "./types";

const RETRIEVAL: Record<string, Constant | undefined> = { DEEP_ARCHIVE: C.deepArchiveStandardHours, GLACIER: C.glacierStandardHours };

/** The wait before an archived copy can be read: its class's standard retrieval, or none. */
export function retrievalOf(storageClass: string | undefined): Pick<RestorePath, "retrievalHours" | "retrievalWhy"> {
    const retrieval = storageClass ? RETRIEVAL[storageClass] : undefined;
    return { retrievalHours: retrieval ? retrieval.value : 0, retrievalWhy: retrieval ? `${storageClass} standard retrieval` : undefined };
}

function s3Restore(storageClass: string | undefined): RestorePath {
    return {
        fixedHours: 0,
        fixedWhy: "",
        ...retrievalOf(storageClass),
        gibPerHour: C.s3CopyGibPerHour.value,
        rateWhy: C.s3CopyGibPerHour.source,
    };
}

/** Where an S3 copy lands, as far as preview tells: the destination bucket of the stack, its region (UNKNOWN: cannot tell), the class. */
export function landing(copy: Copy): { destination?: PolicyResource; region: Maybe<string | undefined>; storageClass?: string } {
    const destination = copy.destination === UNKNOWN || copy.destination === undefined ? undefined : copy.destination;
    return { destination, region: destination ? regionOf(destination) : UNKNOWN, storageClass: known0(copy.storageClass) };
}

/** How long a replicated version takes to reach its copy: 15 minutes with Replication Time Control. */
export const replicationLag = (copy: Copy) => (rtc(copy) ? C.s3ReplicationRtcHours : C.s3ReplicationHours);

/** Days after which noncurrent versions expire (the shortest rule), from the bucket's lifecycle; undefined: never. */
export function noncurrentDays(bucket: PolicyResource, resources: PolicyResource[]): number | undefined {
    let days: number | undefined;
    for (const lc of resources.filter(is(...StorageTypes.lifecycle))) {
        if (bucketOf(lc, "bucket", [bucket]) !== bucket) continue;
        const rules = known(() => (lc.props.rules ?? []) as Record<string, any>[]);
        if (rules === UNKNOWN) continue;
        for (const rule of rules) {
            const d = known(() =>
                rule.status === "Disabled" ? undefined : (rule.noncurrentVersionExpiration?.noncurrentDays as number | undefined),
            );
            if (typeof d === "number") days = days === undefined ? d : Math.min(days, d);
        }
    }
    return days;
}

// A versioning or lock configuration whose bucket is unknown at preview is left out here, where the
// storage policies count it as the bucket's (../storage/readers.ts, `sureLinksOnly`).
const versioned = (bucket: PolicyResource, resources: PolicyResource[]): Maybe<boolean> =>
    versioningOf(bucket, resources, { sureLinksOnly: true });

/** Whether copies landing in `bucket` are locked: Object Lock on, and a lock configuration naming the bucket. */
export function locked(bucket: PolicyResource, resources: PolicyResource[]): Maybe<boolean> {
    const { enabled, retentions } = objectLockOf(bucket, resources, { sureLinksOnly: true });
    return enabled !== true ? enabled : retentions.length > 0;
}

function rtc(copy: Copy): boolean {
    const rules = known(() => (copy.via.props.rules ?? copy.via.props.replicationConfiguration?.rules ?? []) as Record<string, any>[]);
    if (rules === UNKNOWN) return false;
    return rules.some((r) => known(() => r.destination?.replicationTime?.status === "Enabled") === true);
}

export function bucketFacts(bucket: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(bucket);
    const protections: Protection[] = [];
    const notes: string[] = [];
    const v = versioned(bucket, ctx.resources);
    if (v !== false) {
        const days = noncurrentDays(bucket, ctx.resources);
        protections.push({
            mechanism: "s3-versioning",
            what: "S3 versioning",
            via: [bucket.urn],
            kind: "points",
            region: home,
            elsewhere: false,
            everyHours: 0,
            lagHours: 0,
            retentionDays: days,
            immutable: false,
            restore: {
                fixedHours: 0,
                fixedWhy: "",
                retrievalHours: 0,
                gibPerHour: C.s3CopyGibPerHour.value,
                rateWhy: C.s3CopyGibPerHour.source,
            },
            dependsOn: v === UNKNOWN ? ["the bucket's versioning status"] : [],
        });
    } else {
        notes.push("versioning is off: an overwritten or deleted object is gone");
    }
    for (const copy of [...(ctx.copies.get(bucket) ?? []), ...(ctx.copies.get("?") ?? [])]) {
        if (copy.partial) {
            notes.push(`replication rule ${copy.partial.rule} copies only ${copy.partial.filter}`);
            continue;
        }
        const mine = (ctx.copies.get(bucket) ?? []).includes(copy);
        const { destination, region, storageClass } = landing(copy);
        const dependsOn = [
            ...(mine ? [] : ["which bucket a copy unknown at preview copies"]),
            ...(region === UNKNOWN ? ["the copy's destination bucket"] : []),
            ...(copy.storageClass === UNKNOWN ? ["the copy's storage class"] : []),
        ];
        const immutable = destination ? locked(destination, ctx.resources) : UNKNOWN;
        const retention = destination ? noncurrentDays(destination, ctx.resources) : undefined;
        const lag = copy.kind === "replication" ? replicationLag(copy) : undefined;
        let every = 0;
        if (copy.kind === "datasync") {
            if (copy.schedule === UNKNOWN) dependsOn.push("the DataSync task's schedule");
            else every = copy.schedule ? (longestGapHours(copy.schedule) ?? 24 * 7) : 24 * 7;
        }
        const into = `${storageClass ?? "an unknown class"} in ${regionText(known0(region))}`;
        protections.push({
            mechanism: copy.kind === "replication" ? "s3-replication" : "datasync",
            what:
                copy.kind === "replication"
                    ? `S3 replication into ${into}${lag === C.s3ReplicationRtcHours ? " with Replication Time Control" : ""}`
                    : `DataSync task '${copy.via.name}' into ${into}`,
            via: [copy.via.urn, ...(destination ? [destination.urn] : [])],
            kind: "points",
            region: known0(region),
            elsewhere: elsewhere(home, region),
            everyHours: every,
            lagHours: lag ? lag.value : 0,
            lagWhy: lag?.source,
            retentionDays: retention,
            immutable: immutable === true || immutable === UNKNOWN,
            storageClass,
            restore: s3Restore(storageClass),
            dependsOn,
        });
    }
    protections.push(...backupProtections(bucket, ctx.resources, home, s3Restore(undefined)));
    return {
        region: home,
        redundancy: {
            nodes: "managed",
            zones: "managed",
            failoverSeconds: 0,
            what: "S3 keeps every object in at least three availability zones",
            source: C.managedSeconds.source,
        },
        protections,
        notes,
    };
}
