import * as assert from "assert";
import { createHash } from "crypto";
import * as path from "path";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { OpenSearchObjectInputs, OpenSearchObjectOutputs, OpenSearchProvider } from "../../../infra/providers/opensearch";
import { FakeOpenSearch, RecordedRequest, TEST_CA } from "../../helpers/opensearch-server";

export const ROOT = path.join(__dirname, "..", "..", "..");
export const REGION = "eu-west-1";
export const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-key" };
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const VPC_HINT =
    "A domain in a VPC answers only from inside that VPC, so the deployment must run from a runner inside the VPC (or a network peered with it).";
export const ROLE = "arn:aws:iam::123456789012:role/continuity-production-search-snapshot-role";

export const repositoryBody = () => ({
    type: "s3" as const,
    settings: { bucket: "continuity-production-search-snapshots", region: REGION, role_arn: ROLE, server_side_encryption: true },
});
/** As GET /_snapshot/{name} answers: settings as strings, and what the domain adds. */
export const repositoryAnswer = (settings: Record<string, string> = {}) => ({
    "continuity-snapshots": {
        type: "s3",
        settings: {
            bucket: "continuity-production-search-snapshots",
            region: REGION,
            role_arn: ROLE,
            server_side_encryption: "true",
            max_restore_bytes_per_sec: "40mb",
            ...settings,
        },
    },
});

export const policyBody = () => ({
    description: "continuity: daily snapshot of continuity-production into continuity-snapshots, kept 7 days",
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } }, time_limit: "1h" },
    deletion: {
        schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } },
        condition: { max_age: "7d", min_count: 7 },
        time_limit: "1h",
    },
    snapshot_config: {
        repository: "continuity-snapshots",
        indices: "*",
        include_global_state: false,
        partial: false,
        ignore_unavailable: true,
    },
});
/** As GET /_plugins/_sm/policies/{name} answers: the policy under sm_policy with what the plugin adds. */
export const policyAnswer = (expression = "0 2 * * *") => {
    const body = policyBody();
    return {
        _id: "continuity-daily-sm-policy",
        _version: 3,
        _seq_no: 7,
        _primary_term: 2,
        sm_policy: {
            name: "continuity-daily",
            ...body,
            creation: { ...body.creation, schedule: { cron: { expression, timezone: "UTC" } } },
            deletion: { ...body.deletion, condition: { ...body.deletion.condition, max_count: 400 } },
            snapshot_config: { ...body.snapshot_config, date_format: "yyyy-MM-dd'T'HH:mm:ss", timezone: "UTC" },
            schema_version: 21,
            schedule: { interval: { start_time: 1764300000000, period: 1, unit: "Minutes" } },
            enabled_time: 1764300000000,
            last_updated_time: 1764300000000,
        },
    };
};

export const templateBody = () => ({
    index_patterns: ["orders-*"],
    priority: 100,
    template: { settings: { number_of_shards: 3, number_of_replicas: 1 } },
});
/** As GET /_index_template/{name} answers: settings nested under `index`, as strings. */
export const templateAnswer = (replicas = "1") => ({
    index_templates: [
        {
            name: "orders",
            index_template: {
                index_patterns: ["orders-*"],
                template: { settings: { index: { number_of_shards: "3", number_of_replicas: replicas, refresh_interval: "1s" } } },
                composed_of: [],
                priority: 100,
            },
        },
    ],
});

export const notFound = (type: string, reason: string) => ({
    status: 404,
    body: { error: { root_cause: [{ type, reason }], type, reason }, status: 404 },
});
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const server = new FakeOpenSearch();
export let endpoint: string;
export let provider: OpenSearchProvider;

export const repository = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
    endpoint,
    region: REGION,
    kind: "snapshot-repository",
    name: "continuity-snapshots",
    body: repositoryBody(),
    ...over,
});
export const policy = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
    endpoint,
    region: REGION,
    kind: "snapshot-policy",
    name: "continuity-daily",
    body: policyBody(),
    ...over,
});
export const template = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
    endpoint,
    region: REGION,
    kind: "index-template",
    name: "orders",
    body: templateBody(),
    ...over,
});
export const outputs = (i: OpenSearchObjectInputs, adopted = false): OpenSearchObjectOutputs => ({ ...i, adopted });
export const sent = () => server.requests.map((r) => [r.method, r.path, r.body]);
export const apiError = (message: string) => ({ name: "OpenSearchApiError", message });

/** Re-signs what arrived with the same date: any difference in host, path, query or body breaks it. */
export async function assertSigned(
    r: RecordedRequest,
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS,
) {
    const auth = String(r.headers.authorization);
    const date = String(r.headers["x-amz-date"]);
    assert.match(date, /^\d{8}T\d{6}Z$/);
    const signedAt = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    assert.ok(Math.abs(signedAt.getTime() - Date.now()) < 60_000);
    const token = credentials.sessionToken ? ";x-amz-security-token" : "";
    const signedHeaders = r.raw
        ? `content-length;content-type;host;x-amz-content-sha256;x-amz-date${token}`
        : `content-type;host;x-amz-content-sha256;x-amz-date${token}`;
    const prefix = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${date.slice(0, 8)}/${REGION}/es/aws4_request, SignedHeaders=${signedHeaders}, Signature=`;
    assert.strictEqual(auth.slice(0, prefix.length), prefix);
    assert.match(auth.slice(prefix.length), /^[0-9a-f]{64}$/);
    assert.strictEqual(r.headers["x-amz-content-sha256"], sha256(r.raw));
    assert.strictEqual(r.headers["content-type"], "application/json");
    assert.ok(!JSON.stringify(r.headers).includes(credentials.secretAccessKey));

    const url = new URL(r.path, endpoint);
    const headers = Object.fromEntries(
        signedHeaders
            .split(";")
            .filter((h) => h.startsWith("content-") || h === "host")
            .map((h) => [h, String(r.headers[h])]),
    );
    const signer = new SignatureV4({ service: "es", region: REGION, credentials, sha256: Hash.bind(null, "sha256") });
    const again = await signer.sign(
        {
            method: r.method,
            protocol: "https:",
            hostname: url.hostname,
            port: Number(url.port),
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers,
            body: r.raw || undefined,
        },
        { signingDate: signedAt },
    );
    assert.strictEqual(auth, again.headers.authorization);
}

/** The fake domain for the describe this is called in: started before its tests, emptied before each, closed after. */
export function serveFakeOpenSearch(): void {
    before(async () => {
        endpoint = await server.start();
        provider = new OpenSearchProvider({ credentials: async () => CREDENTIALS, retryDelayMs: 1, ca: TEST_CA });
    });
    beforeEach(() => server.reset());
    after(() => server.close());
}
