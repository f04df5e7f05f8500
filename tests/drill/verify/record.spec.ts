// `npm run drill:verify` (tools/drill) against local stand-ins (./fixtures.ts): each case checks the record it
// writes, front matter and prose.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { main, summary, verify } from "../../../tools/drill/verify";
import { parseRecord } from "../../../tools/drill/record";
import { redact } from "../../../tools/drill/util";
import { FakeMongo } from "../mongo-fake";
import { COPY_BUCKET, COUNTS, DRILL_URI, GOOD_JOB, JOB_PATH, CAT_PATH, PASS, sha, SOURCE_URI, verifyStand } from "./fixtures";

describe("drill:verify (tools/drill)", () => {
    let dir = "";
    const { atlas, source, drill, s3, output, writeOutputs, opts, deps, body, headRestored } = verifyStand((d) => (dir = d));

    it("all good: writes a pass record, asking Atlas with digest auth and signing OpenSearch requests", async () => {
        const r = await verify(opts(writeOutputs(output())), deps());
        assert.strictEqual(r.file, path.join(dir, "records", "2026-04-15-staging.md"));
        const text = fs.readFileSync(r.file, "utf8");
        assert.deepStrictEqual(parseRecord(text, "record"), PASS);
        assert.deepStrictEqual(r.record, PASS);
        const prose = text.slice(text.indexOf("\n---\n") + 5).split("\n");
        assert.deepStrictEqual(prose.slice(0, 4), [
            "",
            "# DR drill of staging, 2026-04-15: pass",
            "",
            "Written by `npm run drill:verify -- --stack staging-drill`: the drill stack `staging-drill` restored the copies of " +
                "`staging` " +
                "into us-east-1; this record compares what came back with the source. The front matter above is what the DR plan reads " +
                "(docs/drills/README.md).",
        ]);
        assert.ok(
            text.includes("\n## atlas (atlas): pass\n\n- Restored from: Atlas snapshot 65snap of continuity-staging copied to US_EAST_1"),
        );
        assert.ok(text.includes("\n| restore job 65job into continuity-staging-drill | 90 min |\n"));
        assert.ok(text.includes("\n- Age of the copy when its restore started: 12 h.\n- Measured restore time (RTO): 45 min.\n"));
        // Digest: the first request is challenged, the second answers it with the key.
        assert.deepStrictEqual(
            atlas.requests.map((q) => [q.path, q.accept, q.authorized]),
            [
                [JOB_PATH, "application/vnd.atlas.2023-01-01+json", false],
                [JOB_PATH, "application/vnd.atlas.2023-01-01+json", true],
            ],
        );
        // SigV4 with service "es": the source domain in the source's primary region, the drill one in the drill region.
        assert.match(String(source.requests[0].headers.authorization), /Credential=AKIDTEST\/\d{8}\/us-west-2\/es\/aws4_request/);
        assert.match(String(drill.requests[0].headers.authorization), /Credential=AKIDTEST\/\d{8}\/us-east-1\/es\/aws4_request/);
        assert.deepStrictEqual(
            s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input),
            [
                { Bucket: COPY_BUCKET, Key: "a.txt" },
                { Bucket: COPY_BUCKET, Key: "b/c.bin" },
            ],
        );
        assert.deepStrictEqual(summary(r, "staging-drill", "records/2026-04-15-staging.md"), [
            "atlas (atlas): pass",
            "uploads (s3): pass",
            "search (opensearch): pass",
            "drill pass: wrote records/2026-04-15-staging.md",
        ]);
    });

    it("a collection's count differs: fails naming the collection and both counts", async () => {
        const mongo = new FakeMongo({ [SOURCE_URI]: COUNTS, [DRILL_URI]: { "shop.orders": 117, "shop.users": 40 } });
        const r = await verify(opts(writeOutputs(output())), deps({ mongo }));
        const a = r.record.stores[0];
        assert.strictEqual(r.record.result, "fail");
        assert.strictEqual(a.result, "fail");
        assert.deepStrictEqual(a.problems, ["collection shop.orders: source 120 documents, restored 117."]);
        assert.deepStrictEqual(a.checks[0], { what: "documents in shop.orders", source: 120, restored: 117, ok: false });
        assert.deepStrictEqual(mongo.asked, [SOURCE_URI, DRILL_URI]);
        assert.ok(fs.readFileSync(r.file, "utf8").includes("| documents in shop.orders | 120 | 117 | **differs** |"));
    });

    it("a collection missing from the drill cluster fails naming it", async () => {
        const mongo = new FakeMongo({ [SOURCE_URI]: COUNTS, [DRILL_URI]: { "shop.orders": 120 } });
        const r = await verify(opts(writeOutputs(output())), deps({ mongo }));
        assert.deepStrictEqual(r.record.stores[0].problems, [
            "collection shop.users: missing from the drill cluster (source 40 documents).",
        ]);
        assert.deepStrictEqual(r.record.stores[0].checks[1], { what: "documents in shop.users", source: 40, restored: null, ok: false });
    });

    it("a restore job Atlas reports failed: fails with Atlas's status, and counts nothing", async () => {
        atlas.on(JOB_PATH, 200, { ...GOOD_JOB, failed: true, finishedAt: "2026-04-15T08:20:00Z" });
        const mongo = new FakeMongo({});
        const r = await verify(opts(writeOutputs(output())), deps({ mongo }));
        const a = r.record.stores[0];
        assert.strictEqual(r.record.result, "fail");
        assert.deepStrictEqual(
            { result: a.result, rtoHours: a.rtoHours, problems: a.problems },
            {
                result: "fail",
                rtoHours: null,
                problems: [
                    "restore job 65job into continuity-staging-drill: Atlas reports it failed (failed: true, cancelled: false, " +
                        "expired: false, finishedAt: 2026-04-15T08:20:00Z).",
                ],
            },
        );
        assert.deepStrictEqual(mongo.asked, []);
    });

    it("a restore job still running leaves the store pending", async () => {
        const running: Partial<typeof GOOD_JOB> = { ...GOOD_JOB };
        delete running.finishedAt;
        atlas.on(JOB_PATH, 200, running);
        const r = await verify(opts(writeOutputs(output())), deps());
        assert.deepStrictEqual(
            [r.record.result, r.record.stores[0].result, r.record.stores[0].problems],
            [
                "pending",
                "pending",
                [
                    "restore job 65job into continuity-staging-drill has not finished (Atlas gives no finishedAt yet): " +
                        "run drill:verify again once it has.",
                ],
            ],
        );
    });

    it("wrong Atlas keys: the API's 401 is the store's failure, and no key is shown", async () => {
        const env = { ...deps().env, MONGODB_ATLAS_PRIVATE_KEY: "wrong-private" };
        const r = await verify(opts(writeOutputs(output())), deps({ env }));
        assert.deepStrictEqual(r.record.stores[0].problems, [
            `restore job 65job: Atlas Admin API: GET ${JOB_PATH} answered 401 (NOT_AUTHORIZED: You are not authorized for this resource.).`,
        ]);
        assert.ok(!fs.readFileSync(r.file, "utf8").includes("wrong-private"));
    });

    it("a cluster that cannot be reached: the failure is recorded without the connection string", async () => {
        const mongo = new FakeMongo({ [SOURCE_URI]: COUNTS });
        const r = await verify(opts(writeOutputs(output())), deps({ mongo }));
        assert.deepStrictEqual(r.record.stores[0].problems, [
            "counting documents in the drill cluster continuity-staging-drill: Server selection timed out after 30000 ms connecting to ***",
        ]);
        assert.strictEqual(redact("x mongodb://u:p%40ss@h/ y", []), "x mongodb://u:***@h/ y");
    });

    it("S3 objects still coming back from Deep Archive: pending, and the record and the command say when to run again", async () => {
        s3.on(HeadObjectCommand, { Bucket: COPY_BUCKET, Key: "b/c.bin" }).resolves(headRestored('ongoing-request="true"'));
        const stores = output()
            .stores.slice(1, 2)
            .map((s) => ({ ...(s as object), requestedAt: "2026-04-14T12:00:00Z" }));
        const r = await verify(opts(writeOutputs(output({}, stores))), deps());
        const u = r.record.stores[0];
        assert.strictEqual(r.record.result, "pending");
        assert.deepStrictEqual(
            { result: u.result, rtoHours: u.rtoHours, steps: u.steps, problems: u.problems },
            {
                result: "pending",
                rtoHours: null,
                steps: [{ name: "Deep Archive retrieval (Bulk)", seconds: null }],
                problems: [
                    "1 of 2 sampled objects are still being restored from Deep Archive (b/c.bin); Bulk retrievals finish within 48 hours " +
                        "of the request, by 2026-04-16T12:00:00.000Z: run drill:verify again then.",
                ],
            },
        );
        assert.deepStrictEqual(u.checks, [{ what: "sha256 of a.txt", source: sha("hello drill"), restored: sha("hello drill"), ok: true }]);
        assert.deepStrictEqual(summary(r, "staging-drill", "r.md").slice(-2), [
            "drill pending: wrote r.md",
            "Some restores have not finished: run `npm run drill:verify -- --stack staging-drill` again when the times above have passed.",
        ]);
        const logged: string[] = [];
        const log = console.log;
        console.log = (line: string) => logged.push(line);
        try {
            const code = await main(["--stack", "staging-drill", "--outputs", path.join(dir, "outputs.json"), "--out", "records"], deps());
            assert.strictEqual(code, 1);
        } finally {
            console.log = log;
        }
        assert.strictEqual(logged[0], "uploads (s3): pending");
    });

    it("a restored object whose hash differs fails naming the key; a source changed since the copy says so", async () => {
        s3.on(GetObjectCommand, { Bucket: COPY_BUCKET, Key: "a.txt" }).callsFake(() => ({ Body: body("tampered") }));
        s3.on(GetObjectCommand, { Bucket: "continuity-staging-uploads", Key: "b/c.bin" }).callsFake(() => ({
            Body: body("edited since"),
            LastModified: new Date("2026-04-12T00:00:00Z"),
        }));
        const r = await verify(opts(writeOutputs(output())), deps());
        const u = r.record.stores[1];
        assert.deepStrictEqual(
            [u.result, u.copyAgeHours, u.problems],
            [
                "fail",
                48,
                [
                    `s3://${COPY_BUCKET}/a.txt: the restored copy's SHA-256 differs from the source's.`,
                    `s3://${COPY_BUCKET}/b/c.bin: the restored copy's SHA-256 differs from the source's ` +
                        "(the source object changed after the copy was made).",
                ],
            ],
        );
    });

    it("a sampled key missing from the copy bucket fails naming it", async () => {
        const notFound = Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
        s3.on(HeadObjectCommand, { Bucket: COPY_BUCKET, Key: "a.txt" }).rejects(notFound);
        const r = await verify(opts(writeOutputs(output())), deps());
        assert.deepStrictEqual(
            [r.record.result, r.record.stores[1].result, r.record.stores[1].problems],
            [
                "fail",
                "fail",
                [`s3://${COPY_BUCKET}/a.txt: HeadObject failed (NotFound 404: NotFound): the copy of this key is missing or unreadable.`],
            ],
        );
    });

    it("OpenSearch restore times from _recovery when the output has none: pending while shards restore, then measured", async () => {
        const stores = output().stores.map((s, i) =>
            i === 2 ? { ...(s as object), restoreStartedAt: undefined, restoreFinishedAt: undefined } : s,
        );
        const shard = (stage: string, start: string, stop: string) => ({
            type: "SNAPSHOT",
            stage,
            start_time_in_millis: Date.parse(start),
            stop_time_in_millis: Date.parse(stop),
        });
        drill.on(
            "GET",
            "/app-*/_recovery",
            {
                status: 200,
                body: {
                    "app-orders": { shards: [shard("DONE", "2026-04-15T10:00:00Z", "2026-04-15T10:10:00Z")] },
                    "app-users": { shards: [shard("INDEX", "2026-04-15T10:00:00Z", "2026-04-15T10:05:00Z")] },
                },
            },
            {
                status: 200,
                body: {
                    "app-orders": { shards: [shard("DONE", "2026-04-15T10:00:00Z", "2026-04-15T10:10:00Z")] },
                    "app-users": { shards: [shard("DONE", "2026-04-15T10:01:00Z", "2026-04-15T10:30:00Z")] },
                },
            },
        );
        const file = writeOutputs(output({}, stores));
        const first = (await verify(opts(file), deps())).record.stores[2];
        assert.deepStrictEqual(
            [first.result, first.problems],
            ["pending", ["1 of 2 shards are still being restored (_recovery): run drill:verify again once they are DONE."]],
        );
        const second = (await verify(opts(file), deps())).record.stores[2];
        assert.deepStrictEqual(
            [second.result, second.copyAgeHours, second.rtoHours, second.steps[0]],
            ["pass", 13, 0.5, { name: "restore snap-2026-04-14 into the drill domain", seconds: 1800 }],
        );
    });

    it("an index missing on the drill domain fails naming it and the source's count", async () => {
        drill.on("GET", CAT_PATH, { status: 200, body: [{ index: "app-orders", "docs.count": "1000" }] });
        const r = await verify(opts(writeOutputs(output())), deps());
        assert.deepStrictEqual(
            [r.record.stores[2].result, r.record.stores[2].problems],
            ["fail", ["index app-users: missing from the drill domain (source 50 documents)."]],
        );
    });

    it("the output from pulumi when no file is given, with fields beyond the contract", async () => {
        const asked: string[] = [];
        const r = await verify(
            { stack: "staging-drill", out: "records", date: "2026-04-15" },
            deps({
                stackOutput: async (stack) => {
                    asked.push(stack);
                    // The fields the drill component adds beyond the contract are read past.
                    const extra = [{ snapshotCreatedAt: "2026-04-15T03:00:00Z" }, { restoreDays: 3 }, { restoredIndices: ["app-orders"] }];
                    return output(
                        {},
                        output().stores.map((st, i) => ({ ...(st as object), ...extra[i] })),
                    );
                },
            }),
        );
        assert.deepStrictEqual([asked, r.record.result], [["staging-drill"], "pass"]);
    });
});
