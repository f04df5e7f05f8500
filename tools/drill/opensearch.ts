// The OpenSearch part of a drill: documents per index on the source and the drill domain (_cat/indices),
// the restored snapshot (_snapshot) and the restore's times (the drill output's, else _recovery), over
// SigV4-signed HTTPS through the OpenSearch provider's own client.
import { OpenSearchClient } from "../../infra/providers/opensearch-client";
import { OpenSearchStore } from "./output";
import { Check, Step, StoreRecord } from "./record";
import { elapsedSeconds, round2 } from "./util";

/** AWS credentials, as the SDK's providers give them. */
export type CredentialProvider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

export interface OpenSearchDeps {
    /** Credentials; the default chain (@aws-sdk/credential-provider-node) when absent. */
    readonly credentials?: CredentialProvider;
    /** Extra trusted certificate (tests' stand-in). */
    readonly ca?: string;
    readonly timeoutMs?: number;
    /** Milliseconds now, for the steps' durations. */
    readonly clock?: () => number;
}

const clients = new WeakMap<OpenSearchDeps, OpenSearchClient>();

/**
 * One signed GET through the client the OpenSearch dynamic provider signs with (infra/providers/opensearch-client.ts:
 * SigV4, retries while the domain is busy, bounded answers, credentials never shown); the answer's JSON.
 */
export async function searchGet(
    endpoint: string,
    region: string,
    path: string,
    query: Record<string, string>,
    d: OpenSearchDeps,
): Promise<unknown> {
    const url = new URL(endpoint);
    if (url.protocol !== "https:")
        throw new Error(`OpenSearch endpoint ${url.origin}: must start with https:// (requests carry a SigV4 signature).`);
    let client = clients.get(d);
    if (!client) {
        client = new OpenSearchClient({ credentials: d.credentials, ca: d.ca, timeoutMs: d.timeoutMs ?? 30000 });
        clients.set(d, client);
    }
    const search = new URLSearchParams(query).toString();
    const target = { endpoint, region, kind: "domain", name: url.hostname };
    const answer = await client.call(target, "GET", path, search ? `?${search}` : "", undefined);
    if (answer.json === undefined) {
        throw new Error(
            `OpenSearch ${url.origin}: GET ${path}${search ? `?${search}` : ""} answered ${answer.status} with a body that is not JSON.`,
        );
    }
    return answer.json;
}

/** Documents per index matching the patterns; system indices (".name") left out. */
async function indexCounts(endpoint: string, region: string, patterns: readonly string[], d: OpenSearchDeps): Promise<Map<string, number>> {
    const rows = (await searchGet(
        endpoint,
        region,
        `/_cat/indices/${patterns.map(encodeURIComponent).join(",")}`,
        { format: "json", h: "index,docs.count" },
        d,
    )) as {
        index?: string;
        "docs.count"?: string | number | null;
    }[];
    if (!Array.isArray(rows)) throw new Error(`OpenSearch ${new URL(endpoint).origin}: _cat/indices did not answer a list.`);
    const counts = new Map<string, number>();
    for (const r of rows) if (r.index && !r.index.startsWith(".")) counts.set(r.index, Number(r["docs.count"] ?? NaN));
    return counts;
}

interface Recovery {
    [index: string]: { shards?: { type?: string; stage?: string; start_time_in_millis?: number; stop_time_in_millis?: number }[] };
}

/** Verifies one OpenSearch store: the snapshot completed, the restore finished, and every index's count matches. */
export async function verifyOpenSearch(
    s: OpenSearchStore,
    sourceRegion: string,
    drillRegion: string,
    d: OpenSearchDeps,
): Promise<StoreRecord> {
    const problems: string[] = [];
    const steps: Step[] = [];
    const checks: Check[] = [];
    const base = { store: s.store, kind: "opensearch" as const };
    let copy = `snapshot ${s.snapshot} of repository ${s.repository} (the replicated snapshot bucket) in ${drillRegion}`;
    let started = s.restoreStartedAt;
    let finished = s.restoreFinishedAt;
    let copyAgeHours: number | null = null;
    try {
        const snap = (await searchGet(
            s.drillEndpoint,
            drillRegion,
            `/_snapshot/${encodeURIComponent(s.repository)}/${encodeURIComponent(s.snapshot)}`,
            {},
            d,
        )) as {
            snapshots?: { state?: string; start_time?: string; start_time_in_millis?: number }[];
        };
        const info = snap.snapshots?.[0];
        if (info?.start_time) copy += `, taken ${info.start_time}`;
        if (info?.state !== "SUCCESS")
            problems.push(`snapshot ${s.snapshot} in ${s.repository} is ${info?.state ?? "not listed"}, not SUCCESS.`);
        if (!finished) {
            const rec = (await searchGet(
                s.drillEndpoint,
                drillRegion,
                `/${s.indices.map(encodeURIComponent).join(",")}/_recovery`,
                {},
                d,
            )) as Recovery;
            const shards = Object.values(rec ?? {})
                .flatMap((i) => i.shards ?? [])
                .filter((sh) => sh.type === "SNAPSHOT");
            const open = shards.filter((sh) => sh.stage !== "DONE").length;
            if (shards.length === 0)
                problems.push(`the drill domain shows no shard recovered from a snapshot for ${s.indices.join(", ")} (_recovery).`);
            else if (open > 0) {
                problems.push(
                    `${open} of ${shards.length} shards are still being restored (_recovery): run drill:verify again once they are DONE.`,
                );
                steps.push({ name: `restore ${s.snapshot} into the drill domain`, seconds: null });
                return { ...base, result: "pending", copy, copyAgeHours: null, rtoHours: null, steps, checks, problems };
            } else {
                started ??= new Date(Math.min(...shards.map((sh) => sh.start_time_in_millis ?? Infinity))).toISOString();
                finished = new Date(Math.max(...shards.map((sh) => sh.stop_time_in_millis ?? 0))).toISOString();
            }
        }
        const age = elapsedSeconds(info?.start_time_in_millis, started ? Date.parse(started) : undefined);
        copyAgeHours = age === null ? null : round2(age / 3600);
    } catch (e) {
        problems.push((e as Error).message);
        return { ...base, result: "fail", copy, copyAgeHours, rtoHours: null, steps, checks, problems };
    }
    const restoreSeconds = elapsedSeconds(started, finished);
    steps.push({ name: `restore ${s.snapshot} into the drill domain`, seconds: restoreSeconds });
    const rtoHours = restoreSeconds === null ? null : round2(restoreSeconds / 3600);
    const clock = d.clock ?? Date.now;
    const t0 = clock();
    let source: Map<string, number>;
    let restored: Map<string, number>;
    try {
        source = await indexCounts(s.sourceEndpoint, sourceRegion, s.indices, d);
        restored = await indexCounts(s.drillEndpoint, drillRegion, s.indices, d);
    } catch (e) {
        problems.push((e as Error).message);
        return { ...base, result: "fail", copy, copyAgeHours, rtoHours, steps, checks, problems };
    }
    steps.push({ name: "count documents per index on source and drill domains", seconds: Math.round((clock() - t0) / 1000) });
    for (const index of [...new Set([...source.keys(), ...restored.keys()])].sort()) {
        const a = source.get(index) ?? null;
        const b = restored.get(index) ?? null;
        const ok = a === b;
        checks.push({ what: `documents in index ${index}`, source: a, restored: b, ok });
        if (!ok) {
            problems.push(
                b === null
                    ? `index ${index}: missing from the drill domain (source ${a} documents).`
                    : a === null
                      ? `index ${index}: on the drill domain (${b} documents) but not on the source.`
                      : `index ${index}: source ${a} documents, restored ${b}.`,
            );
        }
    }
    if (checks.length === 0) problems.push(`no index matches ${s.indices.join(", ")} on either domain: nothing was compared.`);
    return { ...base, result: problems.length > 0 ? "fail" : "pass", copy, copyAgeHours, rtoHours, steps, checks, problems };
}
