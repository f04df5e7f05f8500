/**
 * S3 copies: the watch writes a heartbeat object into the replicated source bucket every run and reads the replica's
 * `written-at` metadata in the DR bucket. Replication covers the whole bucket and copies user-defined metadata with
 * the object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html), so the
 * replica's written-at is the moment of the newest write known to have reached the DR region.
 * HeadObject returns an object's metadata without restoring it, also in S3 Glacier Deep Archive
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { isNotFound, reasonOf, WatchError, withTimeout } from "./util";

export const WRITTEN_AT = "written-at";

export interface S3Deps {
    /** The client for a region; undefined = the function's own region (the source bucket's). */
    s3(region?: string): S3Client;
    readonly timeoutMs: number;
}

export interface HeartbeatStore {
    readonly sourceBucket: string;
    readonly copyBucket: string;
    readonly copyRegion: string;
    readonly heartbeatKey: string;
}

/** The replica's written-at; then this run's heartbeat. Both steps run even when the other fails (a first run has no replica yet). */
export async function s3RecoveryPoint(store: HeartbeatStore, deps: S3Deps, now: Date): Promise<{ at: Date; detail: string }> {
    const replica = `s3://${store.copyBucket}/${store.heartbeatKey} (${store.copyRegion})`;
    let at: Date | undefined;
    let readFailure: string | undefined;
    try {
        const head = await withTimeout(`HeadObject ${replica}`, deps.timeoutMs, (abortSignal) =>
            deps.s3(store.copyRegion).send(new HeadObjectCommand({ Bucket: store.copyBucket, Key: store.heartbeatKey }), { abortSignal }),
        );
        const written = head.Metadata?.[WRITTEN_AT];
        const parsed = new Date(written ?? "");
        if (written === undefined || Number.isNaN(parsed.getTime())) {
            readFailure = `the replica ${replica} has no valid ${WRITTEN_AT} metadata (found ${JSON.stringify(written ?? null)})`;
        } else {
            at = parsed;
        }
    } catch (error) {
        readFailure = isNotFound(error)
            ? `no replica of the heartbeat at ${replica} yet (replication has not delivered one)`
            : `reading the replica ${replica} failed: ${reasonOf(error)}`;
    }

    let writeFailure: string | undefined;
    const source = `s3://${store.sourceBucket}/${store.heartbeatKey}`;
    try {
        const iso = now.toISOString();
        await withTimeout(`PutObject ${source}`, deps.timeoutMs, (abortSignal) =>
            deps.s3().send(
                new PutObjectCommand({
                    Bucket: store.sourceBucket,
                    Key: store.heartbeatKey,
                    Body: iso,
                    ContentType: "text/plain",
                    Metadata: { [WRITTEN_AT]: iso },
                }),
                { abortSignal },
            ),
        );
    } catch (error) {
        writeFailure = `writing the heartbeat ${source} failed: ${reasonOf(error)}`;
    }

    const reasons = [readFailure, writeFailure].filter((r): r is string => r !== undefined);
    if (reasons.length > 0 || !at) throw new WatchError(reasons.join("; "));
    return { at, detail: `heartbeat written ${at.toISOString()}` };
}
