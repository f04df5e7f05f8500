// Amazon OpenSearch Service keeps part of a domain's configuration as objects of the cluster's own
// REST API (snapshot repositories, snapshot-management policies, index templates), which neither
// @pulumi/aws nor any other provider manages. This dynamic provider does, over SigV4-signed HTTPS.
//
// Pulumi serializes the provider instance with everything its methods reach: module-level helpers
// by value, node_modules as `require(...)`. So this file imports no local module, its helpers stay
// few and small, and the provider's methods never touch `pulumi` at run time.
import * as pulumi from "@pulumi/pulumi";
import * as http from "http";
import * as https from "https";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export type OpenSearchKind = "snapshot-repository" | "snapshot-policy" | "index-template" | "notification-channel";

/** Inputs (and outputs) of every OpenSearch object, as the engine and a policy pack see them. */
export interface OpenSearchObjectInputs {
    /** Base URL, "https://<domain endpoint>" (http:// is accepted: tests use a local server). */
    endpoint: string;
    /** SigV4 signing region (the domain's region); the service is "es". */
    region: string;
    kind: OpenSearchKind;
    /** Repository, SM policy or index template name. */
    name: string;
    /** The REST body exactly as OpenSearch takes it. */
    body: Record<string, unknown>;
}

export interface OpenSearchObjectOutputs extends OpenSearchObjectInputs {
    /** true when create found the object already there with the same body: delete then leaves it alone. */
    adopted: boolean;
}

export interface OpenSearchProviderOptions {
    /** Credentials for SigV4; default: the AWS default credential chain, loaded at the first request. */
    credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
    /** Per request; default 30000. */
    timeoutMs?: number;
    /** Retries on 429/502/503/504 with exponential backoff; default 3. */
    retries?: number;
    /** The first retry's delay, doubled for each next one; default 500. */
    retryDelayMs?: number;
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
    /** The network error code (ECONNREFUSED, ENOTFOUND...), "timeout" or "credentials" when no request was answered. */
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

function apiError(message: string, details: { status?: number; type?: string; reason?: string; code?: string } = {}): OpenSearchApiError {
    return Object.assign(new Error(message), { name: "OpenSearchApiError" }, details);
}

type Obj = OpenSearchObjectInputs & { adopted?: boolean };
type Live = { body: unknown; seqNo?: number; primaryTerm?: number };
type Answer = { status: number; text: string; json: any; errorType?: string };

// The engine's marker for an input not known before another resource exists (a new domain's endpoint).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Each kind's REST routes. An object lives at `item` + its URL-encoded name and is created with
 * `create` there (an SM policy is POSTed once, then PUT), or, with `collection`, POSTed to the
 * collection itself (`item` without its last slash) with its name inside the document: a
 * notification channel's config_id. `wrap` makes the document of a create (name given) or an update
 * from the body, when OpenSearch wants it wrapped; `found` takes the body out of a GET's 200 answer,
 * undefined when the answer does not list the object.
 */
const ROUTES: Record<
    OpenSearchKind,
    { item: string; create: "PUT" | "POST"; collection?: boolean; wrap?: (body: unknown, name?: string) => unknown; found: (json: any, name: string) => Live | undefined }
> = {
    "snapshot-repository": { item: "/_snapshot/", create: "PUT", found: (json, name) => ({ body: json?.[name] }) },
    "snapshot-policy": {
        item: "/_plugins/_sm/policies/",
        create: "POST",
        found: (json) => ({ body: json?.sm_policy, seqNo: json?._seq_no, primaryTerm: json?._primary_term }),
    },
    "index-template": {
        item: "/_index_template/",
        create: "PUT",
        found: (json, name) => {
            const t = (json?.index_templates ?? []).find((x: { name?: string }) => x.name === name);
            return t ? { body: t.index_template } : undefined;
        },
    },
    "notification-channel": {
        item: "/_plugins/_notifications/configs/",
        create: "POST",
        collection: true,
        wrap: (config, name) => (name === undefined ? { config } : { config_id: name, config }),
        found: (json, name) => {
            const c = (json?.config_list ?? []).find((x: { config_id?: string }) => x.config_id === name);
            return c ? { body: c.config } : undefined;
        },
    },
};

/**
 * The server's `live` value in the shape of the `stored` one: only the keys `stored` has, recursively,
 * so that what OpenSearch adds (defaults, timestamps, schema versions) is no drift; scalars in
 * stored's JS type, since OpenSearch answers settings as strings ("1", "true"). Index settings come
 * back nested (`index.number_of_replicas`) whatever form they were given in, so under an index
 * template's `template.settings` a flat or dotted key is looked up there too.
 */
function project(stored: unknown, live: unknown, template = false, path = ""): unknown {
    if (Array.isArray(stored) && Array.isArray(live)) {
        return live.map((v, i) => project(stored[Math.min(i, stored.length - 1)], v, template, path));
    }
    if (stored !== null && typeof stored === "object" && !Array.isArray(stored)) {
        if (live === null || typeof live !== "object" || Array.isArray(live)) return live;
        const from = live as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(stored)) {
            let found = from[k];
            if (found === undefined && template && path === "template.settings") {
                const steps = (k.startsWith("index.") ? k : `index.${k}`).split(".");
                found = steps.reduce<any>((o, step) => (o !== null && typeof o === "object" ? o[step] : undefined), from);
            }
            if (found !== undefined) out[k] = project(v, found, template, path ? `${path}.${k}` : k);
        }
        return out;
    }
    if (typeof live === "string" && typeof stored === "number" && live.trim() !== "" && !Number.isNaN(Number(live))) return Number(live);
    if (typeof live === "string" && typeof stored === "boolean" && (live === "true" || live === "false")) return live === "true";
    if ((typeof live === "number" || typeof live === "boolean") && typeof stored === "string") return String(live);
    return live;
}

/**
 * Where two bodies differ ("body.x is 1 here and 2 there"), or undefined when they are the same.
 * Scalars are compared by value across types ("1" == 1, "true" == true): OpenSearch stores strings.
 */
function difference(here: unknown, there: unknown, path = "body"): string | undefined {
    if (here !== null && there !== null && typeof here === "object" && typeof there === "object" && Array.isArray(here) === Array.isArray(there)) {
        for (const k of new Set([...Object.keys(here), ...Object.keys(there)])) {
            const d = difference((here as any)[k], (there as any)[k], Array.isArray(here) ? `${path}[${k}]` : `${path}.${k}`);
            if (d) return d;
        }
        return undefined;
    }
    const scalar = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v === "true" ? true : v === "false" ? false : v);
    if (scalar(here) === scalar(there)) return undefined;
    return `${path} is ${JSON.stringify(here) ?? "absent"} here and ${JSON.stringify(there) ?? "absent"} there`;
}

/**
 * Create, read, update and delete of OpenSearch REST objects. One instance serves every kind; each
 * resource's inputs say which object on which domain.
 */
export class OpenSearchProvider implements pulumi.dynamic.ResourceProvider {
    // The default credential chain, memoized, once the first request needed it.
    private chain?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

    constructor(private readonly options: OpenSearchProviderOptions = {}) {}

    async check(_olds: Obj, news: Obj): Promise<pulumi.dynamic.CheckResult> {
        const failures: { property: string; reason: string }[] = [];
        const found = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
        const known = (v: unknown) => v !== UNKNOWN;
        let url: URL | undefined;
        try {
            url = new URL(news.endpoint);
        } catch {
            // reported below
        }
        if (known(news.endpoint) && (!url || !/^https?:$/.test(url.protocol) || !url.hostname || url.pathname !== "/" || url.search || url.hash)) {
            failures.push({
                property: "endpoint",
                reason: `endpoint must be the domain's base URL, such as https://search-x.eu-west-1.es.amazonaws.com (a domain's endpoint attribute is a bare host name: prefix it with https://); found ${found(news.endpoint)}.`,
            });
        }
        if (known(news.region) && (typeof news.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(news.region))) {
            failures.push({ property: "region", reason: `region must be the domain's AWS region, such as eu-west-1; found ${found(news.region)}.` });
        }
        if (!Object.keys(ROUTES).includes(news.kind)) {
            failures.push({ property: "kind", reason: `kind must be one of ${Object.keys(ROUTES).join(", ")}; found ${found(news.kind)}.` });
        }
        if (known(news.name) && (typeof news.name !== "string" || news.name.trim() === "")) {
            failures.push({ property: "name", reason: `name must be a non-empty string; found ${found(news.name)}.` });
        }
        if (known(news.body) && (news.body === null || typeof news.body !== "object" || Array.isArray(news.body))) {
            failures.push({ property: "body", reason: `body must be an object (the REST body OpenSearch takes); found ${found(news.body)}.` });
        }
        return { inputs: news, failures };
    }

    async diff(_id: string, olds: Obj, news: Obj): Promise<pulumi.dynamic.DiffResult> {
        // Another endpoint is another domain, another name another object: neither can be changed in place.
        const replaces = (["endpoint", "kind", "name"] as const).filter((k) => olds[k] !== news[k]);
        // Two index templates with overlapping patterns and the same priority are refused, so a renamed
        // template must go before its successor comes; the gap lasts one request.
        const deleteBeforeReplace =
            replaces.length > 0 && olds.kind === "index-template" && news.kind === "index-template" && olds.endpoint === news.endpoint;
        const changes = replaces.length > 0 || olds.region !== news.region || difference(olds.body, news.body) !== undefined;
        return { changes, replaces, deleteBeforeReplace };
    }

    async create(inputs: Obj): Promise<pulumi.dynamic.CreateResult> {
        const o = this.outputs(inputs, false);
        const live = await this.live(o);
        if (!live) {
            const route = ROUTES[o.kind];
            const at = route.collection ? route.item.slice(0, -1) : this.path(o);
            await this.call(o, route.create, at, "", route.wrap ? route.wrap(o.body, o.name) : o.body);
        } else {
            // Already there: ours only if it says exactly what we would write, and then not ours to delete.
            const d = difference(o.body, project(o.body, live.body, o.kind === "index-template"));
            if (d) {
                throw apiError(
                    `OpenSearch ${o.kind} '${o.name}' on ${new URL(o.endpoint).origin} already exists with another body (${d}); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                );
            }
            o.adopted = true;
        }
        return { id: `${o.kind}/${o.name}`, outs: o };
    }

    async read(id: string, props: Obj): Promise<pulumi.dynamic.ReadResult> {
        const live = await this.live(props);
        // A result without an id tells the engine that the object is gone, and refresh drops it from the state.
        if (!live) return {};
        const body = project(props.body, live.body, props.kind === "index-template") as Record<string, unknown>;
        return { id, props: { ...this.outputs(props, props.adopted ?? false), body } };
    }

    async update(_id: string, olds: Obj, news: Obj): Promise<pulumi.dynamic.UpdateResult> {
        // Only the signing region changed: nothing to write, and an adopted object stays someone else's.
        if (difference(olds.body, news.body) === undefined) return { outs: this.outputs(news, olds.adopted ?? false) };
        const o = this.outputs(news, false);
        let query = "";
        if (o.kind === "snapshot-policy") {
            // OpenSearch takes an SM policy update only with the sequence number of the version it replaces.
            const live = await this.live(o, true);
            query = `?if_seq_no=${live?.seqNo}&if_primary_term=${live?.primaryTerm}`;
        }
        const wrap = ROUTES[o.kind].wrap;
        await this.call(o, "PUT", this.path(o), query, wrap ? wrap(o.body) : o.body, true);
        // Once we have written it, the object is ours, adopted or not: destroying the stack deletes it.
        return { outs: o };
    }

    async delete(_id: string, props: Obj): Promise<void> {
        // It was there before the stack, so it stays after it.
        if (props.adopted) return;
        // A repository is only unregistered: its snapshots stay in the bucket. Deleting an SM policy
        // keeps the snapshots it took, deleting a template keeps the indices created from it.
        await this.call(props, "DELETE", this.path(props), "", undefined, false, true);
    }

    /** The outputs: the inputs without the engine's own keys (__provider), and whether we adopted. */
    private outputs(i: Obj, adopted: boolean): OpenSearchObjectOutputs {
        return { endpoint: i.endpoint, region: i.region, kind: i.kind, name: i.name, body: i.body, adopted };
    }

    private path(o: Obj): string {
        return ROUTES[o.kind].item + encodeURIComponent(o.name);
    }

    /** The object as the domain has it, or undefined when it does not exist (or fails, in an update). */
    private async live(o: Obj, updating = false): Promise<Live | undefined> {
        const a = await this.call(o, "GET", this.path(o), "", undefined, updating, !updating);
        // A 404 or an answer that does not list it (an empty config_list, say): either way, not there.
        return a.status === 404 ? undefined : ROUTES[o.kind].found(a.json, o.name);
    }

    /** One signed request, retried while the domain is busy; any other failure is an OpenSearchApiError. */
    private async call(o: Obj, method: string, path: string, query: string, body: unknown, updating = false, absentOk = false): Promise<Answer> {
        const origin = new URL(o.endpoint).origin;
        const what = `OpenSearch ${o.kind} '${o.name}'`;
        const retries = this.options.retries ?? 3;
        // A POST or a conditional PUT that timed out at the gateway (502/504) may have been applied;
        // repeating it would fail on its own success. 429 and 503 mean the request was not taken.
        const idempotent = method !== "POST" && !query;
        for (let attempt = 0; ; attempt++) {
            const a = await this.send(o, method, path, query, body, what, origin);
            const busy = a.status === 429 || a.status === 503 || (idempotent && (a.status === 502 || a.status === 504));
            if (busy && attempt < retries) {
                await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 500) * 2 ** attempt));
                continue;
            }
            if ((a.status >= 200 && a.status < 300) || (absentOk && a.status === 404)) return a;
            const err = a.json?.error;
            const type: string | undefined = err?.type ?? a.errorType;
            const reason: string | undefined =
                (typeof err === "string" ? err : err?.reason) ?? a.json?.Message ?? a.json?.message ?? (a.text.trim() ? a.text.trim().replace(/\s+/g, " ").slice(0, 200) : undefined);
            const hint =
                updating && a.status === 404
                    ? " The object is gone from the domain: `pulumi refresh` drops it from the stack's state, and the next `pulumi up` creates it again."
                    : "";
            throw apiError(
                `${what} on ${origin}: ${method} ${path}${query} answered ${a.status}${type ? ` ${type}` : ""}${reason ? `: ${reason}` : " with an empty body"}${hint}`,
                { status: a.status, type, reason },
            );
        }
    }

    private async send(o: Obj, method: string, path: string, query: string, body: unknown, what: string, origin: string): Promise<Answer> {
        const url = new URL(o.endpoint);
        const payload = body === undefined ? "" : JSON.stringify(body);
        const headers: Record<string, string> = { host: url.host, "content-type": "application/json" };
        if (payload) headers["content-length"] = String(Buffer.byteLength(payload));
        let signed: { headers: Record<string, string> };
        try {
            if (!this.options.credentials && !this.chain) {
                // Loaded here, not at import: the program only declares resources and never signs.
                const { defaultProvider } = require("@aws-sdk/credential-provider-node") as typeof import("@aws-sdk/credential-provider-node");
                this.chain = defaultProvider();
            }
            const signer = new SignatureV4({ service: "es", region: o.region, credentials: this.options.credentials ?? this.chain!, sha256: Hash.bind(null, "sha256") });
            const q = Object.fromEntries(new URLSearchParams(query));
            signed = await signer.sign({ method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path, query: q, headers, body: payload || undefined });
        } catch (e) {
            throw apiError(`${what}: could not sign the request to ${origin} with AWS credentials (${(e as Error).message}).`, { code: "credentials" });
        }
        const timeoutMs = this.options.timeoutMs ?? 30000;
        return new Promise<Answer>((resolve, reject) => {
            // Declared before the callbacks that read them: Pulumi's closure analysis needs them in scope first.
            let timedOut = false;
            let timer: NodeJS.Timeout | undefined;
            const unreachable = (e: NodeJS.ErrnoException) => {
                clearTimeout(timer);
                const cause = timedOut ? `no answer within ${timeoutMs / 1000} s` : (e.code ?? e.message);
                reject(
                    apiError(
                        `${what}: could not reach ${origin} (${cause}). A domain in a VPC answers only from inside that VPC, so the deployment must run from a runner inside the VPC (or a network peered with it).`,
                        { code: timedOut ? "timeout" : e.code },
                    ),
                );
            };
            const req = (url.protocol === "https:" ? https : http).request(
                { method, hostname: url.hostname, port: url.port || undefined, path: path + query, headers: signed.headers },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("error", unreachable);
                    res.on("end", () => {
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
                        resolve({ status: res.statusCode ?? 0, text, json, errorType });
                    });
                },
            );
            timer = setTimeout(() => {
                timedOut = true;
                req.destroy(new Error("timeout"));
            }, timeoutMs);
            req.on("error", unreachable);
            req.end(payload || undefined);
        });
    }
}

/** A value the program may give as an output of another resource, at any depth. */
export type DeepInput<T> = T extends object ? { [K in keyof T]: DeepInput<T[K]> } | pulumi.Input<T> : pulumi.Input<T>;

export interface OpenSearchObjectArgs<TBody> {
    endpoint: pulumi.Input<string>;
    region: pulumi.Input<string>;
    name: pulumi.Input<string>;
    body: DeepInput<TBody>;
}

export interface SnapshotRepositoryBody {
    type: "s3";
    settings: { bucket: string; region: string; role_arn: string; base_path?: string; server_side_encryption?: boolean };
}

export interface SnapshotPolicyBody {
    description?: string;
    enabled?: boolean;
    creation: { schedule: { cron: { expression: string; timezone: string } }; time_limit?: string };
    deletion?: {
        schedule?: { cron: { expression: string; timezone: string } };
        condition: { max_age?: string; max_count?: number; min_count?: number };
        time_limit?: string;
    };
    snapshot_config: {
        repository: string;
        indices?: string;
        date_format?: string;
        timezone?: string;
        include_global_state?: boolean;
        partial?: boolean;
        ignore_unavailable?: boolean;
    };
    /**
     * Where SM reports: `channel.id` is a notification channel's config id (a NotificationChannel's
     * name), and `conditions.failure` is what makes a failed snapshot heard. SM fills in the conditions
     * left out as creation true and the rest false, so give all four: `{ failure: true }` alone also
     * reports every snapshot taken. The filled-in ones are no drift (reads keep only the keys given).
     */
    notification?: {
        channel: { id: string };
        conditions?: { creation?: boolean; deletion?: boolean; failure?: boolean; time_limit_exceeded?: boolean };
    };
}

/** An OpenSearch Notifications channel; SNS here, published with a role the domain assumes. */
export interface NotificationChannelBody {
    name: string;
    description?: string;
    config_type: "sns";
    is_enabled?: boolean;
    sns: { topic_arn: string; role_arn: string };
}

export interface IndexTemplateBody {
    index_patterns: string[];
    priority?: number;
    template: { settings: { number_of_shards?: number; number_of_replicas: number; [k: string]: unknown } };
}

// One instance for every resource: its serialized text is cached once and shared by all of them.
const provider = new OpenSearchProvider();

abstract class OpenSearchObject<TBody> extends pulumi.dynamic.Resource {
    declare readonly endpoint: pulumi.Output<string>;
    declare readonly region: pulumi.Output<string>;
    declare readonly kind: pulumi.Output<OpenSearchKind>;
    declare readonly name: pulumi.Output<string>;
    declare readonly body: pulumi.Output<TBody>;
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(kind: OpenSearchKind, type: string, name: string, args: OpenSearchObjectArgs<TBody>, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, kind, adopted: undefined }, opts, "opensearch", type);
    }
}

/** An S3 snapshot repository: `PUT /_snapshot/{name}`. */
export class SnapshotRepository extends OpenSearchObject<SnapshotRepositoryBody> {
    constructor(name: string, args: OpenSearchObjectArgs<SnapshotRepositoryBody>, opts?: pulumi.CustomResourceOptions) {
        super("snapshot-repository", "SnapshotRepository", name, args, opts);
    }
}

/** A snapshot-management policy: `/_plugins/_sm/policies/{name}`. */
export class SnapshotPolicy extends OpenSearchObject<SnapshotPolicyBody> {
    constructor(name: string, args: OpenSearchObjectArgs<SnapshotPolicyBody>, opts?: pulumi.CustomResourceOptions) {
        super("snapshot-policy", "SnapshotPolicy", name, args, opts);
    }
}

/** A composable index template: `PUT /_index_template/{name}`. */
export class IndexTemplate extends OpenSearchObject<IndexTemplateBody> {
    constructor(name: string, args: OpenSearchObjectArgs<IndexTemplateBody>, opts?: pulumi.CustomResourceOptions) {
        super("index-template", "IndexTemplate", name, args, opts);
    }
}

/** A Notifications channel (`/_plugins/_notifications/configs/{id}`): the resource's name is the config id. */
export class NotificationChannel extends OpenSearchObject<NotificationChannelBody> {
    constructor(name: string, args: OpenSearchObjectArgs<NotificationChannelBody>, opts?: pulumi.CustomResourceOptions) {
        super("notification-channel", "NotificationChannel", name, args, opts);
    }
}
