// The S3 part of a drill: each sampled key of the copy bucket (Deep Archive, under Object Lock in the DR
// region) is restored by the drill stack; HeadObject's Restore header tells whether the restored copy is
// ready (ongoing-request="false") or still coming (ongoing-request="true"), and a ready one is read and
// its SHA-256 compared with the source object's.
import * as crypto from "crypto";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Store } from "./output";
import { Check, Step, StoreRecord } from "./record";
import { elapsedSeconds, round2 } from "./util";

/**
 * How long a Deep Archive retrieval takes: Standard within 12 hours, Bulk within 48 hours
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html).
 */
export const RETRIEVAL_HOURS: Record<S3Store["tier"], number> = { Standard: 12, Bulk: 48 };
const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);

export interface S3Deps {
    /** A client for a region (the copy bucket's, the source bucket's). */
    readonly client: (region: string) => S3Client;
    /** Now, for the retrieval's duration and the re-run time. */
    readonly now?: () => Date;
}

async function sha256Of(body: unknown): Promise<string> {
    const hash = crypto.createHash("sha256");
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) hash.update(chunk);
    return hash.digest("hex");
}

const why = (e: unknown) => {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return `${err.name ?? "Error"}${err.$metadata?.httpStatusCode ? ` ${err.$metadata.httpStatusCode}` : ""}: ${err.message ?? String(e)}`;
};

/** Verifies one S3 store: every sampled key restored and equal (SHA-256) to the source object. */
export async function verifyS3(s: S3Store, sourceRegion: string, copyRegion: string, d: S3Deps): Promise<StoreRecord> {
    const now = d.now ?? (() => new Date());
    const problems: string[] = [];
    const checks: Check[] = [];
    const steps: Step[] = [];
    const copyClient = d.client(copyRegion);
    const sourceClient = d.client(sourceRegion);
    const sampled = `${s.keys.length} sampled object${s.keys.length === 1 ? "" : "s"}`;
    const copy = `${sampled} of s3://${s.copyBucket} (Deep Archive in ${copyRegion}), ${s.tier} retrieval`;
    const ongoing: string[] = [];
    let lagSeconds: number | null = null;
    const t0 = now().getTime();
    for (const key of s.keys) {
        let head;
        try {
            head = await copyClient.send(new HeadObjectCommand({ Bucket: s.copyBucket, Key: key }));
        } catch (e) {
            problems.push(`s3://${s.copyBucket}/${key}: HeadObject failed (${why(e)}): the copy of this key is missing or unreadable.`);
            checks.push({ what: `sha256 of ${key}`, source: null, restored: null, ok: false });
            continue;
        }
        const restore = head.Restore;
        if (restore?.includes('ongoing-request="true"')) {
            ongoing.push(key);
            continue;
        }
        if (!restore && ARCHIVED.has(head.StorageClass ?? "")) {
            problems.push(
                `s3://${s.copyBucket}/${key}: in ${head.StorageClass} with no restore requested (no Restore header): ` +
                    "the drill did not restore it.",
            );
            checks.push({ what: `sha256 of ${key}`, source: null, restored: null, ok: false });
            continue;
        }
        try {
            const restored = await copyClient.send(new GetObjectCommand({ Bucket: s.copyBucket, Key: key }));
            const source = await sourceClient.send(new GetObjectCommand({ Bucket: s.sourceBucket, Key: key }));
            const [a, b] = [await sha256Of(source.Body), await sha256Of(restored.Body)];
            checks.push({ what: `sha256 of ${key}`, source: a, restored: b, ok: a === b });
            if (a !== b) {
                const newer = source.LastModified && head.LastModified && source.LastModified > head.LastModified;
                problems.push(
                    `s3://${s.copyBucket}/${key}: the restored copy's SHA-256 differs from the source's` +
                        `${newer ? " (the source object changed after the copy was made)" : ""}.`,
                );
            }
            const lag = elapsedSeconds(head.LastModified?.toISOString(), source.LastModified?.toISOString());
            if (lag !== null) lagSeconds = Math.max(lagSeconds ?? 0, lag);
        } catch (e) {
            problems.push(`s3://${s.copyBucket}/${key}: reading it or its source in s3://${s.sourceBucket} failed (${why(e)}).`);
            checks.push({ what: `sha256 of ${key}`, source: null, restored: null, ok: false });
        }
    }
    const copyAgeHours = lagSeconds === null ? null : round2(lagSeconds / 3600);
    if (ongoing.length > 0) {
        const within = RETRIEVAL_HOURS[s.tier];
        const by = s.requestedAt ? new Date(Date.parse(s.requestedAt) + within * 3600_000).toISOString() : undefined;
        problems.push(
            `${ongoing.length} of ${s.keys.length} sampled objects are still being restored from Deep Archive (${ongoing.join(", ")}); ` +
                `${s.tier} retrievals finish within ${within} hours of the request${by ? `, by ${by}` : ""}: run drill:verify again then.`,
        );
        steps.push({ name: `Deep Archive retrieval (${s.tier})`, seconds: null });
        return {
            store: s.store,
            kind: "s3",
            result: checks.some((c) => !c.ok) ? "fail" : "pending",
            copy,
            copyAgeHours,
            rtoHours: null,
            steps,
            checks,
            problems,
        };
    }
    const retrieval = elapsedSeconds(s.requestedAt, now().toISOString());
    steps.push({ name: `Deep Archive retrieval (${s.tier}), at most`, seconds: retrieval });
    steps.push({ name: "read and hash the sampled objects", seconds: Math.round((now().getTime() - t0) / 1000) });
    const rtoHours = retrieval === null ? null : round2(retrieval / 3600);
    if (s.requestedAt === undefined) problems.push("the drill output gives no requestedAt, so the retrieval time is not measured.");
    const failed = checks.some((c) => !c.ok);
    return { store: s.store, kind: "s3", result: failed ? "fail" : "pass", copy, copyAgeHours, rtoHours, steps, checks, problems };
}
