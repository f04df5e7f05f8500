// How to get a store's data back from one protection, step by step, and what a drill of it checks.
// The steps follow the mechanism the model's estimate relies on; the names (buckets, repositories,
// regions) come from the graph. The console and API paths are the providers' own: Atlas restore
// jobs (Atlas Administration API, Cloud Backups › Restore Jobs), S3 Batch Operations Restore and Copy
// (S3 User Guide, "Restoring an archived object"), OpenSearch snapshot restore (OpenSearch
// documentation, "Restore snapshots"), AWS Backup restore jobs (AWS Backup Developer Guide).
import { hours } from "../../policies/resilience/model";
import { Protection, StoreResilience } from "../../policies/resilience/types";
import { Graph, read } from "./graph";

const OPENSEARCH_POLICY = "pulumi-nodejs:dynamic/opensearch:SnapshotPolicy";

/** The repository name a snapshot policy writes to, or a placeholder. */
function repositoryOf(g: Graph, p: Protection): string {
    for (const urn of p.via) {
        const r = g.get(urn);
        if (r?.type !== OPENSEARCH_POLICY) continue;
        const repo = read(r, (props) => props.body?.snapshot_config?.repository as string | undefined);
        if (typeof repo === "string") return repo;
    }
    return "<repository>";
}

/** The bucket a copy lands in (the last bucket among the protection's resources), by its name. */
function copyBucket(g: Graph, p: Protection): string | undefined {
    const buckets = p.via.map((u) => g.get(u)).filter((r) => r && /^aws:s3\/bucket(V2)?:Bucket(V2)?$/.test(r.type));
    const last = buckets[buckets.length - 1];
    return last ? g.nameOf(last.urn) : undefined;
}

const where = (p: Protection) => p.region ?? "the copy's region (unknown at preview)";

function archiveSteps(bucket: string, storageClass: string | undefined, retrievalHours: number): string[] {
    if (!storageClass || !/GLACIER|DEEP_ARCHIVE/.test(storageClass)) return [];
    return [
        `Restore the objects of \`${bucket}\` from ${storageClass}: an S3 Batch Operations job over the bucket's objects with the ` +
            `operation "Restore", retrieval tier Standard (≈ ${hours(retrievalHours)}; Bulk is cheaper and takes up to 48 h), ` +
            "keeping the restored copies for the days the copy-back needs.",
    ];
}

const pointBefore = (p: Protection) =>
    p.mechanism === "point-in-time" ? "to the point in time just before it" : "the newest snapshot taken before it";

/** The steps that bring the store's data back from `p`, for a store lost with its region or damaged. */
export function restoreSteps(g: Graph, store: StoreResilience, p: Protection, after: "region" | "corruption"): string[] {
    const gib = store.size.gib;
    switch (p.mechanism) {
        case "atlas-snapshot-copy":
            return [
                `Create a cluster in ${where(p)} with the tier of \`${store.name}\` ` +
                    "(a new Atlas project if the old one cannot be reached).",
                p.everyHours === 0
                    ? `Start a point-in-time restore job from the copy in ${where(p)} into the new cluster ` +
                      "(Atlas UI › Backup › Restore, or `atlas backups restores start pointInTime`), " +
                      "to the latest time the copied oplog holds."
                    : `Start a restore job from the newest snapshot copied to ${where(p)} into the new cluster (Atlas UI › Backup › ` +
                      "Snapshots › the copy › Restore, or `atlas backups restores start automated --snapshotId <id>`).",
                `Wait for the restore job (≈ ${gib} GiB at ${p.restore.gibPerHour ?? "?"} GiB/h), ` +
                    "then check the main collections' document counts.",
                "Point the application's connection string at the new cluster.",
            ];
        case "atlas-snapshots":
        case "point-in-time":
            return [
                after === "corruption"
                    ? `Find the time of the first bad write; restore ${pointBefore(p)} ` +
                      "into a new cluster of the same project (Atlas UI › Backup › Restore), never over the live one."
                    : `Restore the newest snapshot into a new cluster (Atlas UI › Backup › Restore).`,
                "Compare the restored data with the live cluster and copy back what was lost " +
                    "(mongodump/mongorestore of the affected collections), or point the application at the restored cluster.",
            ];
        case "atlas-multi-region":
            return [
                `If the cluster has not elected a primary in ${where(p)} by itself, raise the priority of the ${where(p)} nodes ` +
                    "(Atlas UI › Edit configuration › electable nodes); the connection string stays the same.",
            ];
        case "s3-replication":
        case "datasync": {
            const bucket = copyBucket(g, p) ?? "the copy bucket";
            return [
                ...archiveSteps(bucket, p.storageClass, p.restore.retrievalHours),
                `Copy the objects of \`${bucket}\` into a bucket in a surviving region with S3 Batch Operations "Copy" into STANDARD ` +
                    `(≈ ${gib} GiB at ${p.restore.gibPerHour ?? "?"} GiB/h), or point the application at \`${bucket}\` once its objects ` +
                    `are readable.`,
                after === "corruption"
                    ? "Pick the versions from before the damage (the copy keeps noncurrent versions)."
                    : "Check the object count against the last S3 inventory or replication metrics.",
            ];
        }
        case "s3-versioning": {
            const bucket = g.nameOf(store.urn);
            return [
                `List the affected keys' versions (\`aws s3api list-object-versions --bucket ${bucket} --prefix <prefix>\`).`,
                "Delete the delete markers of deleted objects, and copy the last good version over each overwritten object " +
                    `(\`aws s3api copy-object --bucket ${bucket} --key <key> --copy-source ${bucket}/<key>?versionId=<id>\`); ` +
                    "S3 Batch Operations for many keys.",
            ];
        }
        case "opensearch-snapshot-copy": {
            const repo = repositoryOf(g, p);
            const bucket = copyBucket(g, p) ?? "the copy bucket";
            return [
                ...archiveSteps(bucket, p.storageClass, p.restore.retrievalHours),
                `Create a domain in ${where(p)} with the engine version of \`${g.nameOf(store.urn)}\`.`,
                `Register \`${bucket}\` on it as snapshot repository \`${repo}\` with \`"readonly": true\` and a role that may read the ` +
                    `bucket and use its KMS key.`,
                `List the snapshots (\`GET _snapshot/${repo}/_all\`) and take the newest with \`"state": "SUCCESS"\`.`,
                `Check that all its files replicated: \`GET _snapshot/${repo}/<snapshot>/_status\` must answer without an error ` +
                    "(S3 replicates each file on its own; the list can arrive before the files).",
                `Restore it (\`POST _snapshot/${repo}/<snapshot>/_restore\`) and wait for \`GET _cluster/health?wait_for_status=green\`; ` +
                    "if a shard fails, delete the restored indices and take the next older snapshot.",
                "Point the application at the new domain.",
            ];
        }
        case "opensearch-snapshots": {
            const repo = p.via.some((u) => g.get(u)?.type === OPENSEARCH_POLICY) ? repositoryOf(g, p) : "cs-automated-enc";
            return [
                `List the snapshots (\`GET _snapshot/${repo}/_all\`) and take the ` +
                    `newest${after === "corruption" ? " from before the damage" : ""} with \`"state": "SUCCESS"\`.`,
                `Close or delete the damaged indices, then restore them (\`POST _snapshot/${repo}/<snapshot>/_restore\` with their names ` +
                    `in \`indices\`).`,
            ];
        }
        case "opensearch-cross-cluster":
            return [
                "Stop replication on the follower indices (`POST _plugins/_replication/<index>/_stop`) and point the application at the " +
                    "follower domain.",
            ];
        case "aws-backup":
        case "aws-backup-copy":
            return [
                `In AWS Backup (${where(p)}), pick the newest recovery point of ` +
                    `\`${g.nameOf(store.urn)}\`${after === "corruption" ? " from before the damage" : ""} ` +
                    "and start a restore job into a new resource (`aws backup start-restore-job`).",
                "Point the application at the restored resource.",
            ];
        case "service-snapshots":
        case "service-snapshot-copy":
            return [
                `Restore the newest snapshot${after === "corruption" ? " from before the damage" : ""} in ${where(p)} into a new ` +
                    `${store.label}.`,
                "Point the application at it.",
            ];
        case "cross-region-replica":
            return [`Promote the replica in ${where(p)} and point the application at it.`];
        default:
            return [`Restore from ${p.what}.`];
    }
}

/** What a drill of the store checks: the restore itself, timed and compared with the targets. */
export function drillChecklist(g: Graph, store: StoreResilience, p: Protection | undefined, rto: string, rpo: string): string[] {
    if (!p) return [`No copy outside ${store.region ?? "its region"} to restore from: nothing to drill until one exists.`];
    return [
        `Restore \`${store.name}\` from ${p.what} into ${p.elsewhere === true ? where(p) : "a scratch resource"}, following the ` +
            `procedure above.`,
        `Time it from the decision to the data serving: the target is ${rto}.`,
        `Note the age of the newest data restored: the target is ${rpo}.`,
        "Check the data: counts and a sample of recent records against the source.",
        "Delete the scratch resources, and record the measured times (they replace the model's assumed rates).",
    ];
}
