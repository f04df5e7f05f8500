/** Small helpers shared by the readers of the recovery-point watch (runs in Lambda: node builtins only). */

/** A failure whose message is already the full reason logged and returned for a store. */
export class WatchError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WatchError";
    }
}

/**
 * Runs one remote call with its own time limit. The AbortSignal is handed to the AWS SDK (`send(cmd, { abortSignal })`)
 * so a call that outlives its limit is cancelled, not merely ignored.
 */
export async function withTimeout<T>(what: string, ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new WatchError(`${what} timed out after ${ms} ms`));
        }, ms);
    });
    try {
        return await Promise.race([call(controller.signal), expired]);
    } finally {
        clearTimeout(timer);
    }
}

/** The reason text of any error: AWS SDK errors carry a name (AccessDenied, NoSuchKey ...) and an HTTP status. */
export function reasonOf(error: unknown): string {
    if (error instanceof WatchError) return error.message;
    if (error instanceof Error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
        return `${name}${error.message}${status ? ` (HTTP ${status})` : ""}`;
    }
    return String(error);
}

/** Whether an AWS SDK error means "no such object" (GetObject answers NoSuchKey, HeadObject a bare 404 NotFound). */
export function isNotFound(error: unknown): boolean {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/** Reads a whole S3 object body: the SDK's stream mixin when present, else any (async) iterable of chunks. */
export async function readBody(body: unknown): Promise<Buffer> {
    if (body === undefined || body === null) return Buffer.alloc(0);
    const mixin = body as { transformToByteArray?: () => Promise<Uint8Array> };
    if (typeof mixin.transformToByteArray === "function") return Buffer.from(await mixin.transformToByteArray());
    if (typeof body === "string" || body instanceof Uint8Array) return Buffer.from(body);
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
}

/** Hours between two instants, to the nearest 0.001 h (3.6 s): precise enough for an RPO in hours, stable in logs. */
export function hoursBetween(earlier: Date, later: Date): number {
    return Math.round((later.getTime() - earlier.getTime()) / 3_600) / 1_000;
}
