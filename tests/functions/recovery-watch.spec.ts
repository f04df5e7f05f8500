import * as assert from "assert";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { awsDeps, watch, WatchSummary } from "../../infra/functions/recovery-watch/index";
import {
    ATLAS,
    AtlasServer,
    FakeS3,
    generation,
    hoursAgo,
    KEYS,
    NOW,
    PROJECT,
    SEARCH,
    SECRET_ARN,
    snap,
    SNAPSHOTS_PATH,
    UPLOADS,
} from "./recovery-watch.fakes";
import { s3, cloudwatch, secrets, watchStand } from "./recovery-watch.mocks";

describe("recovery-point watch (infra/functions/recovery-watch)", () => {
    let atlas: AtlasServer;
    let fake: FakeS3;
    let logs: string[];
    const { env, metrics } = watchStand((stand) => ({ atlas, fake, logs } = stand));
    const run = (e: Record<string, string | undefined>): Promise<WatchSummary> =>
        watch(e, { ...awsDeps(), now: () => NOW, log: (line) => logs.push(line) });
    const datum = (store: string, value: number, ns = "Continuity/RecoveryPoints") => ({
        ns,
        name: "RecoveryPointAgeHours",
        dims: [{ Name: "Store", Value: store }],
        value,
        unit: "None",
        at: NOW,
    });

    it("reads each kind's newest copy in the DR region and publishes its age in hours", async () => {
        const summary = await run(env([ATLAS, UPLOADS, SEARCH], { METRIC_NAMESPACE: "Acme/Recovery" }));
        assert.deepStrictEqual(summary, {
            published: [
                { store: "orders-db", kind: "atlas", ageHours: 5.5, recoveryPoint: "2026-12-04T06:30:00.000Z" },
                { store: "uploads", kind: "s3", ageHours: 2.25, recoveryPoint: "2026-12-04T09:45:00.000Z" },
                { store: "search", kind: "opensearch", ageHours: 6.125, recoveryPoint: "2026-12-04T05:52:30.000Z" },
            ],
            failed: [],
        });
        assert.deepStrictEqual(
            metrics().sort((a, b) => a.value! - b.value!),
            [datum("uploads", 2.25, "Acme/Recovery"), datum("orders-db", 5.5, "Acme/Recovery"), datum("search", 6.125, "Acme/Recovery")],
        );
        // Atlas: Digest challenge then answer, for each of the two pages.
        assert.deepStrictEqual(atlas.requests, [
            { path: `${SNAPSHOTS_PATH}?itemsPerPage=100&pageNum=1`, authorized: false },
            { path: `${SNAPSHOTS_PATH}?itemsPerPage=100&pageNum=1`, authorized: true },
            { path: `${SNAPSHOTS_PATH}?itemsPerPage=100&pageNum=2`, authorized: false },
            { path: `${SNAPSHOTS_PATH}?itemsPerPage=100&pageNum=2`, authorized: true },
        ]);
        // OpenSearch: index.latest names the generation, so only the snap-*.dat listing is paged through (2 keys a page).
        assert.deepStrictEqual(
            s3.commandCalls(ListObjectsV2Command).map((c) => [c.args[0].input.Prefix, c.args[0].input.ContinuationToken]),
            [
                ["snapshots/snap-", undefined],
                ["snapshots/snap-", "2"],
            ],
        );
        // S3: this run's heartbeat into the source bucket.
        assert.deepStrictEqual(fake.puts, [
            {
                Bucket: "acme-uploads",
                Key: ".continuity/heartbeat",
                Body: "2026-12-04T12:00:00.000Z",
                ContentType: "text/plain",
                Metadata: { "written-at": "2026-12-04T12:00:00.000Z" },
            },
        ]);
        assert.deepStrictEqual(
            logs.map((l) => JSON.parse(l)).sort((a, b) => a.ageHours - b.ageHours),
            [
                {
                    store: "uploads",
                    kind: "s3",
                    environment: "staging",
                    ageHours: 2.25,
                    rpoHours: 24,
                    overRpo: false,
                    recoveryPoint: "2026-12-04T09:45:00.000Z",
                    detail: "heartbeat written 2026-12-04T09:45:00.000Z",
                },
                {
                    store: "orders-db",
                    kind: "atlas",
                    environment: "staging",
                    ageHours: 5.5,
                    rpoHours: 24,
                    overRpo: false,
                    recoveryPoint: "2026-12-04T06:30:00.000Z",
                    detail: "snapshot newest-copy",
                },
                {
                    store: "search",
                    kind: "opensearch",
                    environment: "staging",
                    ageHours: 6.125,
                    rpoHours: 26,
                    overRpo: false,
                    recoveryPoint: "2026-12-04T05:52:30.000Z",
                    detail: "snapshot hourly-b (index-7)",
                },
            ],
        );
    });

    it("a failed read publishes nothing for that store, and the others still publish", async () => {
        fake.failures.set(
            "HeadObject acme-uploads-dr/.continuity/heartbeat",
            Object.assign(new Error("Access Denied"), {
                name: "AccessDenied",
                $metadata: { httpStatusCode: 403 },
            }),
        );
        const summary = await run(env([ATLAS, UPLOADS, SEARCH]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "uploads",
                reason:
                    "reading the replica s3://acme-uploads-dr/.continuity/heartbeat " +
                    "(us-east-1) failed: AccessDenied: Access Denied (HTTP 403)",
            },
        ]);
        assert.deepStrictEqual(
            summary.published.map((p) => [p.store, p.ageHours]),
            [
                ["orders-db", 5.5],
                ["search", 6.125],
            ],
        );
        assert.deepStrictEqual(
            metrics()
                .map((m) => [m.dims![0].Value, m.value])
                .sort(),
            [
                ["orders-db", 5.5],
                ["search", 6.125],
            ],
        );
        assert.strictEqual(fake.puts.length, 1, "the heartbeat is still written");
        assert.ok(
            logs.includes(JSON.stringify({ store: "uploads", kind: "s3", environment: "staging", failed: summary.failed[0].reason })),
        );
    });

    it("the first run has no replica yet: it fails the store but writes the heartbeat that replication will copy", async () => {
        fake.buckets.get("acme-uploads-dr")!.objects.clear();
        const summary = await run(env([UPLOADS]));
        assert.deepStrictEqual(summary, {
            published: [],
            failed: [
                {
                    store: "uploads",
                    reason:
                        "no replica of the heartbeat at s3://acme-uploads-dr/.continuity/heartbeat " +
                        "(us-east-1) yet (replication has not delivered one)",
                },
            ],
        });
        assert.deepStrictEqual(
            fake.puts.map((p) => `${p.Bucket}/${p.Key}`),
            ["acme-uploads/.continuity/heartbeat"],
        );
        assert.strictEqual(cloudwatch.commandCalls(PutMetricDataCommand).length, 0);
    });

    it("a heartbeat that cannot be written fails the store even though the replica was read", async () => {
        fake.failures.set(
            "PutObject acme-uploads/.continuity/heartbeat",
            Object.assign(new Error("Access Denied"), {
                name: "AccessDenied",
                $metadata: { httpStatusCode: 403 },
            }),
        );
        const summary = await run(env([UPLOADS]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "uploads",
                reason: "writing the heartbeat s3://acme-uploads/.continuity/heartbeat failed: AccessDenied: Access Denied (HTTP 403)",
            },
        ]);
        assert.strictEqual(cloudwatch.commandCalls(PutMetricDataCommand).length, 0);
    });

    it("wrong Atlas keys: that store fails naming HTTP 401, the keys appear nowhere, the others publish", async () => {
        const wrong = { publicKey: KEYS.publicKey, privateKey: "99999999-0000-0000-0000-000000000000" };
        secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(wrong) });
        const summary = await run(env([ATLAS, UPLOADS]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "orders-db",
                reason:
                    `Atlas API answered HTTP 401 UNAUTHORIZED to GET ${SNAPSHOTS_PATH}?itemsPerPage=100&pageNum=1 ` +
                    "(the API key pair in the " +
                    "secret was refused: wrong keys, or the caller's IP is not on the key's access list)",
            },
        ]);
        assert.deepStrictEqual(
            summary.published.map((p) => p.store),
            ["uploads"],
        );
        assert.deepStrictEqual(
            metrics().map((m) => m.dims![0].Value),
            ["uploads"],
        );
        assert.ok(
            logs.every((l) => !l.includes(wrong.privateKey) && !l.includes(KEYS.publicKey)),
            logs.join("\n"),
        );
    });

    it("the Atlas keys are read once per run, from the secret's own region", async () => {
        atlas.clusters.set(`${PROJECT}/billing`, [snap("b1", 3, "completed", ["US_EAST_1"])]);
        const billing = { ...ATLAS, store: "billing-db", clusterName: "billing" };
        const summary = await run(env([ATLAS, billing]));
        assert.deepStrictEqual(
            summary.published.map((p) => [p.store, p.ageHours]),
            [
                ["orders-db", 5.5],
                ["billing-db", 3],
            ],
        );
        const calls = secrets.commandCalls(GetSecretValueCommand);
        assert.strictEqual(calls.length, 1);
        assert.strictEqual(await calls[0].thisValue.config.region(), "us-west-2");
    });

    it("a secret that cannot be read fails every Atlas store with the reason, and no other store", async () => {
        secrets.on(GetSecretValueCommand).rejects(
            Object.assign(new Error("User is not authorized"), {
                name: "AccessDeniedException",
                $metadata: { httpStatusCode: 400 },
            }),
        );
        const summary = await run(env([ATLAS, UPLOADS]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "orders-db",
                reason:
                    `reading the Atlas API keys from Secrets Manager (${SECRET_ARN}) failed: ` +
                    `AccessDeniedException: User is not authorized (HTTP 400)`,
            },
        ]);
        assert.deepStrictEqual(
            summary.published.map((p) => p.store),
            ["uploads"],
        );
        assert.strictEqual(atlas.requests.length, 0);
    });

    it("a secret without the key pair fails the Atlas store without showing the secret", async () => {
        secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"public":"abcdefgh","private":"s3cr3t"}' });
        const summary = await run(env([ATLAS]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "orders-db",
                reason: `the secret ${SECRET_ARN} does not hold a JSON SecretString {"publicKey": "...", "privateKey": "..."}`,
            },
        ]);
        assert.ok(logs.every((l) => !l.includes("s3cr3t")));
    });

    it("a snapshot still in progress (or queued) is not a recovery point", async () => {
        atlas.clusters.set(`${PROJECT}/orders`, [
            snap("running", 0.5, "inProgress", ["US_EAST_1"]),
            snap("queued", 0.1, "queued", ["US_EAST_1"]),
        ]);
        const repo = {
            snapshots: [
                { name: "hourly-z", uuid: "uuidZ", state: 0 },
                { name: "hourly-y", uuid: "uuidY", state: 2 },
            ],
        };
        fake.put("acme-search-dr", "snapshots/index.latest", generation(8n), hoursAgo(0))
            .put("acme-search-dr", "snapshots/index-8", JSON.stringify(repo), hoursAgo(0))
            .put("acme-search-dr", "snapshots/snap-uuidZ.dat", "smile", hoursAgo(0.2));
        const summary = await run(env([ATLAS, SEARCH]));
        assert.deepStrictEqual(summary, {
            published: [],
            failed: [
                {
                    store: "orders-db",
                    reason: 'no completed snapshot of cluster "orders" is copied to US_EAST_1 (2 snapshots, 0 completed)',
                },
                {
                    store: "search",
                    reason:
                        "no complete snapshot in the repository at s3://acme-search-dr/snapshots/ " +
                        "(us-east-1) (index-8 lists 2: 1 in progress, 1 failed)",
                },
            ],
        });
        assert.strictEqual(cloudwatch.commandCalls(PutMetricDataCommand).length, 0);
    });

    it("OpenSearch: index.latest naming a generation not replicated yet falls back to the highest index-N present", async () => {
        fake.put("acme-search-dr", "snapshots/index.latest", generation(9n), hoursAgo(0));
        const summary = await run(env([SEARCH]));
        assert.deepStrictEqual(summary.published, [
            { store: "search", kind: "opensearch", ageHours: 6.125, recoveryPoint: "2026-12-04T05:52:30.000Z" },
        ]);
        assert.ok(logs[0].includes('"detail":"snapshot hourly-b (index-7)"'), logs[0]);
    });

    it("OpenSearch: an empty or missing repository is a failure naming the place looked at", async () => {
        fake.buckets.get("acme-search-dr")!.objects.clear();
        const summary = await run(env([SEARCH]));
        assert.deepStrictEqual(summary.failed, [
            {
                store: "search",
                reason: "no snapshot repository at s3://acme-search-dr/snapshots/ (us-east-1) (neither index.latest nor any index-N found)",
            },
        ]);
    });

    it("every remote call has its own time limit: a call that never answers fails only its store", async () => {
        atlas.hang.add(`${PROJECT}/orders`);
        fake.failures.set("HeadObject acme-uploads-dr/.continuity/heartbeat", "hang");
        const started = Date.now();
        const summary = await run(env([ATLAS, UPLOADS, SEARCH], { WATCH_TIMEOUT_MS: "300" }));
        assert.ok(Date.now() - started < 5_000);
        assert.deepStrictEqual(summary.failed, [
            { store: "orders-db", reason: `Atlas API call GET ${SNAPSHOTS_PATH} timed out after 300 ms` },
            {
                store: "uploads",
                reason:
                    "reading the replica s3://acme-uploads-dr/.continuity/heartbeat (us-east-1) failed: " +
                    "HeadObject s3://acme-uploads-dr/.continuity/heartbeat (us-east-1) timed out after 300 ms",
            },
        ]);
        assert.deepStrictEqual(
            summary.published.map((p) => p.store),
            ["search"],
        );
    });
});
