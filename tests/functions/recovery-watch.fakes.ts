// Stand-ins for the recovery-point watch's remote ends: an Atlas Admin API server that really enforces HTTP Digest
// (challenge, then the RFC 7616 response hash checked with its own arithmetic), and an in-memory S3 behind
// aws-sdk-client-mock that answers by bucket AND region (a copy read from the wrong region fails like S3 does).
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { Readable } from "stream";
import {
    GetObjectCommand,
    HeadObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    PutObjectCommandInput,
    S3Client,
    S3ClientResolvedConfig,
    ServiceInputTypes,
    ServiceOutputTypes,
} from "@aws-sdk/client-s3";
import { AwsStub } from "aws-sdk-client-mock";

export const NOW = new Date("2026-12-04T12:00:00.000Z");
export const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

export interface AtlasSnapshotFixture {
    id: string;
    createdAt: string;
    status: string;
    copyRegions: string[];
    replicaSetName?: string;
}

export interface AtlasServer {
    readonly url: string;
    /** path?query of each request, and whether it carried a valid Digest answer. */
    readonly requests: { path: string; authorized: boolean }[];
    /** `${groupId}/${clusterName}` → its snapshots. */
    readonly clusters: Map<string, AtlasSnapshotFixture[]>;
    /** Clusters whose listing never answers. */
    readonly hang: Set<string>;
    close(): Promise<void>;
}

const REALM = "MMS Public API";
const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");

function digestParams(header: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of header.replace(/^Digest\s+/, "").matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) out[m[1]] = m[2] ?? m[3];
    return out;
}

export async function startAtlas(keys: Record<string, string>): Promise<AtlasServer> {
    const nonces = new Set<string>();
    const requests: { path: string; authorized: boolean }[] = [];
    const clusters = new Map<string, AtlasSnapshotFixture[]>();
    const hang = new Set<string>();
    const challenge = (res: http.ServerResponse) => {
        const nonce = crypto.randomBytes(12).toString("hex");
        nonces.add(nonce);
        res.writeHead(401, {
            "Content-Type": "application/json",
            "WWW-Authenticate": `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=false`,
        });
        res.end(JSON.stringify({ detail: "You are not authorized for this resource.", error: 401, errorCode: "UNAUTHORIZED" }));
    };
    const server = http.createServer((req, res) => {
        const path = req.url ?? "";
        const auth = req.headers.authorization;
        let authorized = false;
        if (auth?.startsWith("Digest ")) {
            const p = digestParams(auth);
            const secret = keys[p.username];
            const expected =
                secret === undefined
                    ? undefined
                    : md5(`${md5(`${p.username}:${REALM}:${secret}`)}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${md5(`GET:${path}`)}`);
            authorized = nonces.has(p.nonce) && p.uri === path && p.qop === "auth" && p.realm === REALM && p.response === expected;
        }
        requests.push({ path, authorized });
        const url = new URL(path, "http://atlas.test");
        const route = /^\/api\/atlas\/v2\/groups\/([0-9a-f]{24})\/clusters\/([^/]+)\/backup\/snapshots$/.exec(url.pathname);
        const cluster = route ? `${route[1]}/${decodeURIComponent(route[2])}` : "";
        if (hang.has(cluster)) return; // never answers
        if (!authorized) return challenge(res);
        if (req.headers.accept !== "application/vnd.atlas.2023-01-01+json") {
            res.writeHead(406).end(JSON.stringify({ error: 406, errorCode: "INVALID_VERSION" }));
            return;
        }
        const snapshots = clusters.get(cluster);
        if (!snapshots) {
            res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: 404, errorCode: "CLUSTER_NOT_FOUND" }));
            return;
        }
        const size = Number(url.searchParams.get("itemsPerPage") ?? 100);
        const page = Number(url.searchParams.get("pageNum") ?? 1);
        const results = snapshots.slice((page - 1) * size, page * size);
        res.writeHead(200, { "Content-Type": "application/vnd.atlas.2023-01-01+json" });
        res.end(JSON.stringify({ links: [], results, totalCount: snapshots.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        clusters,
        hang,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

interface FakeObject {
    body: Buffer;
    metadata?: Record<string, string>;
    lastModified: Date;
}

const s3Error = (name: string, status: number, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

/** Buckets with their regions; failures keyed `${Command} ${bucket}/${key}` (an Error, or "hang" for no answer). */
export class FakeS3 {
    readonly buckets = new Map<string, { region: string; objects: Map<string, FakeObject> }>();
    readonly failures = new Map<string, Error | "hang">();
    readonly puts: PutObjectCommandInput[] = [];
    pageSize = 1000;

    bucket(name: string, region: string): this {
        this.buckets.set(name, { region, objects: new Map() });
        return this;
    }

    put(bucket: string, key: string, body: string | Buffer, lastModified: Date, metadata?: Record<string, string>): this {
        this.buckets.get(bucket)!.objects.set(key, { body: Buffer.from(body), lastModified, metadata });
        return this;
    }

    private async locate(command: string, client: S3Client, bucket: string, key: string) {
        const failure = this.failures.get(`${command} ${bucket}/${key}`);
        if (failure === "hang") await new Promise(() => undefined);
        if (failure) throw failure;
        const b = this.buckets.get(bucket);
        if (!b) throw s3Error("NoSuchBucket", 404, "The specified bucket does not exist");
        const region = await client.config.region();
        if (region !== b.region) throw s3Error("PermanentRedirect", 301, `The bucket is in ${b.region}, not ${region}.`);
        return b;
    }

    install(mock: AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>): void {
        mock.on(HeadObjectCommand).callsFake(async (input, getClient) => {
            const o = (await this.locate("HeadObject", getClient(), input.Bucket, input.Key)).objects.get(input.Key);
            if (!o) throw s3Error("NotFound", 404, "UnknownError");
            return { Metadata: o.metadata ?? {}, LastModified: o.lastModified, StorageClass: "DEEP_ARCHIVE" };
        });
        mock.on(GetObjectCommand).callsFake(async (input, getClient) => {
            const o = (await this.locate("GetObject", getClient(), input.Bucket, input.Key)).objects.get(input.Key);
            if (!o) throw s3Error("NoSuchKey", 404, "The specified key does not exist.");
            return { Body: Readable.from([o.body]), LastModified: o.lastModified };
        });
        mock.on(ListObjectsV2Command).callsFake(async (input, getClient) => {
            const b = await this.locate("ListObjectsV2", getClient(), input.Bucket, input.Prefix ?? "");
            const keys = [...b.objects.keys()].filter((k) => k.startsWith(input.Prefix ?? "")).sort();
            const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
            const page = keys.slice(start, start + this.pageSize);
            const more = start + this.pageSize < keys.length;
            return {
                Contents: page.map((Key) => ({ Key, LastModified: b.objects.get(Key)!.lastModified })),
                IsTruncated: more,
                NextContinuationToken: more ? String(start + this.pageSize) : undefined,
            };
        });
        mock.on(PutObjectCommand).callsFake(async (input, getClient) => {
            await this.locate("PutObject", getClient(), input.Bucket, input.Key);
            this.puts.push(input);
            return { ETag: '"e"' };
        });
    }
}

export const PROJECT = "5f0c1e2d3c4b5a6978877665";
export const SECRET_ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:continuity/atlas-AbCdEf";
export const KEYS = { publicKey: "abcdefgh", privateKey: "11111111-2222-3333-4444-555555555555" };
export const ATLAS = {
    store: "orders-db",
    kind: "atlas",
    rpoHours: 24,
    projectId: PROJECT,
    clusterName: "orders",
    copyRegion: "US_EAST_1",
};
export const UPLOADS = {
    store: "uploads",
    kind: "s3",
    rpoHours: 24,
    sourceBucket: "acme-uploads",
    copyBucket: "acme-uploads-dr",
    copyRegion: "us-east-1",
    heartbeatKey: ".continuity/heartbeat",
};
export const SEARCH = {
    store: "search",
    kind: "opensearch",
    rpoHours: 26,
    copyBucket: "acme-search-dr",
    copyRegion: "us-east-1",
    basePath: "/snapshots/",
};
export const SNAPSHOTS_PATH = `/api/atlas/v2/groups/${PROJECT}/clusters/orders/backup/snapshots`;

export function generation(n: bigint): Buffer {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    return b;
}

export const snap = (id: string, h: number, status: string, copyRegions: string[]) => ({
    id,
    createdAt: hoursAgo(h).toISOString(),
    status,
    copyRegions,
    replicaSetName: "orders-shard-0",
});

/** The standard picture: every kind has a copy in the DR region, with decoys a careless reader would count. */
export function seed(atlas: AtlasServer): FakeS3 {
    // Atlas: 150 snapshots (two pages); the newest completed copy to US_EAST_1 is 5.5 h old and on page 2.
    const orders = Array.from({ length: 150 }, (_, i) => snap(`old-${i}`, 100 + i, "completed", ["US_EAST_1"]));
    orders[0] = snap("running", 0.5, "inProgress", ["US_EAST_1"]);
    orders[1] = snap("not-copied", 1, "completed", []);
    orders[2] = snap("failed", 0.25, "failed", ["US_EAST_1"]);
    orders[3] = snap("other-region", 2, "completed", ["EU_WEST_1"]);
    orders[149] = snap("newest-copy", 5.5, "completed", ["US_EAST_1", "EU_WEST_1"]);
    atlas.clusters.set(`${PROJECT}/orders`, orders);

    const fake = new FakeS3()
        .bucket("acme-uploads", "us-west-2")
        .bucket("acme-uploads-dr", "us-east-1")
        .bucket("acme-search-dr", "us-east-1");
    fake.put("acme-uploads-dr", ".continuity/heartbeat", "x", hoursAgo(2), { "written-at": hoursAgo(2.25).toISOString() });
    const repo = {
        snapshots: [
            { name: "hourly-a", uuid: "uuidA", state: 1, version: "2.11.0" },
            { name: "hourly-b", uuid: "uuidB", state: 1, version: "2.11.0" },
            { name: "hourly-c", uuid: "uuidC", state: 0, version: "2.11.0" },
            { name: "hourly-d", uuid: "uuidD", state: 3, version: "2.11.0" },
        ],
        indices: {},
        min_version: "2.0.0",
    };
    fake.put("acme-search-dr", "snapshots/index.latest", generation(7n), hoursAgo(0.1))
        .put("acme-search-dr", "snapshots/index-6", JSON.stringify({ snapshots: [repo.snapshots[0]] }), hoursAgo(30))
        .put("acme-search-dr", "snapshots/index-7", JSON.stringify(repo), hoursAgo(0.1))
        .put("acme-search-dr", "snapshots/snap-uuidA.dat", "smile", hoursAgo(30))
        .put("acme-search-dr", "snapshots/snap-uuidB.dat", "smile", hoursAgo(6.125))
        .put("acme-search-dr", "snapshots/snap-uuidC.dat", "smile", hoursAgo(1))
        .put("acme-search-dr", "snapshots/snap-uuidD.dat", "smile", hoursAgo(2))
        .put("acme-search-dr", "snapshots/meta-uuidB.dat", "smile", hoursAgo(0.1));
    fake.pageSize = 2;
    return fake;
}
