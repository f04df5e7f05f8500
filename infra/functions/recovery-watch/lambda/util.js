"use strict";
/** Small helpers shared by the readers of the recovery-point watch (runs in Lambda: node builtins only). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.WatchError = void 0;
exports.withTimeout = withTimeout;
exports.reasonOf = reasonOf;
exports.isNotFound = isNotFound;
exports.readBody = readBody;
exports.hoursBetween = hoursBetween;
/** A failure whose message is already the full reason logged and returned for a store. */
class WatchError extends Error {
    constructor(message) {
        super(message);
        this.name = "WatchError";
    }
}
exports.WatchError = WatchError;
/**
 * Runs one remote call with its own time limit. The AbortSignal is handed to the AWS SDK (`send(cmd, { abortSignal })`)
 * so a call that outlives its limit is cancelled, not merely ignored.
 */
async function withTimeout(what, ms, call) {
    const controller = new AbortController();
    let timer;
    const expired = new Promise((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new WatchError(`${what} timed out after ${ms} ms`));
        }, ms);
    });
    try {
        return await Promise.race([call(controller.signal), expired]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** The reason text of any error: AWS SDK errors carry a name (AccessDenied, NoSuchKey ...) and an HTTP status. */
function reasonOf(error) {
    if (error instanceof WatchError)
        return error.message;
    if (error instanceof Error) {
        const status = error.$metadata?.httpStatusCode;
        const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
        return `${name}${error.message}${status ? ` (HTTP ${status})` : ""}`;
    }
    return String(error);
}
/** Whether an AWS SDK error means "no such object" (GetObject answers NoSuchKey, HeadObject a bare 404 NotFound). */
function isNotFound(error) {
    const e = error;
    return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}
/** Reads a whole S3 object body: the SDK's stream mixin when present, else any (async) iterable of chunks. */
async function readBody(body) {
    if (body === undefined || body === null)
        return Buffer.alloc(0);
    const mixin = body;
    if (typeof mixin.transformToByteArray === "function")
        return Buffer.from(await mixin.transformToByteArray());
    if (typeof body === "string" || body instanceof Uint8Array)
        return Buffer.from(body);
    const chunks = [];
    for await (const chunk of body)
        chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
}
/** Hours between two instants, to the nearest 0.001 h (3.6 s): precise enough for an RPO in hours, stable in logs. */
function hoursBetween(earlier, later) {
    return Math.round((later.getTime() - earlier.getTime()) / 3600) / 1000;
}
