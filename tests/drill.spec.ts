// The drill stack (issue 20, item 2): the Drill component under Pulumi's mocks (exact inputs of what it
// restores, and that it only reads the source), and the program's switch to the drill when
// continuity:drill is set. Its configuration: tests/drill-config.spec.ts.
import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Drill, newestCompletedSnapshot } from "../infra/components/drill";
import { DrillConfig } from "../infra/config/drill";
import { checkRegion, parseDrillOutput } from "../tools/drill/output";
import { runProgram } from "../tools/check/engine";
import { drillSettings, parseHere } from "./helpers/drill-stack";
import { ROOT } from "./helpers/program";

const PROJECT = "79a000000000000000000001";
const SNAPSHOTS = [
    { id: "79b000000000000000000001", createdAt: "2026-12-03T21:00:00Z", status: "completed" },
    { id: "79b000000000000000000002", createdAt: "2026-12-04T03:00:00Z", status: "completed" },
    { id: "79b000000000000000000003", createdAt: "2026-12-04T09:00:00Z", status: "inProgress" },
];
const DRILL_TAGS = {
    environment: "staging",
    "managed-by": "continuity",
    "continuity-dr": "none",
    "continuity-dr-reason": "a DR drill restore deleted with the drill stack",
    "continuity-drill": "staging-drill",
};

interface Built {
    resources: { type: string; name: string; inputs: Record<string, any> }[];
    protectedOnes: string[];
    invokes: { token: string; inputs: Record<string, any> }[];
    output: any;
}

/** The Drill component under Pulumi's mocks, the data sources answered as Atlas and AWS would. */
async function build(config: DrillConfig, snapshots: unknown[] = SNAPSHOTS): Promise<Built> {
    const built: Built = { resources: [], protectedOnes: [], invokes: [], output: undefined };
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                built.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                const computed: Record<string, unknown> = {};
                if (args.type === "aws:iam/role:Role") computed.arn = `arn:aws:iam::123456789012:role/${args.name}`;
                if (args.type === "aws:opensearch/domain:Domain")
                    computed.endpoint = `search-${args.inputs.domainName}-x.us-east-1.es.amazonaws.com`;
                if (args.type === "mongodbatlas:index/cloudBackupSnapshotRestoreJob:CloudBackupSnapshotRestoreJob")
                    computed.snapshotRestoreJobId = "79c000000000000000000001";
                if (args.name.endsWith("-search-restore")) {
                    Object.assign(computed, {
                        snapshot: "daily-2026-12-04",
                        snapshotEndTime: "2026-12-04T02:12:00.000Z",
                        restoredIndices: ["app-1"],
                        restoreStartedAt: "2026-12-04T20:00:00.000Z",
                        restoreFinishedAt: "2026-12-04T20:07:00.000Z",
                    });
                }
                if (args.name.endsWith("-uploads-restore"))
                    Object.assign(computed, { keys: ["u/1", "u/2"], requestedAt: "2026-12-04T20:00:01.000Z" });
                return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
            },
            call(args) {
                built.invokes.push({ token: args.token, inputs: args.inputs });
                switch (args.token) {
                    case "mongodbatlas:index/getProject:getProject":
                        return { id: PROJECT, projectId: PROJECT, name: args.inputs.name };
                    case "mongodbatlas:index/getCloudBackupSnapshots:getCloudBackupSnapshots":
                        return { id: "x", projectId: PROJECT, clusterName: args.inputs.clusterName, results: snapshots };
                    case "aws:opensearch/getDomain:getDomain":
                        return { domainName: args.inputs.domainName, endpoint: "search-continuity-staging-x.us-west-2.es.amazonaws.com" };
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/x", userId: "x" };
                    default:
                        throw new Error(`unexpected invoke ${args.token}`);
                }
            },
        },
        "continuity",
        "staging-drill",
        false,
    );
    const drill = new Drill("continuity-staging-drill", config, {
        // Every child, with the options it was declared with: nothing may be protected.
        transformations: [
            (t) => {
                if (t.opts.protect) built.protectedOnes.push(t.name);
                return undefined;
            },
        ],
    });
    built.output = await new Promise((resolve) => drill.output.apply(resolve));
    const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await waitForRPCs();
    return built;
}

describe("Drill (infra/components/drill.ts) under mocks", () => {
    let built: Built;
    before(async () => (built = await build(parseHere(drillSettings()))));
    const one = (type: string) => {
        const found = built.resources.filter((r) => r.type === type);
        assert.strictEqual(found.length, 1, `one ${type}`);
        return found[0].inputs;
    };

    it("declares the drill's own resources only, none of them protected, the source only read through data sources", () => {
        assert.deepStrictEqual(
            built.resources.map((r) => `${r.type} ${r.name}`).sort(),
            [
                "aws:iam/role:Role continuity-staging-drill-search-repository-role",
                "aws:iam/rolePolicy:RolePolicy continuity-staging-drill-search-repository-role",
                "aws:opensearch/domain:Domain continuity-staging-drill-search-domain",
                "aws:s3/bucket:Bucket continuity-staging-drill-uploads-drill-bucket",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock continuity-staging-drill-uploads-drill-bucket",
                "mongodbatlas:index/advancedCluster:AdvancedCluster continuity-staging-drill-atlas-cluster",
                "mongodbatlas:index/cloudBackupSnapshotRestoreJob:CloudBackupSnapshotRestoreJob continuity-staging-drill-atlas-restore",
                "pulumi-nodejs:dynamic/opensearch:SnapshotRepository continuity-staging-drill-search-repository",
                "pulumi-nodejs:dynamic/opensearch:SnapshotRestore continuity-staging-drill-search-restore",
                "pulumi-nodejs:dynamic/s3:ObjectRestore continuity-staging-drill-uploads-restore",
                "continuity:drill:Drill continuity-staging-drill",
            ].sort(),
        );
        assert.deepStrictEqual(built.protectedOnes, []);
        assert.deepStrictEqual(
            built.invokes.map((i) => [i.token, i.inputs]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
            [
                ["aws:index/getCallerIdentity:getCallerIdentity", {}],
                ["aws:opensearch/getDomain:getDomain", { domainName: "continuity-staging", region: "us-west-2" }],
                [
                    "mongodbatlas:index/getCloudBackupSnapshots:getCloudBackupSnapshots",
                    { projectId: PROJECT, clusterName: "continuity-staging", itemsPerPage: 500 },
                ],
                ["mongodbatlas:index/getProject:getProject", { name: "continuity-staging" }],
            ],
        );
        // Every AWS resource in the DR region.
        for (const r of built.resources.filter((r) => r.inputs.region !== undefined))
            assert.strictEqual(r.inputs.region, "us-east-1", r.name);
    });

    it("a drill cluster in the source's project and its copy region, filled by a restore job from the newest completed snapshot", () => {
        assert.deepStrictEqual(one("mongodbatlas:index/advancedCluster:AdvancedCluster"), {
            projectId: PROJECT,
            name: "continuity-staging-drill",
            clusterType: "REPLICASET",
            mongoDbMajorVersion: "8.0",
            backupEnabled: false,
            terminationProtectionEnabled: false,
            replicationSpecs: [
                {
                    regionConfigs: [
                        {
                            providerName: "AWS",
                            regionName: "US_EAST_1",
                            priority: 7,
                            electableSpecs: { instanceSize: "M10", nodeCount: 3 },
                        },
                    ],
                },
            ],
            tags: { ...DRILL_TAGS, tier: "database", dataset: "continuity-staging" },
        });
        assert.deepStrictEqual(one("mongodbatlas:index/cloudBackupSnapshotRestoreJob:CloudBackupSnapshotRestoreJob"), {
            projectId: PROJECT,
            clusterName: "continuity-staging",
            snapshotId: "79b000000000000000000002",
            deliveryTypeConfig: { automated: true, targetClusterName: "continuity-staging-drill", targetProjectId: PROJECT },
        });
    });

    it("a small drill domain, the copy repository registered read-only (role reads only), the newest snapshot restored", () => {
        const domain = one("aws:opensearch/domain:Domain");
        assert.deepStrictEqual(
            { ...domain, accessPolicies: JSON.parse(domain.accessPolicies) },
            {
                region: "us-east-1",
                domainName: "continuity-staging-drill",
                engineVersion: "OpenSearch_2.19",
                clusterConfig: {
                    instanceType: "t3.medium.search",
                    instanceCount: 1,
                    zoneAwarenessEnabled: false,
                    dedicatedMasterEnabled: false,
                },
                ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: 20 },
                encryptAtRest: { enabled: true },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
                accessPolicies: {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: ["arn:aws:iam::123456789012:root"] },
                            Action: "es:ESHttp*",
                            Resource: "arn:aws:es:us-east-1:123456789012:domain/continuity-staging-drill/*",
                        },
                    ],
                },
                tags: { ...DRILL_TAGS, tier: "search", dataset: "continuity-staging" },
            },
        );
        assert.deepStrictEqual(JSON.parse(one("aws:iam/rolePolicy:RolePolicy").policy), {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::continuity-staging-search-snapshots-dr-us-east-1" },
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::continuity-staging-search-snapshots-dr-us-east-1/*" },
                {
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
                },
            ],
        });
        const dynamic = (name: string) => {
            const { __provider, ...inputs } = built.resources.find((r) => r.name === name)!.inputs;
            assert.strictEqual(typeof __provider, "string");
            return inputs;
        };
        const endpoint = "https://search-continuity-staging-drill-x.us-east-1.es.amazonaws.com";
        assert.deepStrictEqual(dynamic("continuity-staging-drill-search-repository"), {
            endpoint,
            region: "us-east-1",
            kind: "snapshot-repository",
            name: "continuity-snapshots",
            body: {
                type: "s3",
                settings: {
                    bucket: "continuity-staging-search-snapshots-dr-us-east-1",
                    region: "us-east-1",
                    role_arn: "arn:aws:iam::123456789012:role/continuity-staging-drill-search-repository-role",
                    readonly: true,
                },
            },
        });
        assert.deepStrictEqual(dynamic("continuity-staging-drill-search-restore"), {
            store: "search",
            endpoint,
            region: "us-east-1",
            repository: "continuity-snapshots",
            indices: ["app-*"],
            timeoutMinutes: 120,
        });
    });

    it("a drill bucket deleted with the stack and Deep Archive restores of the sample in the copy bucket", () => {
        assert.deepStrictEqual(one("aws:s3/bucket:Bucket"), {
            region: "us-east-1",
            bucket: "continuity-staging-uploads-drill-us-east-1",
            forceDestroy: true,
            tags: { ...DRILL_TAGS, tier: "storage", dataset: "uploads" },
        });
        const { __provider, ...restore } = built.resources.find((r) => r.name === "continuity-staging-drill-uploads-restore")!.inputs;
        assert.strictEqual(typeof __provider, "string");
        assert.deepStrictEqual(restore, {
            store: "uploads",
            bucket: "continuity-staging-uploads-dr-us-east-1",
            region: "us-east-1",
            prefix: "",
            count: 10,
            tier: "Bulk",
            days: 7,
        });
    });

    it("the stack output drill, as drill:verify reads it", () => {
        assert.deepStrictEqual(built.output, {
            environment: "staging",
            source: "staging",
            stack: "staging-drill",
            region: "us-east-1",
            stores: [
                {
                    store: "atlas",
                    kind: "atlas",
                    projectId: PROJECT,
                    sourceCluster: "continuity-staging",
                    drillCluster: "continuity-staging-drill",
                    snapshotId: "79b000000000000000000002",
                    snapshotCreatedAt: "2026-12-04T03:00:00Z",
                    restoreJobId: "79c000000000000000000001",
                    copyRegion: "US_EAST_1",
                },
                {
                    store: "uploads",
                    kind: "s3",
                    sourceBucket: "continuity-staging-uploads",
                    copyBucket: "continuity-staging-uploads-dr-us-east-1",
                    drillBucket: "continuity-staging-uploads-drill-us-east-1",
                    keys: ["u/1", "u/2"],
                    tier: "Bulk",
                    restoreDays: 7,
                    requestedAt: "2026-12-04T20:00:01.000Z",
                },
                {
                    store: "search",
                    kind: "opensearch",
                    sourceEndpoint: "https://search-continuity-staging-x.us-west-2.es.amazonaws.com",
                    drillEndpoint: "https://search-continuity-staging-drill-x.us-east-1.es.amazonaws.com",
                    repository: "continuity-snapshots",
                    copyBucket: "continuity-staging-search-snapshots-dr-us-east-1",
                    snapshot: "daily-2026-12-04",
                    snapshotEndTime: "2026-12-04T02:12:00.000Z",
                    indices: ["app-*"],
                    restoredIndices: ["app-1"],
                    restoreStartedAt: "2026-12-04T20:00:00.000Z",
                    restoreFinishedAt: "2026-12-04T20:07:00.000Z",
                },
            ],
        });
    });

    it("drill:verify's reader (tools/drill/output.ts) accepts that output whole: one contract, both sides", () => {
        const parsed = parseDrillOutput(built.output, "output 'drill' of stack staging-drill");
        assert.deepStrictEqual(
            parsed.stores.map((s) => [s.store, s.kind]),
            [
                ["atlas", "atlas"],
                ["uploads", "s3"],
                ["search", "opensearch"],
            ],
        );
        assert.strictEqual(parsed.region, "us-east-1");
        // The drill ran in staging's DR region, not its primary one: the reader's region check lets it through.
        checkRegion(parsed, "us-west-2", "output 'drill' of stack staging-drill");
        assert.throws(() => checkRegion(parsed, "us-east-1", "output 'drill'"), /us-east-1/);
    });

    it("a source cluster without a completed snapshot ends the drill with the store and what Atlas listed", async () => {
        const atlas = parseHere(drillSettings()).atlas!;
        assert.throws(() => newestCompletedSnapshot([{ id: "s1", createdAt: "2026-12-04T09:00:00Z", status: "inProgress" }], atlas), {
            message:
                "Drill store 'atlas': the source cluster 'continuity-staging' has no completed snapshot to restore (snapshots: s1 " +
                "inProgress); " +
                "nothing was created. Check its backup schedule in the source stack.",
        });
        assert.throws(() => newestCompletedSnapshot([], atlas), /\(snapshots: none\)/);
    });
});

describe("infra/index.ts with continuity:drill set", () => {
    const config = (drill: unknown, extra: Record<string, string> = {}) => ({
        "aws:region": "us-east-1",
        "continuity:drill": JSON.stringify(drill),
        ...extra,
    });
    const program = require(path.join(ROOT, "infra")) as () => unknown;

    it("builds the drill only, and outputs drill", async () => {
        const run = await runProgram({
            project: "continuity",
            stack: "staging-drill",
            config: config({ source: "staging", stores: ["uploads"] }),
            preview: false,
            program,
        });
        assert.deepStrictEqual(Object.keys(run.outputs), ["drill"]);
        const types = [...new Set(run.resources.map((r) => r.type))].sort();
        assert.deepStrictEqual(types, [
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "continuity:drill:Drill",
            "pulumi-nodejs:dynamic/s3:ObjectRestore",
            "pulumi:pulumi:Stack",
        ]);
        assert.deepStrictEqual(
            run.resources.filter((r) => r.options.protect).map((r) => r.name),
            [],
        );
    });

    it("refuses other continuity settings, a secret drill setting and plain-text credentials in a drill stack", async () => {
        const extra = { "continuity:environment": "staging", "mongodbatlas:privateKey": "plain-private-key" };
        await assert.rejects(
            runProgram({
                project: "continuity",
                stack: "staging-drill",
                config: config({ source: "staging" }, extra),
                secretKeys: ["continuity:drill"],
                preview: true,
                program,
            }),
            (e: Error) => {
                assert.strictEqual(
                    e.message,
                    [
                        "The drill configuration has 3 problems:",
                        "  - continuity:drill must not be a secret: " +
                            "it holds names and sizes, which the drill's resources show in plain text",
                        "  - continuity:environment is read by nothing in a drill stack: " +
                            "the drill reads the source's settings from its own stack file (continuity:drill.source)",
                        "  - mongodbatlas:privateKey must be set as a secret (pulumi config set --secret mongodbatlas:privateKey ...); " +
                            "it is stored in plain text now",
                    ].join("\n"),
                );
                // The value itself is never shown.
                assert.ok(!e.message.includes("plain-private-key"));
                return true;
            },
        );
    });
});
