// The drill's restore of the newest complete OpenSearch snapshot from a (read-only) repository into a
// drill domain. No provider covers the snapshot restore API, so this dynamic provider does, through the
// signed HTTPS client of the OpenSearch provider, infra/providers/opensearch-client.ts (its retries on a busy domain, its messages that
// name the request and OpenSearch's answer, its care never to print credentials).
//
// The restore is an event, not an object: create() restores and waits until every primary shard is
// recovered, and records when it started and finished (the drill's measured RTO for the store). Another
// domain, repository or index list is a new restore (replace); delete() removes the restored indices from
// the drill domain first, since OpenSearch refuses to restore over an open index of the same name. The
// repository and its snapshots are never written to (it is registered read-only).
//
// APIs (OpenSearch documentation, "Get snapshot", "Restore snapshot", "Get recovery"):
//   GET  /_snapshot/<repository>/_all                        every snapshot, its state and end time
//   POST /_snapshot/<repository>/<snapshot>/_restore         answers {"accepted": true} at once
//   GET  /<indices>/_recovery                                per shard: type SNAPSHOT, stage DONE when restored
//   DELETE /<indices>                                        the drill domain's restored indices only
// Amazon OpenSearch Service refuses to restore its own system indices (.kibana, .opendistro_security):
// the indices restored are named patterns only ("Restoring snapshots", Amazon OpenSearch Service
// Developer Guide), and the global state is not restored.
import * as pulumi from "@pulumi/pulumi";
import { OpenSearchClient, OpenSearchClientOptions } from "./opensearch-client";

export interface SnapshotRestoreInputs {
    /** The drill store's name, in every message. */
    store: string;
    /** The drill domain's base URL, "https://<endpoint>". */
    endpoint: string;
    region: string;
    repository: string;
    /** Index names or patterns to restore. */
    indices: string[];
    /** How long the restore may take before the drill fails. */
    timeoutMinutes: number;
}

export interface SnapshotRestoreOutputs extends SnapshotRestoreInputs {
    snapshot: string;
    /** When the snapshot finished (ISO time): how old the restored copy is. */
    snapshotEndTime: string;
    /** The indices of the snapshot that the patterns matched. */
    restoredIndices: string[];
    restoreStartedAt: string;
    restoreFinishedAt: string;
}

export interface SnapshotRestoreProviderOptions extends OpenSearchClientOptions {
    /** Between two looks at the recovery; default 15000. */
    pollMs?: number;
}

const KIND = "snapshot restore";

/** A snapshot as GET /_snapshot/<repository>/_all lists it (the fields read here). */
interface SnapshotInfo {
    snapshot?: unknown;
    state?: unknown;
    indices?: unknown;
    end_time_in_millis?: unknown;
}
type CompleteSnapshot = { snapshot: string; state: "SUCCESS"; indices: string[]; end_time_in_millis: number };
/** A shard as GET /<indices>/_recovery reports it (the fields read here). */
interface ShardRecovery {
    id?: unknown;
    primary?: unknown;
    stage?: unknown;
}

/** A shell-style pattern (only `*`) of an index name. */
function matches(pattern: string, name: string): boolean {
    const re = new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, "\\$&"))
            .join(".*")}$`,
    );
    return re.test(name);
}

function restoreError(store: string, message: string): Error {
    return Object.assign(new Error(`Drill store '${store}': ${message}`), { name: "OpenSearchApiError" });
}

export class SnapshotRestoreProvider implements pulumi.dynamic.ResourceProvider {
    constructor(private readonly options: SnapshotRestoreProviderOptions = {}) {}

    async check(_olds: SnapshotRestoreInputs, news: SnapshotRestoreInputs): Promise<pulumi.dynamic.CheckResult> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (!Array.isArray(news.indices) || news.indices.length === 0) {
            failures.push({
                property: "indices",
                reason: `indices must list at least one index name or pattern; found ${JSON.stringify(news.indices)}.`,
            });
        }
        if (typeof news.repository !== "string" || news.repository === "") {
            failures.push({
                property: "repository",
                reason: `repository must be a repository name; found ${JSON.stringify(news.repository)}.`,
            });
        }
        return { inputs: news, failures };
    }

    async diff(_id: string, olds: SnapshotRestoreInputs, news: SnapshotRestoreInputs): Promise<pulumi.dynamic.DiffResult> {
        const keys = ["store", "endpoint", "region", "repository", "indices"] as const;
        const replaces = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        return { changes: replaces.length > 0 || olds.timeoutMinutes !== news.timeoutMinutes, replaces, deleteBeforeReplace: true };
    }

    /** Only the time limit changed: it applied to a restore that is over, so nothing is done again. */
    async update(_id: string, olds: SnapshotRestoreOutputs, news: SnapshotRestoreInputs): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: { ...olds, timeoutMinutes: news.timeoutMinutes } };
    }

    async create(inputs: SnapshotRestoreInputs): Promise<pulumi.dynamic.CreateResult> {
        // Its errors name `kind` and `name`: "OpenSearch snapshot restore 'search' on https://...: POST ... answered 500 ...".
        const client = new OpenSearchClient(this.options);
        const o = { endpoint: inputs.endpoint, region: inputs.region, kind: KIND, name: inputs.store };
        const origin = new URL(inputs.endpoint).origin;
        const repo = encodeURIComponent(inputs.repository);

        const listed = await client.call(o, "GET", `/_snapshot/${repo}/_all`, "", undefined);
        const all: SnapshotInfo[] = Array.isArray(listed.json?.snapshots) ? listed.json.snapshots : [];
        const complete = all
            .filter((s) => s?.state === "SUCCESS" && typeof s.snapshot === "string" && typeof s.end_time_in_millis === "number")
            .map((s) => ({ ...s, indices: Array.isArray(s.indices) ? s.indices.map(String) : [] }) as CompleteSnapshot);
        if (complete.length === 0) {
            const states = all.map((s) => `${s?.snapshot} ${s?.state}`).join(", ") || "no snapshot at all";
            throw restoreError(
                inputs.store,
                `the repository '${inputs.repository}' on ${origin} holds no complete snapshot (state SUCCESS) to restore; it lists ` +
                    `${states}.`,
            );
        }
        const newest = complete.reduce((a, b) => (b.end_time_in_millis > a.end_time_in_millis ? b : a));
        const restoredIndices = newest.indices.filter((i) => inputs.indices.some((p) => matches(p, i))).sort();
        if (restoredIndices.length === 0) {
            throw restoreError(
                inputs.store,
                `the newest complete snapshot '${newest.snapshot}' of the repository '${inputs.repository}' holds no index matching ` +
                    `${inputs.indices.join(", ")} ` +
                    `(it holds ${newest.indices.join(", ") || "none"}).`,
            );
        }

        const restoreStartedAt = new Date().toISOString();
        await client.call(o, "POST", `/_snapshot/${repo}/${encodeURIComponent(newest.snapshot)}/_restore`, "", {
            indices: restoredIndices.join(","),
            include_global_state: false,
            partial: false,
        });
        const target = restoredIndices.map(encodeURIComponent).join(",");
        const deadline = Date.now() + inputs.timeoutMinutes * 60000;
        for (;;) {
            const r = await client.call(o, "GET", `/${target}/_recovery`, "", undefined);
            const waiting: string[] = [];
            for (const index of restoredIndices) {
                const shards: ShardRecovery[] = Array.isArray(r.json?.[index]?.shards) ? r.json[index].shards : [];
                const primaries = shards.filter((s) => s?.primary === true);
                if (primaries.length === 0) waiting.push(`${index}: not started`);
                for (const s of primaries) if (s.stage !== "DONE") waiting.push(`${index} shard ${s.id}: ${s.stage}`);
            }
            if (waiting.length === 0) break;
            const pending = waiting.join(", ");
            if (Date.now() >= deadline) {
                throw restoreError(
                    inputs.store,
                    `the restore of snapshot '${newest.snapshot}' on ${origin} did not finish within ${inputs.timeoutMinutes} minutes ` +
                        `(still ${pending}).`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 15000));
        }
        const outs: SnapshotRestoreOutputs = {
            store: inputs.store,
            endpoint: inputs.endpoint,
            region: inputs.region,
            repository: inputs.repository,
            indices: inputs.indices,
            timeoutMinutes: inputs.timeoutMinutes,
            snapshot: newest.snapshot,
            snapshotEndTime: new Date(newest.end_time_in_millis).toISOString(),
            restoredIndices,
            restoreStartedAt,
            restoreFinishedAt: new Date().toISOString(),
        };
        return { id: `${inputs.repository}/${newest.snapshot}`, outs };
    }

    async read(id: string, props: SnapshotRestoreOutputs): Promise<pulumi.dynamic.ReadResult> {
        return { id, props };
    }

    async delete(_id: string, props: SnapshotRestoreOutputs): Promise<void> {
        const indices = props.restoredIndices ?? [];
        if (indices.length === 0) return;
        // Named indices only, never a pattern: nothing but what this restore created is removed. A 404 (gone already) is fine.
        const client = new OpenSearchClient(this.options);
        const o = { endpoint: props.endpoint, region: props.region, kind: KIND, name: props.store };
        await client.call(o, "DELETE", `/${indices.map(encodeURIComponent).join(",")}`, "?ignore_unavailable=true", undefined, false, true);
    }
}

const provider = new SnapshotRestoreProvider();

export interface SnapshotRestoreArgs {
    store: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    region: pulumi.Input<string>;
    repository: pulumi.Input<string>;
    indices: pulumi.Input<pulumi.Input<string>[]>;
    timeoutMinutes: pulumi.Input<number>;
}

/** The newest complete snapshot of a repository, restored into a domain: see the top of this file. */
export class SnapshotRestore extends pulumi.dynamic.Resource {
    declare readonly snapshot: pulumi.Output<string>;
    declare readonly snapshotEndTime: pulumi.Output<string>;
    declare readonly restoredIndices: pulumi.Output<string[]>;
    declare readonly restoreStartedAt: pulumi.Output<string>;
    declare readonly restoreFinishedAt: pulumi.Output<string>;

    constructor(name: string, args: SnapshotRestoreArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                snapshot: undefined,
                snapshotEndTime: undefined,
                restoredIndices: undefined,
                restoreStartedAt: undefined,
                restoreFinishedAt: undefined,
            },
            opts,
            "opensearch",
            "SnapshotRestore",
        );
    }
}
