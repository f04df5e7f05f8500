// The Atlas part of a drill: the restore job's status and times from the Atlas Admin API v2 (HTTP digest
// auth with a programmatic API key), then the documents per collection in the source and in the drill
// cluster. The Mongo access sits behind MongoCounter so that tests use an in-memory fake.
import { digestAuthorization, parseDigestChallenge } from "../../infra/functions/recovery-watch/atlas";
import { AtlasStore } from "./output";
import { Check, Step, StoreRecord } from "./record";
import { elapsedSeconds, redact, round2 } from "./util";

/** Documents per collection, keyed "database.collection". */
export type Counts = ReadonlyMap<string, number>;

/** What the drill needs of a MongoDB deployment: the document count of every user collection. */
export interface MongoCounter {
    count(uri: string): Promise<Counts>;
}

const SYSTEM_DATABASES = new Set(["admin", "local", "config"]);

/** The real one, with the `mongodb` driver: every collection of every user database, counted exactly. */
export const driverCounter: MongoCounter = {
    async count(uri: string): Promise<Counts> {
        // Loaded here: only a real drill connects.
        const { MongoClient } = await import("mongodb");
        const client = new MongoClient(uri, { serverSelectionTimeoutMS: 30000 });
        try {
            await client.connect();
            const counts = new Map<string, number>();
            const { databases } = await client.db("admin").admin().listDatabases({ nameOnly: true });
            for (const { name } of databases) {
                if (SYSTEM_DATABASES.has(name)) continue;
                const db = client.db(name);
                const collections = await db.listCollections({ type: "collection" }, { nameOnly: true }).toArray();
                for (const c of collections) {
                    if (c.name.startsWith("system.")) continue;
                    counts.set(`${name}.${c.name}`, await db.collection(c.name).countDocuments({}));
                }
            }
            return counts;
        } finally {
            await client.close();
        }
    },
};

/**
 * One cloud backup restore job: GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs/{restoreJobId}
 * (operation getBackupRestoreJob, Project Backup Manager role;
 * https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-getbackuprestorejob). The fields read,
 * of DiskBackupSnapshotRestoreJob: cancelled, expired, failed (flags), finishedAt (when the job completed), snapshotId,
 * timestamp (when the snapshot was taken) and createdAt (when the job was created; not every answer carries it).
 */
export interface RestoreJob {
    readonly id?: string;
    readonly cancelled?: boolean;
    readonly expired?: boolean;
    readonly failed?: boolean;
    readonly createdAt?: string;
    readonly finishedAt?: string;
    readonly snapshotId?: string;
    readonly timestamp?: string;
}

export interface AtlasApi {
    readonly baseUrl: string;
    readonly publicKey: string;
    readonly privateKey: string;
}

/** GET of an Atlas Admin API v2 path with digest auth; the answer's JSON, or an error naming the status (never a key). */
export async function atlasGet(api: AtlasApi, apiPath: string): Promise<unknown> {
    const url = new URL(apiPath, api.baseUrl);
    const headers = { accept: "application/vnd.atlas.2023-01-01+json" };
    const secrets = [api.privateKey, api.publicKey];
    const send = async (extra: Record<string, string>) => {
        let failure: unknown;
        const answer = await fetch(url, { headers: { ...headers, ...extra } }).catch((e: unknown) => {
            failure = e;
            return undefined;
        });
        if (answer) return answer;
        const why = String((failure as { cause?: unknown }).cause ?? (failure as Error).message);
        throw new Error(`Atlas Admin API ${url.origin}: could not reach it (${redact(why, secrets)}).`);
    };
    let res = await send({});
    const challenge = res.headers.get("www-authenticate");
    if (res.status === 401 && challenge && /^Digest/i.test(challenge)) {
        await res.text();
        // The same Digest answer as the recovery-point watch gives (RFC 7616; MD5, SHA-256, -sess, qop auth).
        const params = parseDigestChallenge(challenge);
        if (!params) throw new Error(`Atlas Admin API ${url.origin}: its Digest challenge has no nonce.`);
        const auth = digestAuthorization(params, "GET", url.pathname + url.search, {
            publicKey: api.publicKey,
            privateKey: api.privateKey,
        });
        res = await send({ authorization: auth });
    }
    const text = await res.text();
    if (!res.ok) {
        let detail = text.trim().slice(0, 300);
        try {
            const j = JSON.parse(text) as { errorCode?: string; detail?: string };
            detail = [j.errorCode, j.detail].filter(Boolean).join(": ") || detail;
        } catch {
            // Not JSON: shown as it is, shortened.
        }
        throw new Error(`Atlas Admin API: GET ${url.pathname} answered ${res.status}${detail ? ` (${redact(detail, secrets)})` : ""}.`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(`Atlas Admin API: GET ${url.pathname} answered ${res.status} with a body that is not JSON.`);
    }
}

export interface AtlasDeps {
    readonly api: AtlasApi;
    readonly mongo: MongoCounter;
    readonly sourceUri: string;
    readonly drillUri: string;
    /** Milliseconds now, for the steps' durations. */
    readonly clock?: () => number;
}

const jobState = (j: RestoreJob) =>
    j.failed ? "failed" : j.cancelled ? "cancelled" : j.expired ? "expired" : j.finishedAt ? "finished" : "in progress";

/** Verifies one Atlas store: the restore job finished, from the snapshot the output names, and every collection's count matches. */
export async function verifyAtlas(s: AtlasStore, d: AtlasDeps): Promise<StoreRecord> {
    const problems: string[] = [];
    const steps: Step[] = [];
    const checks: Check[] = [];
    const secrets = [d.sourceUri, d.drillUri, d.api.privateKey];
    const base = { store: s.store, kind: "atlas" as const };
    let job: RestoreJob;
    const jobPath =
        `/api/atlas/v2/groups/${encodeURIComponent(s.projectId)}/clusters/${encodeURIComponent(s.sourceCluster)}` +
        `/backup/restoreJobs/${encodeURIComponent(s.restoreJobId)}`;
    try {
        job = (await atlasGet(d.api, jobPath)) as RestoreJob;
    } catch (e) {
        const copy = `Atlas snapshot ${s.snapshotId} of ${s.sourceCluster} in ${s.copyRegion}`;
        return {
            ...base,
            result: "fail",
            copy,
            copyAgeHours: null,
            rtoHours: null,
            steps,
            checks,
            problems: [`restore job ${s.restoreJobId}: ${(e as Error).message}`],
        };
    }
    const taken = job.timestamp ?? s.snapshotCreatedAt;
    const copy = `Atlas snapshot ${s.snapshotId} of ${s.sourceCluster} copied to ${s.copyRegion}${taken ? `, taken ${taken}` : ""}`;
    const state = jobState(job);
    const restoreSeconds = elapsedSeconds(job.createdAt, job.finishedAt);
    steps.push({ name: `restore job ${s.restoreJobId} into ${s.drillCluster}`, seconds: restoreSeconds });
    const copyAgeSeconds = elapsedSeconds(taken, job.createdAt);
    const copyAgeHours = copyAgeSeconds === null ? null : round2(copyAgeSeconds / 3600);
    const rtoHours = restoreSeconds === null ? null : round2(restoreSeconds / 3600);
    const wrongSnapshot = job.snapshotId !== undefined && job.snapshotId !== s.snapshotId;
    if (wrongSnapshot) {
        problems.push(`restore job ${s.restoreJobId} restored snapshot ${job.snapshotId}, not ${s.snapshotId} as the drill output says.`);
    }
    if (state === "failed" || state === "cancelled" || state === "expired") {
        problems.push(
            `restore job ${s.restoreJobId} into ${s.drillCluster}: Atlas reports it ${state} (failed: ${job.failed === true}, ` +
                `cancelled: ${job.cancelled === true}, expired: ${job.expired === true}` +
                `${job.finishedAt ? `, finishedAt: ${job.finishedAt}` : ""}).`,
        );
        return { ...base, result: "fail", copy, copyAgeHours, rtoHours: null, steps, checks, problems };
    }
    if (state === "in progress") {
        problems.push(
            `restore job ${s.restoreJobId} into ${s.drillCluster} has not finished (Atlas gives no finishedAt yet): ` +
                "run drill:verify again once it has.",
        );
        return { ...base, result: "pending", copy, copyAgeHours, rtoHours: null, steps, checks, problems };
    }
    if (job.createdAt === undefined)
        problems.push(`restore job ${s.restoreJobId}: Atlas gave no createdAt, so the restore time is not measured.`);
    const clock = d.clock ?? Date.now;
    const started = clock();
    let source: Counts;
    let restored: Counts;
    try {
        source = await d.mongo.count(d.sourceUri);
    } catch (e) {
        problems.push(`counting documents in the source cluster ${s.sourceCluster}: ${redact((e as Error).message, secrets)}`);
        return { ...base, result: "fail", copy, copyAgeHours, rtoHours, steps, checks, problems };
    }
    try {
        restored = await d.mongo.count(d.drillUri);
    } catch (e) {
        problems.push(`counting documents in the drill cluster ${s.drillCluster}: ${redact((e as Error).message, secrets)}`);
        return { ...base, result: "fail", copy, copyAgeHours, rtoHours, steps, checks, problems };
    }
    steps.push({ name: "count documents per collection in source and drill clusters", seconds: Math.round((clock() - started) / 1000) });
    for (const name of [...new Set([...source.keys(), ...restored.keys()])].sort()) {
        const a = source.get(name) ?? null;
        const b = restored.get(name) ?? null;
        const ok = a === b;
        checks.push({ what: `documents in ${name}`, source: a, restored: b, ok });
        if (!ok) {
            problems.push(
                b === null
                    ? `collection ${name}: missing from the drill cluster (source ${a} documents).`
                    : a === null
                      ? `collection ${name}: in the drill cluster (${b} documents) but not in the source.`
                      : `collection ${name}: source ${a} documents, restored ${b}.`,
            );
        }
    }
    const failed = wrongSnapshot || checks.some((c) => !c.ok);
    return { ...base, result: failed ? "fail" : "pass", copy, copyAgeHours, rtoHours, steps, checks, problems };
}
