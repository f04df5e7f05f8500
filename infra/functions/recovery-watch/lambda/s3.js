"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WRITTEN_AT = void 0;
exports.s3RecoveryPoint = s3RecoveryPoint;
/**
 * S3 copies: the watch writes a heartbeat object into the replicated source bucket every run and reads the replica's
 * `written-at` metadata in the DR bucket. Replication covers the whole bucket and copies user-defined metadata with
 * the object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html), so the
 * replica's written-at is the moment of the newest write known to have reached the DR region.
 * HeadObject returns an object's metadata without restoring it, also in S3 Glacier Deep Archive
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
const client_s3_1 = require("@aws-sdk/client-s3");
const util_1 = require("./util");
exports.WRITTEN_AT = "written-at";
/** The replica's written-at; then this run's heartbeat. Both steps run even when the other fails (a first run has no replica yet). */
async function s3RecoveryPoint(store, deps, now) {
    const replica = `s3://${store.copyBucket}/${store.heartbeatKey} (${store.copyRegion})`;
    let at;
    let readFailure;
    try {
        const head = await (0, util_1.withTimeout)(`HeadObject ${replica}`, deps.timeoutMs, (abortSignal) => deps.s3(store.copyRegion).send(new client_s3_1.HeadObjectCommand({ Bucket: store.copyBucket, Key: store.heartbeatKey }), { abortSignal }));
        const written = head.Metadata?.[exports.WRITTEN_AT];
        const parsed = new Date(written ?? "");
        if (written === undefined || Number.isNaN(parsed.getTime())) {
            readFailure = `the replica ${replica} has no valid ${exports.WRITTEN_AT} metadata (found ${JSON.stringify(written ?? null)})`;
        }
        else {
            at = parsed;
        }
    }
    catch (error) {
        readFailure = (0, util_1.isNotFound)(error)
            ? `no replica of the heartbeat at ${replica} yet (replication has not delivered one)`
            : `reading the replica ${replica} failed: ${(0, util_1.reasonOf)(error)}`;
    }
    let writeFailure;
    const source = `s3://${store.sourceBucket}/${store.heartbeatKey}`;
    try {
        const iso = now.toISOString();
        await (0, util_1.withTimeout)(`PutObject ${source}`, deps.timeoutMs, (abortSignal) => deps.s3().send(new client_s3_1.PutObjectCommand({
            Bucket: store.sourceBucket,
            Key: store.heartbeatKey,
            Body: iso,
            ContentType: "text/plain",
            Metadata: { [exports.WRITTEN_AT]: iso },
        }), { abortSignal }));
    }
    catch (error) {
        writeFailure = `writing the heartbeat ${source} failed: ${(0, util_1.reasonOf)(error)}`;
    }
    const reasons = [readFailure, writeFailure].filter((r) => r !== undefined);
    if (reasons.length > 0 || !at)
        throw new util_1.WatchError(reasons.join("; "));
    return { at, detail: `heartbeat written ${at.toISOString()}` };
}
