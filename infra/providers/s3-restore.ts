// The drill's Deep Archive restores: RestoreObject for a sample of objects of a DR copy bucket. A Deep
// Archive object is read only after a restore, which S3 performs in hours, not during a deployment
// (Amazon S3 User Guide, "Understanding archive retrieval options": Standard typically within 12 hours,
// Bulk within 48 hours). So create() only requests the restores and records what it requested and when;
// `npm run drill:verify` polls the temporary copies (HeadObject's Restore header), copies them into the
// drill bucket and compares them with the source.
//
// Cost (Amazon S3 pricing, Requests & data retrievals, S3 Glacier Deep Archive, US East (N. Virginia);
// other regions differ): Standard $0.02 per GB + $0.10 per 1,000 requests, Bulk $0.0025 per GB + $0.025
// per 1,000 requests, plus the temporary copy billed as S3 Standard for its `days`. A sample of ten 100 MB
// objects costs about $0.02 (Standard) or $0.003 (Bulk).
//
// A restore writes nothing into the copy: the archived version stays as it is, under its Object Lock
// (API Reference, RestoreObject: "a temporary copy of the object"). delete() does nothing: the
// temporary copies expire by themselves after `days`.
import * as pulumi from "@pulumi/pulumi";

export type Tier = "Bulk" | "Standard";

export interface ObjectRestoreInputs {
    store: string;
    /** The DR copy bucket (Deep Archive) and its region. */
    bucket: string;
    region: string;
    /** The sample: these keys, or `count` keys spread over the first 1000 under `prefix`. */
    keys?: string[];
    prefix?: string;
    count?: number;
    tier: Tier;
    /** How long the restored temporary copies are kept. */
    days: number;
}

export type RequestStatus = "requested" | "already-restored" | "in-progress";

export interface ObjectRestoreOutputs extends ObjectRestoreInputs {
    keys: string[];
    /** Per key, what S3 answered: 202 requested, 200 already restored, 409 RestoreAlreadyInProgress. */
    requests: { key: string; status: RequestStatus }[];
    requestedAt: string;
}

export interface ObjectRestoreProviderOptions {
    /** Passed to the S3Client (tests: credentials, endpoint). */
    clientConfig?: Record<string, unknown>;
}

/** `count` keys spread evenly over `keys` (all of them when there are fewer). */
export function spread(keys: readonly string[], count: number): string[] {
    if (keys.length <= count) return [...keys];
    return Array.from({ length: count }, (_, i) => keys[Math.floor((i * keys.length) / count)]);
}

/** What the SDK throws: an S3ServiceException (name = S3's error code, $metadata = the HTTP status) or a network Error. */
type SdkFailure = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;

function s3Error(store: string, what: string, failure: unknown): Error {
    const e = failure as SdkFailure;
    const status = e?.$metadata?.httpStatusCode;
    return new Error(
        `Drill store '${store}': ${what} answered ${status ?? "no HTTP status"} ${e?.name ?? "Error"}: ${e?.message ?? String(failure)}`,
    );
}

export class ObjectRestoreProvider implements pulumi.dynamic.ResourceProvider {
    constructor(private readonly options: ObjectRestoreProviderOptions = {}) {}

    async check(_olds: ObjectRestoreInputs, news: ObjectRestoreInputs): Promise<pulumi.dynamic.CheckResult> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (news.tier !== "Bulk" && news.tier !== "Standard") {
            failures.push({
                property: "tier",
                reason: `tier must be Bulk or Standard (Deep Archive offers no Expedited retrieval); found ${JSON.stringify(news.tier)}.`,
            });
        }
        if ((news.keys === undefined) === (news.count === undefined)) {
            failures.push({ property: "keys", reason: "give either keys, or prefix and count." });
        }
        return { inputs: news, failures };
    }

    async diff(_id: string, olds: ObjectRestoreInputs, news: ObjectRestoreInputs): Promise<pulumi.dynamic.DiffResult> {
        const keys = ["store", "bucket", "region", "keys", "prefix", "count", "tier", "days"] as const;
        const replaces = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    }

    async create(inputs: ObjectRestoreInputs): Promise<pulumi.dynamic.CreateResult> {
        const { S3Client, ListObjectsV2Command, RestoreObjectCommand } =
            require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
        const client = new S3Client({ region: inputs.region, ...this.options.clientConfig });
        const where = `s3://${inputs.bucket}`;
        let keys = inputs.keys;
        if (keys === undefined) {
            const prefix = inputs.prefix ?? "";
            let listed: import("@aws-sdk/client-s3").ListObjectsV2CommandOutput;
            try {
                listed = await client.send(new ListObjectsV2Command({ Bucket: inputs.bucket, Prefix: prefix, MaxKeys: 1000 }));
            } catch (e) {
                throw s3Error(inputs.store, `ListObjectsV2 of ${where} (prefix ${JSON.stringify(prefix)}) in ${inputs.region}`, e);
            }
            const found = (listed.Contents ?? []).map((c) => c.Key).filter((k): k is string => typeof k === "string" && !k.endsWith("/"));
            if (found.length === 0) {
                throw new Error(
                    `Drill store '${inputs.store}': the copy bucket ${where} in ${inputs.region} holds no object under the prefix ` +
                        `${JSON.stringify(prefix)}; there is nothing to restore.`,
                );
            }
            keys = spread(found, inputs.count ?? 10);
        }
        const requestedAt = new Date().toISOString();
        const requests: ObjectRestoreOutputs["requests"] = [];
        for (const key of keys) {
            try {
                const out = await client.send(
                    new RestoreObjectCommand({
                        Bucket: inputs.bucket,
                        Key: key,
                        RestoreRequest: { Days: inputs.days, GlacierJobParameters: { Tier: inputs.tier } },
                    }),
                );
                requests.push({ key, status: out.$metadata.httpStatusCode === 200 ? "already-restored" : "requested" });
            } catch (e) {
                if ((e as SdkFailure)?.name === "RestoreAlreadyInProgress") {
                    requests.push({ key, status: "in-progress" });
                    continue;
                }
                const before =
                    requests.length > 0
                        ? ` (${requests.length} restore${requests.length === 1 ? " was" : "s were"} requested before it)`
                        : "";
                throw s3Error(inputs.store, `RestoreObject of ${where}/${key} in ${inputs.region}${before}`, e);
            }
        }
        const outs: ObjectRestoreOutputs = { ...inputs, keys, requests, requestedAt };
        delete (outs as { __provider?: unknown }).__provider;
        return { id: `${inputs.bucket}/${requestedAt}`, outs };
    }

    async read(id: string, props: ObjectRestoreOutputs): Promise<pulumi.dynamic.ReadResult> {
        return { id, props };
    }

    async delete(): Promise<void> {
        // Nothing to undo: the temporary copies expire after `days`, and the archived objects were never changed.
    }
}

const provider = new ObjectRestoreProvider();

export interface ObjectRestoreArgs {
    store: pulumi.Input<string>;
    bucket: pulumi.Input<string>;
    region: pulumi.Input<string>;
    keys?: pulumi.Input<pulumi.Input<string>[]>;
    prefix?: pulumi.Input<string>;
    count?: pulumi.Input<number>;
    tier: pulumi.Input<Tier>;
    days: pulumi.Input<number>;
}

/** Deep Archive restores of a sample of a copy bucket's objects, requested and recorded: see the top of this file. */
export class ObjectRestore extends pulumi.dynamic.Resource {
    declare readonly keys: pulumi.Output<string[]>;
    declare readonly tier: pulumi.Output<Tier>;
    declare readonly requests: pulumi.Output<ObjectRestoreOutputs["requests"]>;
    declare readonly requestedAt: pulumi.Output<string>;

    constructor(name: string, args: ObjectRestoreArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, keys: args.keys, requests: undefined, requestedAt: undefined }, opts, "s3", "ObjectRestore");
    }
}
