// Amazon OpenSearch Service keeps part of a domain's configuration as objects of the cluster's own
// REST API (snapshot repositories, snapshot-management policies, index templates), which neither
// @pulumi/aws nor any other provider manages. This dynamic provider does, over SigV4-signed HTTPS.
//
// It never overwrites or deletes what it did not create: an object it finds on the domain is adopted
// only when it says exactly what we would write, and is then neither changed nor deleted; an answer
// it cannot read is an error, never taken for "absent".
//
// Pulumi serializes the provider instance with everything its methods reach: module-level helpers
// by value, node_modules as `require(...)`, a local module by value (what is used of it). So this
// file imports no local module but its HTTP client (./opensearch-client.ts: signing, retries, bounded
// answers, errors), which imports none; helpers stay few and small, and the provider's methods never
// touch `pulumi` at run time.
import * as pulumi from "@pulumi/pulumi";
import { apiError, isRecord, OpenSearchClient, OpenSearchClientOptions, quote, saysMissing } from "./opensearch-client";

export { OpenSearchApiError } from "./opensearch-client";

export type OpenSearchKind = "snapshot-repository" | "snapshot-policy" | "index-template" | "notification-channel";

/** Inputs (and outputs) of every OpenSearch object, as the engine and a policy pack see them. */
export interface OpenSearchObjectInputs {
    /** Base URL, "https://<domain endpoint>": https only, without a user name or password. */
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
    /** true when create found the object already there with the same body: it stays someone else's, never updated nor deleted. */
    adopted: boolean;
}

/** The HTTP client's options (./opensearch-client.ts): credentials, timeout, retries, answer size, CA. */
export type OpenSearchProviderOptions = OpenSearchClientOptions;

type Obj = OpenSearchObjectInputs & { adopted?: boolean };
type Live = { body: unknown; seqNo?: number; primaryTerm?: number };

// The engine's marker for an input not known before another resource exists (a new domain's endpoint).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Each kind's REST routes. An object lives at `item` + its URL-encoded name and is created with
 * `create` there (an SM policy is POSTed once, then PUT), or, with `collection`, POSTed to the
 * collection itself (`item` without its last slash) with its name inside the document: a
 * notification channel's config_id. `createQuery` makes a create fail rather than replace an object
 * that appeared since the GET. `wrap` makes the document of a create (name given) or an update from
 * the body, when OpenSearch wants it wrapped. `found` takes the object out of a GET's 2xx answer, and
 * is undefined when the answer does not hold it in the documented shape: every one of these GETs
 * answers 404 for a missing object, so a 200 without it says nothing about whether it exists.
 * Sources: the OpenSearch REST handlers and plugins (RestPutComposableIndexTemplateAction reads
 * `create`; index-management's TransportGetSMPolicyAction answers 404 "Snapshot management policy not
 * found"; notifications' ConfigIndexingActions 404 "NotificationConfig <id> not found"; a missing
 * repository is repository_missing_exception, 404).
 */
const ROUTES: Record<
    OpenSearchKind,
    {
        item: string;
        create: "PUT" | "POST";
        createQuery?: string;
        collection?: boolean;
        wrap?: (body: unknown, name?: string) => unknown;
        found: (json: any, name: string) => Live | undefined;
    }
> = {
    "snapshot-repository": {
        item: "/_snapshot/",
        create: "PUT",
        found: (json, name) => (isRecord(json) && isRecord(json[name]) ? { body: json[name] } : undefined),
    },
    "snapshot-policy": {
        item: "/_plugins/_sm/policies/",
        create: "POST",
        found: (json) =>
            isRecord(json) && isRecord(json.sm_policy) && Number.isInteger(json._seq_no) && Number.isInteger(json._primary_term)
                ? { body: json.sm_policy, seqNo: json._seq_no, primaryTerm: json._primary_term }
                : undefined,
    },
    "index-template": {
        item: "/_index_template/",
        create: "PUT",
        createQuery: "?create=true",
        found: (json, name) => {
            const t =
                isRecord(json) && Array.isArray(json.index_templates)
                    ? json.index_templates.find((x: any) => isRecord(x) && x.name === name)
                    : undefined;
            return t && isRecord(t.index_template) ? { body: t.index_template } : undefined;
        },
    },
    "notification-channel": {
        item: "/_plugins/_notifications/configs/",
        create: "POST",
        collection: true,
        wrap: (config, name) => (name === undefined ? { config } : { config_id: name, config }),
        found: (json, name) => {
            const c =
                isRecord(json) && Array.isArray(json.config_list)
                    ? json.config_list.find((x: any) => isRecord(x) && x.config_id === name)
                    : undefined;
            return c && isRecord(c.config) ? { body: c.config } : undefined;
        },
    },
};

/** A value as an error message may show it: JSON, with whatever precedes an "@" in a URL hidden (a password). */
function shown(v: unknown): string {
    if (v === undefined) return "nothing";
    if (typeof v !== "string" || !v.includes("@")) return JSON.stringify(v);
    const at = v.lastIndexOf("@");
    const slashes = v.indexOf("//");
    return JSON.stringify(`${slashes >= 0 && slashes < at ? v.slice(0, slashes + 2) : ""}***${v.slice(at)}`);
}

/**
 * What is wrong with an object's inputs, one failure per property. `preview`: values the engine does
 * not know yet are accepted. The endpoint must be an https:// base URL without user name or password:
 * requests carry SigV4 signatures and session tokens, which must not travel in clear text, and
 * requests are signed with AWS credentials, never with credentials in the URL.
 */
function inputFailures(o: Obj, preview: boolean): { property: string; reason: string }[] {
    const failures: { property: string; reason: string }[] = [];
    const known = (v: unknown) => !preview || v !== UNKNOWN;
    if (known(o.endpoint)) {
        let url: URL | undefined;
        try {
            url = new URL(o.endpoint);
        } catch {
            // reported below
        }
        if (!url || !/^https?:$/.test(url.protocol) || !url.hostname || url.pathname !== "/" || url.search || url.hash) {
            failures.push({
                property: "endpoint",
                reason: `endpoint must be the domain's base URL, such as https://search-x.eu-west-1.es.amazonaws.com (a domain's endpoint attribute is a bare host name: prefix it with https://); found ${shown(o.endpoint)}.`,
            });
        } else if (url.protocol !== "https:") {
            failures.push({
                property: "endpoint",
                reason: `endpoint must start with https://: every request carries a SigV4 signature (and a session token, with temporary credentials), which must not travel in clear text; found ${shown(o.endpoint)}.`,
            });
        } else if (url.username || url.password) {
            failures.push({
                property: "endpoint",
                reason: `endpoint must not hold a user name or password: requests are signed with AWS credentials, and a URL shows in logs and in the stack's state; found ${shown(o.endpoint)}.`,
            });
        }
    }
    if (known(o.region) && (typeof o.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(o.region))) {
        failures.push({
            property: "region",
            reason: `region must be the domain's AWS region, such as eu-west-1; found ${shown(o.region)}.`,
        });
    }
    if (!Object.keys(ROUTES).includes(o.kind)) {
        failures.push({ property: "kind", reason: `kind must be one of ${Object.keys(ROUTES).join(", ")}; found ${shown(o.kind)}.` });
    }
    if (known(o.name) && (typeof o.name !== "string" || o.name.trim() === "")) {
        failures.push({ property: "name", reason: `name must be a non-empty string; found ${shown(o.name)}.` });
    }
    if (known(o.body) && !isRecord(o.body)) {
        failures.push({ property: "body", reason: `body must be an object (the REST body OpenSearch takes); found ${shown(o.body)}.` });
    }
    return failures;
}

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
    if (
        here !== null &&
        there !== null &&
        typeof here === "object" &&
        typeof there === "object" &&
        Array.isArray(here) === Array.isArray(there)
    ) {
        for (const k of new Set([...Object.keys(here), ...Object.keys(there)])) {
            const d = difference((here as any)[k], (there as any)[k], Array.isArray(here) ? `${path}[${k}]` : `${path}.${k}`);
            if (d) return d;
        }
        return undefined;
    }
    const scalar = (v: unknown) =>
        typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v === "true" ? true : v === "false" ? false : v;
    if (scalar(here) === scalar(there)) return undefined;
    return `${path} is ${JSON.stringify(here) ?? "absent"} here and ${JSON.stringify(there) ?? "absent"} there`;
}

/**
 * Create, read, update and delete of OpenSearch REST objects. One instance serves every kind; each
 * resource's inputs say which object on which domain.
 */
export class OpenSearchProvider implements pulumi.dynamic.ResourceProvider {
    private readonly client: OpenSearchClient;

    constructor(options: OpenSearchProviderOptions = {}) {
        this.client = new OpenSearchClient(options);
    }

    async check(_olds: Obj, news: Obj): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: inputFailures(news, true) };
    }

    async diff(_id: string, olds: Obj, news: Obj): Promise<pulumi.dynamic.DiffResult> {
        // Another endpoint is another domain, another name another object: neither can be changed in place.
        const replaces = (["endpoint", "kind", "name"] as const).filter((k) => olds[k] !== news[k]);
        // Said at preview already, not only when `pulumi up` gets to the update.
        if (replaces.length === 0) this.refuseAdoptedChange(olds, news);
        // Two index templates with overlapping patterns and the same priority are refused, so a renamed
        // template must go before its successor comes; the gap lasts one request.
        const deleteBeforeReplace =
            replaces.length > 0 && olds.kind === "index-template" && news.kind === "index-template" && olds.endpoint === news.endpoint;
        const changes = replaces.length > 0 || olds.region !== news.region || difference(olds.body, news.body) !== undefined;
        return { changes, replaces, deleteBeforeReplace };
    }

    async create(inputs: Obj): Promise<pulumi.dynamic.CreateResult> {
        this.validate(inputs);
        const o = this.outputs(inputs, false);
        const live = await this.live(o);
        if (!live) {
            const route = ROUTES[o.kind];
            const at = route.collection ? route.item.slice(0, -1) : this.path(o);
            await this.client.call(o, route.create, at, route.createQuery ?? "", route.wrap ? route.wrap(o.body, o.name) : o.body);
        } else {
            // Already there: ours only if it says exactly what we would write, and then not ours to change or delete.
            const d = difference(o.body, project(o.body, live.body, o.kind === "index-template"));
            if (d) {
                throw apiError(
                    `OpenSearch ${o.kind} '${o.name}' on ${new URL(o.endpoint).origin} already exists with another body (${d}); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                    { code: "adopted" },
                );
            }
            o.adopted = true;
        }
        return { id: `${o.kind}/${o.name}`, outs: o };
    }

    async read(id: string, props: Obj): Promise<pulumi.dynamic.ReadResult> {
        this.validate(props);
        const live = await this.live(props);
        // A result without an id tells the engine that the object is gone, and refresh drops it from the
        // state: only for OpenSearch's own 404, never for an answer that could not be read (live() throws).
        if (!live) return {};
        const body = project(props.body, live.body, props.kind === "index-template") as Record<string, unknown>;
        return { id, props: { ...this.outputs(props, props.adopted ?? false), body } };
    }

    async update(_id: string, olds: Obj, news: Obj): Promise<pulumi.dynamic.UpdateResult> {
        this.validate(news);
        // Only the signing region changed: nothing to write, and an adopted object stays someone else's.
        if (difference(olds.body, news.body) === undefined) return { outs: this.outputs(news, olds.adopted ?? false) };
        this.refuseAdoptedChange(olds, news);
        const o = this.outputs(news, false);
        let query = "";
        if (o.kind === "snapshot-policy") {
            // OpenSearch takes an SM policy update only with the sequence number of the version it replaces.
            const live = await this.live(o, true);
            query = `?if_seq_no=${live!.seqNo}&if_primary_term=${live!.primaryTerm}`;
        }
        const wrap = ROUTES[o.kind].wrap;
        await this.client.call(o, "PUT", this.path(o), query, wrap ? wrap(o.body) : o.body, true);
        return { outs: o };
    }

    async delete(_id: string, props: Obj): Promise<void> {
        // It was there before the stack, so it stays after it.
        if (props.adopted) return;
        this.validate(props);
        // A repository is only unregistered: its snapshots stay in the bucket. Deleting an SM policy
        // keeps the snapshots it took, deleting a template keeps the indices created from it.
        await this.client.call(props, "DELETE", this.path(props), "", undefined, false, true);
    }

    /** The same rules as check(), for every method: a state written before them, or a caller that skipped check(). */
    private validate(o: Obj): void {
        const failures = inputFailures(o, false);
        if (failures.length > 0) {
            throw apiError(
                `OpenSearch ${o.kind} ${typeof o.name === "string" ? `'${o.name}'` : shown(o.name)}: ${failures.map((f) => f.reason).join(" ")}`,
                { code: "input" },
            );
        }
    }

    /**
     * An adopted object was there before the stack: its body is someone else's, and writing ours over
     * it would lose theirs. Taking it over is a decision, made by removing it from the domain first.
     */
    private refuseAdoptedChange(olds: Obj, news: Obj): void {
        const d = olds.adopted ? difference(news.body, olds.body) : undefined;
        if (!d) return;
        const origin = URL.canParse(olds.endpoint) ? new URL(olds.endpoint).origin : shown(olds.endpoint);
        throw apiError(
            `OpenSearch ${olds.kind} '${olds.name}' on ${origin} was on the domain before this stack and was adopted, so this stack never changes ` +
                `nor deletes it, and the program gives it another body than the one it has (${d}). To take it over deliberately, delete it from the domain ` +
                `(DELETE ${this.path(olds)}), run \`pulumi refresh\` so that the stack forgets it, then \`pulumi up\` creates it with this body as the stack's own. ` +
                `Otherwise give it its body on the domain back in the program.`,
            { code: "adopted" },
        );
    }

    /** The outputs: the inputs without the engine's own keys (__provider), and whether we adopted. */
    private outputs(i: Obj, adopted: boolean): OpenSearchObjectOutputs {
        return { endpoint: i.endpoint, region: i.region, kind: i.kind, name: i.name, body: i.body, adopted };
    }

    private path(o: Obj): string {
        return ROUTES[o.kind].item + encodeURIComponent(o.name);
    }

    /**
     * The object as the domain has it, or undefined when OpenSearch says it does not exist (a 404 with
     * its JSON error; in an update, that is an error too). Any other answer that does not hold the
     * object is an error: taking it for "absent" would have create() write over a live object.
     */
    private async live(o: Obj, updating = false): Promise<Live | undefined> {
        const path = this.path(o);
        const a = await this.client.call(o, "GET", path, "", undefined, updating, !updating);
        if (saysMissing(a.status, a.json)) return undefined;
        const live = a.json === undefined ? undefined : ROUTES[o.kind].found(a.json, o.name);
        if (live) return live;
        const what = a.json !== undefined ? "JSON that does not hold it" : a.text.trim() ? "a body that is not JSON" : "an empty body";
        const text = a.text.trim() ? ` (${quote(a.text, a.secrets)})` : "";
        throw apiError(
            `OpenSearch ${o.kind} '${o.name}' on ${new URL(o.endpoint).origin}: GET ${path} answered ${a.status} with ${what}${text}; ` +
                `whether the object exists cannot be told from that, so nothing was changed. Run the deployment again once the domain answers as OpenSearch does.`,
            { status: a.status, code: "unreadable" },
        );
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
