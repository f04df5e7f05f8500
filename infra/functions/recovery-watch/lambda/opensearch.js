"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SNAPSHOT_SUCCESS = void 0;
exports.openSearchRecoveryPoint = openSearchRecoveryPoint;
/**
 * OpenSearch snapshots: the newest complete snapshot in the replicated repository, read from the repository's own files
 * in the DR bucket (no cluster exists in the DR region to ask). The blob-store repository layout
 * (OpenSearch server/src/main/java/org/opensearch/repositories/blobstore/package-info.java and RepositoryData.java):
 *   <base_path>/index.latest    the newest generation N as a 64-bit big-endian long
 *   <base_path>/index-N         JSON RepositoryData: {"snapshots": [{"name", "uuid", "state", ...}], "indices": {...}}
 *   <base_path>/snap-<uuid>.dat SnapshotInfo of one snapshot, written when the snapshot is finalized
 * `state` is SnapshotState's byte value (org.opensearch.snapshots.SnapshotState): 0 IN_PROGRESS, 1 SUCCESS, 2 FAILED,
 * 3 PARTIAL, 4 INCOMPATIBLE; only SUCCESS restores every shard. RepositoryData holds no times, and snap-*.dat is SMILE,
 * so a snapshot's time is its snap-<uuid>.dat object's LastModified in the DR bucket (written at finalization;
 * S3 replication keeps it or, at the latest, marks the arrival in the DR region).
 * When index.latest names a generation not replicated yet, the highest index-N present is read instead (the same
 * fallback OpenSearch uses: list index-* and take the highest N).
 */
const client_s3_1 = require("@aws-sdk/client-s3");
const util_1 = require("./util");
exports.SNAPSHOT_SUCCESS = 1;
const STATE_NAMES = { 0: "in progress", 1: "complete", 2: "failed", 3: "partial", 4: "incompatible" };
function reader(store, s3, timeoutMs) {
    const where = (key) => `s3://${store.copyBucket}/${key} (${store.copyRegion})`;
    return {
        async get(key) {
            try {
                const out = await (0, util_1.withTimeout)(`GetObject ${where(key)}`, timeoutMs, async (abortSignal) => {
                    const res = await s3.send(new client_s3_1.GetObjectCommand({ Bucket: store.copyBucket, Key: key }), { abortSignal });
                    return (0, util_1.readBody)(res.Body);
                });
                return out;
            }
            catch (error) {
                if ((0, util_1.isNotFound)(error))
                    return undefined;
                throw new util_1.WatchError(`reading ${where(key)} failed: ${(0, util_1.reasonOf)(error)}`);
            }
        },
        async list(prefix) {
            const found = [];
            let token;
            do {
                try {
                    const page = await (0, util_1.withTimeout)(`ListObjectsV2 ${where(prefix + "*")}`, timeoutMs, (abortSignal) => s3.send(new client_s3_1.ListObjectsV2Command({ Bucket: store.copyBucket, Prefix: prefix, ContinuationToken: token }), {
                        abortSignal,
                    }));
                    for (const o of page.Contents ?? [])
                        if (o.Key)
                            found.push({ key: o.Key, lastModified: o.LastModified });
                    token = page.IsTruncated ? page.NextContinuationToken : undefined;
                }
                catch (error) {
                    throw error instanceof util_1.WatchError ? error : new util_1.WatchError(`listing ${where(prefix + "*")} failed: ${(0, util_1.reasonOf)(error)}`);
                }
            } while (token);
            return found;
        },
    };
}
/** Reads the newest RepositoryData generation present in the bucket. */
async function repositoryData(r, prefix, location) {
    let generation;
    const latest = await r.get(`${prefix}index.latest`);
    if (latest !== undefined) {
        if (latest.length !== 8)
            throw new util_1.WatchError(`${location}: index.latest holds ${latest.length} bytes; expected an 8-byte generation`);
        generation = latest.readBigInt64BE(0);
    }
    let body = generation === undefined ? undefined : await r.get(`${prefix}index-${generation}`);
    if (body === undefined) {
        const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}index-(\\d+)$`);
        const gens = (await r.list(`${prefix}index-`))
            .map((o) => pattern.exec(o.key)?.[1])
            .filter((n) => n !== undefined)
            .map((n) => BigInt(n))
            .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        if (gens.length === 0)
            throw new util_1.WatchError(`no snapshot repository at ${location} (neither index.latest nor any index-N found)`);
        generation = gens[0];
        body = await r.get(`${prefix}index-${generation}`);
        if (body === undefined)
            throw new util_1.WatchError(`${location}: index-${generation} disappeared while being read`);
    }
    let parsed;
    try {
        parsed = JSON.parse(body.toString("utf8"));
    }
    catch {
        throw new util_1.WatchError(`${location}: index-${generation} is not JSON repository data`);
    }
    if (!Array.isArray(parsed.snapshots))
        throw new util_1.WatchError(`${location}: index-${generation} has no snapshots array`);
    return { generation: generation, snapshots: parsed.snapshots };
}
/** The newest SUCCESS snapshot of the replicated repository and its time. */
async function openSearchRecoveryPoint(store, s3, timeoutMs) {
    const base = store.basePath.replace(/^\/+|\/+$/g, "");
    const prefix = base === "" ? "" : `${base}/`;
    const location = `s3://${store.copyBucket}/${prefix} (${store.copyRegion})`;
    const r = reader(store, s3, timeoutMs);
    const { generation, snapshots } = await repositoryData(r, prefix, location);
    const complete = new Map();
    const counts = new Map();
    for (const s of snapshots) {
        const state = typeof s.state === "number" ? (STATE_NAMES[s.state] ?? `state ${s.state}`) : "no state";
        counts.set(state, (counts.get(state) ?? 0) + 1);
        if (s.state === exports.SNAPSHOT_SUCCESS && typeof s.uuid === "string")
            complete.set(s.uuid, s.name ?? s.uuid);
    }
    let newest;
    if (complete.size > 0) {
        for (const o of await r.list(`${prefix}snap-`)) {
            const uuid = /snap-(.+)\.dat$/.exec(o.key.slice(prefix.length))?.[1];
            const name = uuid === undefined ? undefined : complete.get(uuid);
            if (name === undefined || !o.lastModified)
                continue;
            if (!newest || o.lastModified > newest.at)
                newest = { name, at: o.lastModified };
        }
    }
    if (!newest) {
        const summary = [...counts].map(([state, n]) => `${n} ${state}`).join(", ") || "none";
        const missing = complete.size > 0 ? `; no snap-<uuid>.dat of the ${complete.size} complete ones replicated yet` : "";
        throw new util_1.WatchError(`no complete snapshot in the repository at ${location} ` +
            `(index-${generation} lists ${snapshots.length}: ${summary}${missing})`);
    }
    return { at: newest.at, detail: `snapshot ${newest.name} (index-${generation})` };
}
