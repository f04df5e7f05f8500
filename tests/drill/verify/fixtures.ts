// The stand-ins drill:verify runs against in these specs: the Atlas Admin API over HTTP with digest auth, two
// OpenSearch domains over HTTPS, S3 through aws-sdk-client-mock, MongoDB through an in-memory fake; the outputs a drill
// stack gives and the record a good drill writes.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { VerifyDeps, VerifyOptions } from "../../../tools/drill/verify";
import { DrillRecord } from "../../../tools/drill/record";
import { FakeOpenSearch, TEST_CA } from "../../helpers/opensearch-server";
import { FakeAtlasApi } from "../atlas-server";
import { FakeMongo } from "../mongo-fake";

export const NOW = new Date("2026-04-15T12:00:00Z");
export const SOURCE_URI = "mongodb+srv://app:src-pass-1@source.example.net/";
export const DRILL_URI = "mongodb+srv://app:drill-pass-2@drill.example.net/";
export const JOB_PATH = "/api/atlas/v2/groups/6500000000000000000000aa/clusters/continuity-staging/backup/restoreJobs/65job";
export const CAT_PATH = "/_cat/indices/app-*?format=json&h=index%2Cdocs.count";
export const SNAP_PATH = "/_snapshot/dr-snapshots/snap-2026-04-14";
export const COPY_BUCKET = "continuity-staging-uploads-dr-us-east-1";
export const RESTORED = 'ongoing-request="false", expiry-date="Fri, 24 Apr 2026 00:00:00 GMT"';
export const BODIES: Record<string, string> = { "a.txt": "hello drill", "b/c.bin": "second object" };
export const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

export const GOOD_JOB = {
    id: "65job",
    snapshotId: "65snap",
    createdAt: "2026-04-15T08:00:00Z",
    finishedAt: "2026-04-15T09:30:00Z",
    timestamp: "2026-04-15T03:00:00Z",
    failed: false,
    cancelled: false,
    expired: false,
    deliveryType: "automated",
};
export const COUNTS = { "shop.orders": 120, "shop.users": 40 };

// Registers, in the calling suite, the hooks that start the stand-ins, reset them before each test in a fresh project
// directory (handed to onDir) and stop them after; returns the stand-ins and the helpers that build a drill's input.
export function verifyStand(onDir: (dir: string) => void) {
    const atlas = new FakeAtlasApi("pubkey", "priv-secret-123");
    const source = new FakeOpenSearch();
    const drill = new FakeOpenSearch();
    const s3 = mockClient(S3Client);
    let atlasUrl = "";
    let sourceUrl = "";
    let drillUrl = "";
    let dir = "";

    before(async () => {
        [atlasUrl, sourceUrl, drillUrl] = await Promise.all([atlas.start(), source.start(), drill.start()]);
    });
    after(async () => {
        await Promise.all([atlas.close(), source.close(), drill.close()]);
        s3.restore();
    });

    const output = (over: Record<string, unknown> = {}, stores?: unknown[]) => ({
        environment: "staging",
        source: "staging",
        stack: "staging-drill",
        region: "us-east-1",
        stores: stores ?? [
            {
                store: "atlas",
                kind: "atlas",
                projectId: "6500000000000000000000aa",
                sourceCluster: "continuity-staging",
                drillCluster: "continuity-staging-drill",
                snapshotId: "65snap",
                restoreJobId: "65job",
                copyRegion: "US_EAST_1",
            },
            {
                store: "uploads",
                kind: "s3",
                sourceBucket: "continuity-staging-uploads",
                copyBucket: COPY_BUCKET,
                drillBucket: "continuity-staging-drill-uploads",
                keys: ["a.txt", "b/c.bin"],
                tier: "Bulk",
                requestedAt: "2026-04-13T12:00:00Z",
            },
            {
                store: "search",
                kind: "opensearch",
                sourceEndpoint: sourceUrl,
                drillEndpoint: drillUrl,
                repository: "dr-snapshots",
                snapshot: "snap-2026-04-14",
                indices: ["app-*"],
                restoreStartedAt: "2026-04-15T09:00:00Z",
                restoreFinishedAt: "2026-04-15T09:45:00Z",
            },
        ],
        ...over,
    });

    const writeOutputs = (o: unknown) => {
        const file = path.join(dir, "outputs.json");
        fs.writeFileSync(file, JSON.stringify(o));
        return file;
    };
    const opts = (file: string): VerifyOptions => ({ stack: "staging-drill", outputs: file, out: "records", date: "2026-04-15" });
    const deps = (over: Partial<VerifyDeps> = {}): VerifyDeps => ({
        env: {
            ATLAS_API_URL: atlasUrl,
            MONGODB_ATLAS_PUBLIC_KEY: "pubkey",
            MONGODB_ATLAS_PRIVATE_KEY: "priv-secret-123",
            DRILL_SOURCE_MONGODB_URI: SOURCE_URI,
            DRILL_MONGODB_URI: DRILL_URI,
        },
        projectDir: dir,
        mongo: new FakeMongo({ [SOURCE_URI]: COUNTS, [DRILL_URI]: COUNTS }),
        s3Client: (region) => new S3Client({ region, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } }),
        opensearch: { credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" }), ca: TEST_CA },
        now: () => NOW,
        stackOutput: async () => {
            throw new Error("the tests give --outputs");
        },
        ...over,
    });

    const body = (text: string) => Readable.from([Buffer.from(text)]) as never;
    const headRestored = (restore: string | undefined) => ({
        Restore: restore,
        StorageClass: "DEEP_ARCHIVE" as const,
        LastModified: new Date("2026-04-10T00:00:00Z"),
    });

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-verify-"));
        onDir(dir);
        fs.writeFileSync(
            path.join(dir, "Pulumi.staging.yaml"),
            "config:\n  aws:region: us-west-2\n  continuity:regions:\n    primary: us-west-2\n    dr: us-east-1\n",
        );
        atlas.reset();
        source.reset();
        drill.reset();
        s3.reset();
        atlas.on(JOB_PATH, 200, GOOD_JOB);
        drill.on("GET", SNAP_PATH, {
            status: 200,
            body: {
                snapshots: [
                    {
                        snapshot: "snap-2026-04-14",
                        state: "SUCCESS",
                        start_time: "2026-04-14T21:00:00.000Z",
                        start_time_in_millis: Date.parse("2026-04-14T21:00:00Z"),
                    },
                ],
            },
        });
        const indices = [
            { index: "app-orders", "docs.count": "1000" },
            { index: "app-users", "docs.count": "50" },
        ];
        source.on("GET", CAT_PATH, { status: 200, body: indices });
        drill.on("GET", CAT_PATH, { status: 200, body: indices });
        s3.on(HeadObjectCommand).resolves(headRestored(RESTORED));
        for (const [key, text] of Object.entries(BODIES)) {
            s3.on(GetObjectCommand, { Bucket: COPY_BUCKET, Key: key }).callsFake(() => ({
                Body: body(text),
                LastModified: new Date("2026-04-10T00:00:00Z"),
            }));
            s3.on(GetObjectCommand, { Bucket: "continuity-staging-uploads", Key: key }).callsFake(() => ({
                Body: body(text),
                LastModified: new Date("2026-04-10T00:00:00Z"),
            }));
        }
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    return { atlas, source, drill, s3, output, writeOutputs, opts, deps, body, headRestored };
}

export const PASS: DrillRecord = {
    date: "2026-04-15",
    environment: "staging",
    stack: "staging-drill",
    source: "staging",
    region: "us-east-1",
    result: "pass",
    stores: [
        {
            store: "atlas",
            kind: "atlas",
            result: "pass",
            copy: "Atlas snapshot 65snap of continuity-staging copied to US_EAST_1, taken 2026-04-15T03:00:00Z",
            copyAgeHours: 5,
            rtoHours: 1.5,
            steps: [
                { name: "restore job 65job into continuity-staging-drill", seconds: 5400 },
                { name: "count documents per collection in source and drill clusters", seconds: 0 },
            ],
            checks: [
                { what: "documents in shop.orders", source: 120, restored: 120, ok: true },
                { what: "documents in shop.users", source: 40, restored: 40, ok: true },
            ],
            problems: [],
        },
        {
            store: "uploads",
            kind: "s3",
            result: "pass",
            copy: `2 sampled objects of s3://${COPY_BUCKET} (Deep Archive in us-east-1), Bulk retrieval`,
            copyAgeHours: 0,
            rtoHours: 48,
            steps: [
                { name: "Deep Archive retrieval (Bulk), at most", seconds: 172800 },
                { name: "read and hash the sampled objects", seconds: 0 },
            ],
            checks: [
                { what: "sha256 of a.txt", source: sha("hello drill"), restored: sha("hello drill"), ok: true },
                { what: "sha256 of b/c.bin", source: sha("second object"), restored: sha("second object"), ok: true },
            ],
            problems: [],
        },
        {
            store: "search",
            kind: "opensearch",
            result: "pass",
            copy:
                "snapshot snap-2026-04-14 of repository dr-snapshots (the replicated snapshot bucket) in us-east-1, " +
                "taken 2026-04-14T21:00:00.000Z",
            copyAgeHours: 12,
            rtoHours: 0.75,
            steps: [
                { name: "restore snap-2026-04-14 into the drill domain", seconds: 2700 },
                { name: "count documents per index on source and drill domains", seconds: 0 },
            ],
            checks: [
                { what: "documents in index app-orders", source: 1000, restored: 1000, ok: true },
                { what: "documents in index app-users", source: 50, restored: 50, ok: true },
            ],
            problems: [],
        },
    ],
};
