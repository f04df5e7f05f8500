// The drill's dynamic providers against stand-ins: the snapshot restore against a local HTTPS server
// playing an OpenSearch domain, the Deep Archive restores against the AWS SDK mocked by aws-sdk-client-mock.
import * as assert from "assert";
import { ListObjectsV2Command, RestoreObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { SnapshotRestoreInputs, SnapshotRestoreProvider } from "../../infra/providers/opensearch-restore";
import { ObjectRestoreInputs, ObjectRestoreProvider, spread } from "../../infra/providers/s3-restore";
import { FakeOpenSearch, TEST_CA } from "../helpers/opensearch-server";

const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-key" };
const REPO = "/_snapshot/continuity-snapshots";

const snapshot = (name: string, state: string, end: string, indices: string[]) => ({
    snapshot: name,
    state,
    indices,
    end_time_in_millis: Date.parse(end),
});
const recovery = (stage: string) => ({
    "app-1": {
        shards: [
            { id: 0, primary: true, type: "SNAPSHOT", stage },
            { id: 0, primary: false, type: "PEER", stage: "INIT" },
        ],
    },
    "app-2": { shards: [{ id: 0, primary: true, type: "SNAPSHOT", stage: "DONE" }] },
});

describe("SnapshotRestoreProvider (infra/providers/opensearch-restore.ts) against a stand-in domain", () => {
    const server = new FakeOpenSearch();
    let endpoint: string;
    let inputs: SnapshotRestoreInputs;
    const provider = new SnapshotRestoreProvider({ credentials: async () => CREDENTIALS, ca: TEST_CA, pollMs: 1, retries: 0 });

    before(async () => {
        endpoint = await server.start();
    });
    after(() => server.close());
    beforeEach(() => {
        server.reset();
        inputs = {
            store: "search",
            endpoint,
            region: "us-east-1",
            repository: "continuity-snapshots",
            indices: ["app-*"],
            timeoutMinutes: 5,
        };
    });

    it("restores the newest complete snapshot's matching indices without global state, and records start and end", async () => {
        server
            .on("GET", `${REPO}/_all`, {
                status: 200,
                body: {
                    snapshots: [
                        snapshot("daily-2026-12-02", "SUCCESS", "2026-12-02T02:10:00Z", ["app-1", "app-2", "logs"]),
                        snapshot("daily-2026-12-03", "SUCCESS", "2026-12-03T02:12:00Z", ["app-2", "app-1", "logs"]),
                        snapshot("daily-2026-12-04", "IN_PROGRESS", "2026-12-04T02:00:00Z", ["app-1"]),
                        snapshot("daily-2026-12-01", "PARTIAL", "2026-12-01T02:00:00Z", ["app-1"]),
                    ],
                },
            })
            .on("POST", `${REPO}/daily-2026-12-03/_restore`, { status: 200, body: { accepted: true } })
            .on("GET", "/app-1,app-2/_recovery", { status: 200, body: recovery("INDEX") }, { status: 200, body: recovery("DONE") });
        const before = Date.now();
        const result = await provider.create(inputs);
        assert.strictEqual(result.id, "continuity-snapshots/daily-2026-12-03");
        const outs = result.outs;
        assert.strictEqual(outs.snapshot, "daily-2026-12-03");
        assert.strictEqual(outs.snapshotEndTime, "2026-12-03T02:12:00.000Z");
        assert.deepStrictEqual(outs.restoredIndices, ["app-1", "app-2"]);
        assert.ok(
            Date.parse(outs.restoreStartedAt) >= before - 1000 && Date.parse(outs.restoreFinishedAt) >= Date.parse(outs.restoreStartedAt),
        );
        assert.deepStrictEqual(
            server.requests.map((r) => `${r.method} ${r.path}`),
            [`GET ${REPO}/_all`, `POST ${REPO}/daily-2026-12-03/_restore`, "GET /app-1,app-2/_recovery", "GET /app-1,app-2/_recovery"],
        );
        assert.deepStrictEqual(server.requests[1].body, { indices: "app-1,app-2", include_global_state: false, partial: false });
        // Signed with SigV4 for the es service in the drill region.
        assert.match(
            String(server.requests[1].headers.authorization),
            /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/es\/aws4_request/,
        );
    });

    it("refuses a repository without a complete snapshot, naming the store and what it found", async () => {
        server.on("GET", `${REPO}/_all`, {
            status: 200,
            body: {
                snapshots: [
                    snapshot("daily-2026-12-04", "IN_PROGRESS", "2026-12-04T02:00:00Z", ["app-1"]),
                    snapshot("daily-2026-12-03", "FAILED", "2026-12-03T02:00:00Z", []),
                ],
            },
        });
        await assert.rejects(provider.create(inputs), {
            message:
                `Drill store 'search': the repository 'continuity-snapshots' on ${endpoint} holds no complete snapshot (state SUCCESS) ` +
                `to restore; ` +
                "it lists daily-2026-12-04 IN_PROGRESS, daily-2026-12-03 FAILED.",
        });
        assert.strictEqual(server.requests.length, 1);
    });

    it("refuses a snapshot that holds none of the indices asked for, before restoring anything", async () => {
        server.on("GET", `${REPO}/_all`, {
            status: 200,
            body: { snapshots: [snapshot("daily-2026-12-03", "SUCCESS", "2026-12-03T02:00:00Z", ["logs"])] },
        });
        await assert.rejects(provider.create(inputs), {
            message:
                "Drill store 'search': the newest complete snapshot 'daily-2026-12-03' of the repository 'continuity-snapshots' holds " +
                "no index matching app-* (it holds logs).",
        });
        assert.deepStrictEqual(
            server.requests.map((r) => r.method),
            ["GET"],
        );
    });

    it("a restore OpenSearch refuses fails with the store and OpenSearch's answer", async () => {
        server
            .on("GET", `${REPO}/_all`, {
                status: 200,
                body: { snapshots: [snapshot("daily-2026-12-03", "SUCCESS", "2026-12-03T02:00:00Z", ["app-1"])] },
            })
            .on("POST", `${REPO}/daily-2026-12-03/_restore`, {
                status: 500,
                body: {
                    error: {
                        type: "snapshot_restore_exception",
                        reason: "[continuity-snapshots:daily-2026-12-03] cannot restore index [app-1]",
                    },
                    status: 500,
                },
            });
        await assert.rejects(provider.create(inputs), {
            name: "OpenSearchApiError",
            message:
                `OpenSearch snapshot restore 'search' on ${endpoint}: POST ${REPO}/daily-2026-12-03/_restore answered 500 ` +
                `snapshot_restore_exception: ` +
                "[continuity-snapshots:daily-2026-12-03] cannot restore index [app-1]",
        });
    });

    it("a restore that does not finish in time fails with the shards still recovering", async () => {
        server
            .on("GET", `${REPO}/_all`, {
                status: 200,
                body: { snapshots: [snapshot("daily-2026-12-03", "SUCCESS", "2026-12-03T02:00:00Z", ["app-1", "app-2"])] },
            })
            .on("POST", `${REPO}/daily-2026-12-03/_restore`, { status: 200, body: { accepted: true } })
            .on("GET", "/app-1,app-2/_recovery", { status: 200, body: { "app-1": recovery("TRANSLOG")["app-1"] } });
        await assert.rejects(provider.create({ ...inputs, timeoutMinutes: 0 }), {
            message:
                `Drill store 'search': the restore of snapshot 'daily-2026-12-03' on ${endpoint} did not finish within 0 minutes ` +
                `(still app-1 shard 0: TRANSLOG, app-2: not started).`,
        });
    });

    it("another index list is a new restore, another time limit is not; check refuses an empty index list", async () => {
        assert.deepStrictEqual(await provider.diff("x", inputs, { ...inputs, indices: ["app-1"] }), {
            changes: true,
            replaces: ["indices"],
            deleteBeforeReplace: true,
        });
        assert.deepStrictEqual(await provider.diff("x", inputs, { ...inputs }), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: true,
        });
        assert.deepStrictEqual(await provider.diff("x", inputs, { ...inputs, timeoutMinutes: 60 }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: true,
        });
        const olds = {
            ...inputs,
            snapshot: "s",
            snapshotEndTime: "t",
            restoredIndices: ["app-1"],
            restoreStartedAt: "a",
            restoreFinishedAt: "b",
        };
        assert.deepStrictEqual((await provider.update("x", olds, { ...inputs, timeoutMinutes: 60 })).outs, { ...olds, timeoutMinutes: 60 });
        assert.strictEqual(server.requests.length, 0);
        assert.deepStrictEqual((await provider.check(inputs, { ...inputs, indices: [] })).failures, [
            { property: "indices", reason: "indices must list at least one index name or pattern; found []." },
        ]);
    });
});

describe("SnapshotRestoreProvider.delete", () => {
    const server = new FakeOpenSearch();
    let endpoint: string;
    const provider = new SnapshotRestoreProvider({ credentials: async () => CREDENTIALS, ca: TEST_CA, retries: 0 });
    before(async () => (endpoint = await server.start()));
    after(() => server.close());

    it("removes the restored indices, by name, from the drill domain only; a failure names the store and the answer", async () => {
        const props = {
            store: "search",
            endpoint,
            region: "us-east-1",
            repository: "continuity-snapshots",
            indices: ["app-*"],
            timeoutMinutes: 5,
            snapshot: "daily-2026-12-03",
            snapshotEndTime: "2026-12-03T02:12:00.000Z",
            restoredIndices: ["app-1", "app-2"],
            restoreStartedAt: "2026-12-04T20:00:00.000Z",
            restoreFinishedAt: "2026-12-04T20:07:00.000Z",
        };
        server.on("DELETE", "/app-1,app-2?ignore_unavailable=true", { status: 200, body: { acknowledged: true } });
        await provider.delete("x", props);
        assert.deepStrictEqual(
            server.requests.map((r) => `${r.method} ${r.path}`),
            ["DELETE /app-1,app-2?ignore_unavailable=true"],
        );
        server.reset();
        server.on("DELETE", "/app-1,app-2?ignore_unavailable=true", {
            status: 403,
            body: { Message: "User: anonymous is not authorized" },
        });
        await assert.rejects(provider.delete("x", props), {
            message:
                `OpenSearch snapshot restore 'search' on ${endpoint}: DELETE /app-1,app-2?ignore_unavailable=true answered 403: ` +
                `User: anonymous is not authorized`,
        });
        server.reset();
        await provider.delete("x", { ...props, restoredIndices: [] });
        assert.strictEqual(server.requests.length, 0);
    });
});

describe("ObjectRestoreProvider (infra/providers/s3-restore.ts) against a mocked S3", () => {
    const s3 = mockClient(S3Client);
    const provider = new ObjectRestoreProvider({ clientConfig: { credentials: CREDENTIALS } });
    const base: ObjectRestoreInputs = {
        store: "uploads",
        bucket: "continuity-staging-uploads-dr-us-east-1",
        region: "us-east-1",
        tier: "Bulk",
        days: 7,
    };
    const s3Failure = (name: string, status: number, message: string) =>
        Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

    beforeEach(() => s3.reset());
    after(() => s3.restore());

    it("requests a restore of each given key in the copy bucket with the tier and days, and records S3's answer", async () => {
        s3.on(RestoreObjectCommand, { Key: "a/1.jpg" })
            .resolves({ $metadata: { httpStatusCode: 202 } })
            .on(RestoreObjectCommand, { Key: "a/2.jpg" })
            .resolves({ $metadata: { httpStatusCode: 200 } })
            .on(RestoreObjectCommand, { Key: "a/3.jpg" })
            .rejects(s3Failure("RestoreAlreadyInProgress", 409, "Object restore is already in progress"));
        const { outs } = await provider.create({ ...base, keys: ["a/1.jpg", "a/2.jpg", "a/3.jpg"] });
        assert.deepStrictEqual(
            s3.commandCalls(RestoreObjectCommand).map((c) => c.args[0].input),
            ["a/1.jpg", "a/2.jpg", "a/3.jpg"].map((Key) => ({
                Bucket: "continuity-staging-uploads-dr-us-east-1",
                Key,
                RestoreRequest: { Days: 7, GlacierJobParameters: { Tier: "Bulk" } },
            })),
        );
        assert.deepStrictEqual(outs.requests, [
            { key: "a/1.jpg", status: "requested" },
            { key: "a/2.jpg", status: "already-restored" },
            { key: "a/3.jpg", status: "in-progress" },
        ]);
        assert.deepStrictEqual(outs.keys, ["a/1.jpg", "a/2.jpg", "a/3.jpg"]);
        assert.strictEqual(outs.tier, "Bulk");
        assert.ok(!Number.isNaN(Date.parse(outs.requestedAt)));
        assert.strictEqual(s3.commandCalls(ListObjectsV2Command).length, 0);
    });

    it("samples `count` keys spread over the listing under the prefix, folders left out", async () => {
        s3.on(ListObjectsV2Command).resolves({ Contents: ["u/", "u/1", "u/2", "u/3", "u/4", "u/5", "u/6"].map((Key) => ({ Key })) });
        s3.on(RestoreObjectCommand).resolves({ $metadata: { httpStatusCode: 202 } });
        const { outs } = await provider.create({ ...base, tier: "Standard", prefix: "u/", count: 3 });
        assert.deepStrictEqual(s3.commandCalls(ListObjectsV2Command)[0].args[0].input, {
            Bucket: "continuity-staging-uploads-dr-us-east-1",
            Prefix: "u/",
            MaxKeys: 1000,
        });
        assert.deepStrictEqual(outs.keys, ["u/1", "u/3", "u/5"]);
        assert.deepStrictEqual(s3.commandCalls(RestoreObjectCommand)[0].args[0].input.RestoreRequest, {
            Days: 7,
            GlacierJobParameters: { Tier: "Standard" },
        });
        assert.deepStrictEqual(spread(["a", "b"], 5), ["a", "b"]);
    });

    it("an empty copy under the prefix is an error: there is nothing to restore", async () => {
        s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
        await assert.rejects(provider.create({ ...base, prefix: "none/", count: 2 }), {
            message:
                "Drill store 'uploads': the copy bucket s3://continuity-staging-uploads-dr-us-east-1 in us-east-1 holds no object under " +
                'the prefix "none/"; there is nothing to restore.',
        });
        assert.strictEqual(s3.commandCalls(RestoreObjectCommand).length, 0);
    });

    it("a restore S3 refuses fails with the store, the object, S3's answer and what was requested before", async () => {
        s3.on(RestoreObjectCommand, { Key: "a/1.jpg" })
            .resolves({ $metadata: { httpStatusCode: 202 } })
            .on(RestoreObjectCommand, { Key: "a/2.jpg" })
            .rejects(s3Failure("InvalidObjectState", 403, "Restore is not allowed for the object's current storage class"));
        await assert.rejects(provider.create({ ...base, keys: ["a/1.jpg", "a/2.jpg"] }), {
            message:
                "Drill store 'uploads': RestoreObject of s3://continuity-staging-uploads-dr-us-east-1/a/2.jpg in us-east-1 (1 restore " +
                "was requested before it) " +
                "answered 403 InvalidObjectState: Restore is not allowed for the object's current storage class",
        });
    });

    it("a listing S3 refuses fails with the store and S3's answer", async () => {
        s3.on(ListObjectsV2Command).rejects(s3Failure("AccessDenied", 403, "Access Denied"));
        await assert.rejects(provider.create({ ...base, prefix: "", count: 2 }), {
            message:
                "Drill store 'uploads': ListObjectsV2 of s3://continuity-staging-uploads-dr-us-east-1 (prefix \"\") in us-east-1 " +
                "answered 403 AccessDenied: Access Denied",
        });
    });

    it("check refuses Expedited and a sample given both ways; any change is a new request", async () => {
        const bad = await provider.check(base, { ...base, tier: "Expedited" as never, keys: ["k"], count: 2 });
        assert.deepStrictEqual(bad.failures, [
            { property: "tier", reason: 'tier must be Bulk or Standard (Deep Archive offers no Expedited retrieval); found "Expedited".' },
            { property: "keys", reason: "give either keys, or prefix and count." },
        ]);
        const keyed = { ...base, keys: ["k"] };
        assert.deepStrictEqual(await provider.diff("x", keyed, { ...keyed, tier: "Standard" }), {
            changes: true,
            replaces: ["tier"],
            deleteBeforeReplace: true,
        });
        // Deleting the resource touches nothing in S3.
        await provider.delete();
        assert.strictEqual(s3.calls().length, 0);
    });
});
