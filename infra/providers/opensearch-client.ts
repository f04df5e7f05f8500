// The signed HTTPS client of the OpenSearch dynamic provider (./opensearch.ts): one request to a domain's
// REST API, signed with SigV4 (service "es"), retried while the domain is busy, its answer read within
// bounds, and every failure an OpenSearchApiError whose message names the request and the answer without
// ever showing a credential or a signature.
//
// The provider is serialized with everything its methods reach (./opensearch.ts says how), this module
// by value: it imports no local module and nothing of `pulumi`, and its helpers stay few and small.
import * as https from "https";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface OpenSearchClientOptions {
    /** Credentials for SigV4; default: the AWS default credential chain, loaded at the first request. */
    credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
    /** Per request; default 30000. */
    timeoutMs?: number;
    /** Retries on 429/502/503/504 with exponential backoff; default 3. */
    retries?: number;
    /** The first retry's delay, doubled for each next one; default 500. */
    retryDelayMs?: number;
    /** The longest `Retry-After` a retry waits for; default 60000. An answer asking for longer ends the attempts. */
    maxRetryAfterMs?: number;
    /** The most of an answer's body read, in bytes; default 1 MiB (the objects here are a few kB). */
    maxResponseBytes?: number;
    /** The CA certificates (PEM) the endpoint's certificate must chain to, instead of Node's own: a test server, a private CA. */
    ca?: string | string[];
}

/**
 * What OpenSearch (or the AWS gateway in front of it) answered, or why it could not be reached.
 *
 * The provider itself throws plain Errors named "OpenSearchApiError" (see `apiError`), which
 * `instanceof OpenSearchApiError` recognizes: it runs serialized, and Pulumi's closure serializer
 * turns a subclass's `super(message)` into `Error.call(this, message)`, which leaves the message unset.
 */
export class OpenSearchApiError extends Error {
    readonly status?: number;
    readonly type?: string;
    readonly reason?: string;
    /**
     * Why no usable answer came: the network error code (ECONNREFUSED, ENOTFOUND...), "timeout",
     * "credentials", "input" (an input the provider refuses), "unreadable" (an answer that does not say
     * whether the object exists), "too-large", "cut-short", "tls" or "adopted" (a change to an object
     * this stack does not own).
     */
    readonly code?: string;

    constructor(message: string, details: { status?: number; type?: string; reason?: string; code?: string } = {}) {
        super(message);
        this.name = "OpenSearchApiError";
        Object.assign(this, details);
    }

    static [Symbol.hasInstance](e: unknown): boolean {
        return e instanceof Error && e.name === "OpenSearchApiError";
    }
}
export function apiError(
    message: string,
    details: { status?: number; type?: string; reason?: string; code?: string } = {},
): OpenSearchApiError {
    return Object.assign(new Error(message), { name: "OpenSearchApiError" }, details);
}

/** Which object a request is for, as its messages name it, and the domain it goes to. */
export type Target = { endpoint: string; region: string; kind: string; name: string };
/** `secrets`: what must never be shown (the credentials and the signature this request was sent with). */
export type Answer = { status: number; text: string; json: any; errorType?: string; retryAfter?: string; secrets: string[] };

// The most of a server's text (an error reason, a page) a message quotes.
const QUOTE_LIMIT = 300;
const VPC_HINT =
    "A domain in a VPC answers only from inside that VPC, so the deployment must run from a runner inside the VPC (or a network peered with it).";

export function isRecord(v: unknown): v is Record<string, any> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** An answer to a GET that means "no such object": a 404 carrying OpenSearch's own JSON error. */
export function saysMissing(status: number, json: any): boolean {
    return status === 404 && isRecord(json) && json.status === 404 && isRecord(json.error) && typeof json.error.type === "string";
}

/** The server's text as a message quotes it: the secrets replaced, white space collapsed, cut at QUOTE_LIMIT. */
export function quote(text: string, secrets: string[]): string {
    let t = text;
    for (const s of secrets) if (s.length >= 4) t = t.split(s).join("[redacted]");
    t = t.trim().replace(/\s+/g, " ");
    return t.length > QUOTE_LIMIT ? `${t.slice(0, QUOTE_LIMIT)}… (cut; ${t.length} characters in all)` : t;
}

/** `Retry-After` (delay-seconds or an HTTP date, RFC 9110 section 10.2.3) in milliseconds; undefined when absent or unreadable. */
function retryAfterMs(header: string | undefined): number | undefined {
    if (header === undefined) return undefined;
    if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
    const at = Date.parse(header);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Signed requests to OpenSearch domains; one instance serves every domain, each request says which. */
export class OpenSearchClient {
    // The default credential chain, memoized, once the first request needed it.
    private chain?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

    constructor(private readonly options: OpenSearchClientOptions = {}) {}

    /** One signed request, retried while the domain is busy; any other failure is an OpenSearchApiError. */
    async call(o: Target, method: string, path: string, query: string, body: unknown, updating = false, absentOk = false): Promise<Answer> {
        const origin = new URL(o.endpoint).origin;
        const what = `OpenSearch ${o.kind} '${o.name}'`;
        const retries = this.options.retries ?? 3;
        const maxWait = this.options.maxRetryAfterMs ?? 60000;
        // A POST or a conditional PUT that timed out at the gateway (502/504) may have been applied;
        // repeating it would fail on its own success. 429 and 503 mean the request was not taken.
        const idempotent = method !== "POST" && !query;
        for (let attempt = 0; ; attempt++) {
            const a = await this.send(o, method, path, query, body, what, origin);
            const busy = a.status === 429 || a.status === 503 || (idempotent && (a.status === 502 || a.status === 504));
            let note = "";
            if (busy && attempt < retries) {
                // The server's Retry-After (RFC 9110 section 10.2.3) when it gives one, our backoff when longer.
                const asked = retryAfterMs(a.retryAfter);
                if (asked === undefined || asked <= maxWait) {
                    await new Promise((r) => setTimeout(r, Math.max((this.options.retryDelayMs ?? 500) * 2 ** attempt, asked ?? 0)));
                    continue;
                }
                note = ` It asked to be retried after ${Math.ceil(asked / 1000)} s, longer than the provider waits (${maxWait / 1000} s): run the deployment again later.`;
            }
            if ((a.status >= 200 && a.status < 300) || (absentOk && saysMissing(a.status, a.json))) return a;
            const err = a.json?.error;
            const rawType: unknown = err?.type ?? a.errorType;
            const type = typeof rawType === "string" ? quote(rawType, a.secrets) : undefined;
            const given: unknown = (typeof err === "string" ? err : err?.reason) ?? a.json?.Message ?? a.json?.message;
            const reason =
                typeof given === "string" && given.trim() ? quote(given, a.secrets) : a.text.trim() ? quote(a.text, a.secrets) : undefined;
            const hint =
                updating && a.status === 404
                    ? " The object is gone from the domain: `pulumi refresh` drops it from the stack's state, and the next `pulumi up` creates it again."
                    : absentOk && a.status === 404
                      ? " That is not OpenSearch's answer for a missing object, so whether it exists cannot be told; nothing was changed."
                      : "";
            throw apiError(
                `${what} on ${origin}: ${method} ${path}${query} answered ${a.status}${type ? ` ${type}` : ""}${reason ? `: ${reason}` : " with an empty body"}${hint}${note}`,
                { status: a.status, type, reason },
            );
        }
    }

    private async send(
        o: Target,
        method: string,
        path: string,
        query: string,
        body: unknown,
        what: string,
        origin: string,
    ): Promise<Answer> {
        const url = new URL(o.endpoint);
        const payload = body === undefined ? "" : JSON.stringify(body);
        const headers: Record<string, string> = { host: url.host, "content-type": "application/json" };
        if (payload) headers["content-length"] = String(Buffer.byteLength(payload));
        let signed: { headers: Record<string, string> };
        let secrets: string[];
        try {
            if (!this.options.credentials && !this.chain) {
                // Loaded here, not at import: the program only declares resources and never signs.
                const { defaultProvider } =
                    require("@aws-sdk/credential-provider-node") as typeof import("@aws-sdk/credential-provider-node");
                this.chain = defaultProvider();
            }
            const credentials = await (this.options.credentials ?? this.chain!)();
            const signer = new SignatureV4({ service: "es", region: o.region, credentials, sha256: Hash.bind(null, "sha256") });
            const q = Object.fromEntries(new URLSearchParams(query));
            signed = await signer.sign({
                method,
                protocol: url.protocol,
                hostname: url.hostname,
                port: url.port ? Number(url.port) : undefined,
                path,
                query: q,
                headers,
                body: payload || undefined,
            });
            // Never shown in a message, even if a proxy's error page echoes the request's headers.
            const signature = /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? "")?.[1] ?? "";
            secrets = [credentials.secretAccessKey, credentials.sessionToken ?? "", credentials.accessKeyId, signature];
        } catch (e) {
            throw apiError(
                `${what}: could not sign the request to ${origin} with AWS credentials (${quote(String((e as Error)?.message ?? e), [])}).`,
                { code: "credentials" },
            );
        }
        const timeoutMs = this.options.timeoutMs ?? 30000;
        const maxBytes = this.options.maxResponseBytes ?? 1048576;
        return new Promise<Answer>((resolve, reject) => {
            // Declared before the callbacks that read them: Pulumi's closure analysis needs them in scope first.
            // eslint-disable-next-line prefer-const -- assigned below, after the callbacks that read it
            let req: ReturnType<typeof https.request> | undefined;
            // eslint-disable-next-line prefer-const -- the same
            let timer: NodeJS.Timeout | undefined;
            let timedOut = false;
            let connected = false;
            let secured = false;
            let answered = false;
            let settled = false;
            let received = 0;
            const fail = (message: string, details: { status?: number; code?: string }) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                req?.destroy();
                reject(apiError(message, details));
            };
            // Which step failed decides the message: only a connection that was never made says VPC.
            const broken = (e: NodeJS.ErrnoException) => {
                const cause = quote(e.code ?? e.message, secrets);
                const waited = `${timeoutMs / 1000} s`;
                if (answered) {
                    fail(
                        `${what} on ${origin}: the answer to ${method} ${path}${query} was cut short after ${received} bytes (${timedOut ? `nothing more within ${waited}` : cause}).`,
                        { code: "cut-short" },
                    );
                } else if (!connected) {
                    fail(`${what}: could not reach ${origin} (${timedOut ? `no connection within ${waited}` : cause}). ${VPC_HINT}`, {
                        code: timedOut ? "timeout" : e.code,
                    });
                } else if (!secured) {
                    fail(
                        `${what}: no TLS connection with ${origin} (${timedOut ? `no handshake within ${waited}` : quote(e.code ? `${e.code}: ${e.message}` : e.message, secrets)}).`,
                        { code: "tls" },
                    );
                } else {
                    fail(
                        `${what}: ${origin} did not answer ${method} ${path}${query} (${timedOut ? `no answer within ${waited}` : cause}).`,
                        { code: timedOut ? "timeout" : e.code },
                    );
                }
            };
            req = https.request(
                {
                    method,
                    hostname: url.hostname,
                    port: url.port || undefined,
                    path: path + query,
                    headers: signed.headers,
                    ...(this.options.ca ? { ca: this.options.ca } : {}),
                },
                (res) => {
                    answered = true;
                    const status = res.statusCode ?? 0;
                    const tooLarge = () =>
                        fail(
                            `${what} on ${origin}: ${method} ${path}${query} answered ${status} with a body of more than ${maxBytes} bytes, more than the provider reads; nothing was changed on its account.`,
                            {
                                status,
                                code: "too-large",
                            },
                        );
                    if (Number(res.headers["content-length"]) > maxBytes) return tooLarge();
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => {
                        received += c.length;
                        if (received > maxBytes) tooLarge();
                        else chunks.push(c);
                    });
                    res.on("error", broken);
                    res.on("close", () => {
                        if (!res.complete) broken(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
                    });
                    res.on("end", () => {
                        if (settled) return;
                        settled = true;
                        clearTimeout(timer);
                        const text = Buffer.concat(chunks).toString("utf8");
                        let json: any;
                        try {
                            json = text ? JSON.parse(text) : undefined;
                        } catch {
                            json = undefined;
                        }
                        // The AWS gateway names its error in a header, "AccessDeniedException:http://internal..." at times.
                        const errorType = String(res.headers["x-amzn-errortype"] ?? "").split(":")[0] || undefined;
                        const retryAfter = res.headers["retry-after"];
                        resolve({
                            status,
                            text,
                            json,
                            errorType,
                            retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
                            secrets,
                        });
                    });
                },
            );
            req.on("socket", (s) => {
                // A kept-alive socket is connected and secured already.
                if (!s.connecting) {
                    connected = secured = true;
                    return;
                }
                s.once("connect", () => (connected = true));
                s.once("secureConnect", () => (secured = true));
            });
            timer = setTimeout(() => {
                timedOut = true;
                req?.destroy(new Error("timeout"));
            }, timeoutMs);
            req.on("error", broken);
            req.end(payload || undefined);
        });
    }
}
