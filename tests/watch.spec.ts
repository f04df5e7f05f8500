import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { DEFAULT_TARGETS } from "../policies/resilience/targets";
import { RecoveryPointWatch, RecoveryPointWatchArgs, rpoTargetHours, WatchedStore } from "../infra/components/watch";
import { Problems } from "../infra/config/problems";
import { TierContext } from "../infra/config/rules";
import { parseWatch, recoveryTargets, scheduleProblem, watchProblemText, watchTier } from "../infra/config/watch";
import { unknownValue as UNKNOWN } from "@pulumi/pulumi/runtime/rpc";
import { RecordedResource, runProgram } from "../tools/check/engine";

const WATCH = "continuity:watch:RecoveryPointWatch";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const FUNCTION = "aws:lambda/function:Function";
const SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:continuity/atlas-watch-AbC123";

/** The watch of three stores (and the resources it points at), run under the mock engine. */
async function runWatch(opts: { preview?: boolean; edit?: (a: RecoveryPointWatchArgs) => RecoveryPointWatchArgs } = {}) {
    const run = await runProgram({
        project: "continuity",
        stack: "staging",
        config: { "aws:region": "us-west-2" },
        preview: opts.preview ?? false,
        program: () => {
            const topic = new aws.sns.Topic("alerts", { region: "us-west-2" });
            const bucket = new aws.s3.Bucket("uploads-bucket", { region: "us-west-2", bucket: "acme-uploads" });
            const sourceKey = new aws.kms.Key("uploads-key", { region: "us-west-2" });
            const copyKey = new aws.kms.Key("snapshots-dr-key", { region: "us-east-1" });
            const uploadsCopyKey = new aws.kms.Key("uploads-dr-key", { region: "us-east-1" });
            const stores: WatchedStore[] = [
                { kind: "atlas", store: "orders", projectId: "0123456789abcdef01234567", clusterName: "orders", copyRegion: "us-east-1" },
                {
                    kind: "s3",
                    store: "acme-uploads",
                    resource: bucket,
                    sourceBucket: "acme-uploads",
                    sourceKeyArn: sourceKey.arn,
                    copyBucket: "acme-uploads-dr-us-east-1",
                    copyKeyArn: uploadsCopyKey.arn,
                    copyRegion: "us-east-1",
                },
                {
                    kind: "opensearch",
                    store: "search",
                    copyBucket: "acme-snapshots-dr-us-east-1",
                    copyKeyArn: copyKey.arn,
                    copyRegion: "us-east-1",
                },
            ];
            const args: RecoveryPointWatchArgs = {
                region: "us-west-2",
                environment: "staging",
                schedule: "rate(1 hour)",
                stores,
                // Databases keep the default 8 h; the bucket resource has its own target by logical name.
                targets: { stores: [{ name: "uploads-*", targets: { region: { rpoHours: 12, rtoHours: 72 } } }] },
                atlasKeySecretArn: SECRET,
                alertTopicArn: topic.arn,
                tags: { environment: "staging" },
            };
            new RecoveryPointWatch("watch", opts.edit ? opts.edit(args) : args);
            return {};
        },
    });
    const under = run.resources.filter((r) => r.urn.split("::")[2].split("$").includes(WATCH) && r.type !== WATCH);
    const one = (type: string) => {
        const found = under.filter((r) => r.type === type);
        assert.strictEqual(found.length, 1, `one ${type}`);
        return found[0];
    };
    return { run, under, one, alarms: under.filter((r) => r.type === ALARM) };
}

const alarmOf = (alarms: RecordedResource[], store: string) =>
    alarms.find((a) => (a.properties.dimensions as { Store: string }).Store === store)!;

describe("RecoveryPointWatch (infra/components/watch.ts)", () => {
    it("gives each store an alarm at its RPO target for a lost region, missing data breaching, to the alert topic", async () => {
        const { alarms, run } = await runWatch();
        const topicArn = "arn:aws:sns:us-west-2:123456789012:alerts";
        assert.deepStrictEqual(alarms.map((a) => [a.name, a.properties.threshold]).sort(), [
            ["watch-acme-uploads", 12],
            ["watch-orders", 8],
            ["watch-search", 26],
        ]);
        const uploads = alarmOf(alarms, "acme-uploads");
        const { alarmDescription, tags, ...rest } = uploads.properties;
        assert.deepStrictEqual(rest, {
            region: "us-west-2",
            namespace: "Continuity/RecoveryPoints",
            metricName: "RecoveryPointAgeHours",
            dimensions: { Store: "acme-uploads" },
            statistic: "Maximum",
            period: 3600,
            evaluationPeriods: 1,
            threshold: 12,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "breaching",
            alarmActions: [topicArn],
            okActions: [topicArn],
        });
        assert.strictEqual(
            alarmDescription,
            "The newest copy of acme-uploads in us-east-1 is older than its RPO target (12 h), or the watch could not read it",
        );
        assert.deepStrictEqual(tags, { environment: "staging" });
        const topic = run.resources.find((r) => r.name === "alerts")!;
        assert.deepStrictEqual(uploads.propertyDependencies.alarmActions, [topic.urn]);
        // The bucket's alarm names it by dependency as well as by value; the Atlas store has no resource here.
        const bucket = run.resources.find((r) => r.name === "uploads-bucket")!;
        assert.deepStrictEqual(uploads.propertyDependencies.dimensions, [bucket.urn]);
        assert.deepStrictEqual(alarmOf(alarms, "orders").propertyDependencies.dimensions ?? [], []);
    });

    it("hands the function its stores as the contract has them, and runs it on Node.js 24 on the schedule", async () => {
        const { one } = await runWatch();
        const fn = one(FUNCTION);
        assert.strictEqual(fn.properties.runtime, "nodejs24.x");
        assert.strictEqual(fn.properties.handler, "index.handler");
        assert.strictEqual(fn.properties.region, "us-west-2");
        const env = (fn.properties.environment as { variables: Record<string, string> }).variables;
        assert.deepStrictEqual(JSON.parse(env.WATCH_STORES), [
            {
                store: "orders",
                kind: "atlas",
                rpoHours: 8,
                projectId: "0123456789abcdef01234567",
                clusterName: "orders",
                copyRegion: "US_EAST_1",
            },
            {
                store: "acme-uploads",
                kind: "s3",
                rpoHours: 12,
                sourceBucket: "acme-uploads",
                copyBucket: "acme-uploads-dr-us-east-1",
                copyRegion: "us-east-1",
                heartbeatKey: ".continuity/heartbeat",
            },
            {
                store: "search",
                kind: "opensearch",
                rpoHours: 26,
                copyBucket: "acme-snapshots-dr-us-east-1",
                copyRegion: "us-east-1",
                basePath: "",
            },
        ]);
        assert.deepStrictEqual(
            { ...env, WATCH_STORES: undefined },
            {
                WATCH_STORES: undefined,
                METRIC_NAMESPACE: "Continuity/RecoveryPoints",
                ENVIRONMENT: "staging",
                ATLAS_SECRET_ARN: SECRET,
            },
        );
        assert.deepStrictEqual(fn.properties.loggingConfig, { logFormat: "Text", logGroup: "/continuity/watch" });
        const logs = one("aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(logs.properties.retentionInDays, 30);
        const rule = one("aws:cloudwatch/eventRule:EventRule");
        assert.strictEqual(rule.properties.scheduleExpression, "rate(1 hour)");
        const permission = one("aws:lambda/permission:Permission");
        assert.strictEqual(permission.properties.principal, "events.amazonaws.com");
        assert.deepStrictEqual(permission.propertyDependencies.sourceArn, [rule.urn]);
        assert.deepStrictEqual(one("aws:cloudwatch/eventTarget:EventTarget").propertyDependencies.arn, [fn.urn]);
    });

    it("grants the function each permission on the one thing it needs", async () => {
        const { one } = await runWatch();
        const statements = JSON.parse(one("aws:iam/rolePolicy:RolePolicy").properties.policy as string).Statement;
        const arn = (service: string, region: string, name: string) => `arn:aws:${service}:${region}:123456789012:${name}`;
        assert.deepStrictEqual(statements, [
            {
                Sid: "Logs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arn("cloudwatch", "us-west-2", "watch-logs")}:*`,
            },
            {
                Sid: "Metrics",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "Continuity/RecoveryPoints" } },
            },
            {
                Sid: "WriteHeartbeats",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: ["arn:aws:s3:::acme-uploads/.continuity/heartbeat"],
            },
            {
                Sid: "ReadReplicatedHeartbeats",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: ["arn:aws:s3:::acme-uploads-dr-us-east-1/.continuity/heartbeat"],
            },
            {
                Sid: "EncryptHeartbeats",
                Effect: "Allow",
                Action: "kms:GenerateDataKey",
                Resource: [arn("kms", "us-west-2", "uploads-key")],
            },
            {
                Sid: "ReadHeartbeatKey0",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: arn("kms", "us-east-1", "uploads-dr-key"),
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            },
            {
                Sid: "ReadSnapshotRepositories",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: ["arn:aws:s3:::acme-snapshots-dr-us-east-1/*"],
            },
            {
                Sid: "ListSnapshotRepositories",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: ["arn:aws:s3:::acme-snapshots-dr-us-east-1"],
            },
            {
                Sid: "DecryptSnapshotRepositories",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: [arn("kms", "us-east-1", "snapshots-dr-key")],
            },
            { Sid: "AtlasApiKeys", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET },
        ]);
        assert.deepStrictEqual(JSON.parse(one("aws:iam/role:Role").properties.assumeRolePolicy as string).Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
    });

    it("at preview: thresholds and dimensions known, the topic unknown", async () => {
        const { alarms } = await runWatch({ preview: true });
        const search = alarmOf(alarms, "search");
        assert.strictEqual(search.properties.threshold, 26);
        assert.deepStrictEqual(search.properties.dimensions, { Store: "search" });
        assert.deepStrictEqual(search.properties.alarmActions, [UNKNOWN]);
    });

    it("creates an empty secret for the Atlas keys when none is named, and reads that one", async () => {
        const { one, under } = await runWatch({ edit: (a) => ({ ...a, atlasKeySecretArn: undefined }) });
        const secret = one("aws:secretsmanager/secret:Secret");
        assert.strictEqual(secret.name, "watch-atlas-keys");
        assert.deepStrictEqual(secret.properties, {
            region: "us-west-2",
            description:
                "continuity (staging): the Atlas API key pair the recovery-point watch reads, " +
                'SecretString {"publicKey": "…", "privateKey": "…"} (a Project Read Only key suffices)',
            tags: { environment: "staging" },
        });
        // No value: the keys are put in by hand, never through the stack's config or code.
        assert.deepStrictEqual(
            under.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion"),
            [],
        );
        const created = "arn:aws:secretsmanager:us-west-2:123456789012:watch-atlas-keys";
        const env = (one("aws:lambda/function:Function").properties.environment as { variables: Record<string, string> }).variables;
        assert.strictEqual(env.ATLAS_SECRET_ARN, created);
        const statements = JSON.parse(one("aws:iam/rolePolicy:RolePolicy").properties.policy as string).Statement as { Sid: string }[];
        assert.deepStrictEqual(
            statements.find((st) => st.Sid === "AtlasApiKeys"),
            { Sid: "AtlasApiKeys", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: created },
        );
    });

    it("creates no secret when the team names its own, nor without an Atlas store", async () => {
        const named = await runWatch();
        assert.deepStrictEqual(
            named.under.filter((r) => r.type === "aws:secretsmanager/secret:Secret"),
            [],
        );
        const noAtlas = await runWatch({
            edit: (a) => ({ ...a, atlasKeySecretArn: undefined, stores: a.stores.filter((st) => st.kind !== "atlas") }),
        });
        assert.deepStrictEqual(
            noAtlas.under.filter((r) => r.type === "aws:secretsmanager/secret:Secret"),
            [],
        );
        const env = (noAtlas.one("aws:lambda/function:Function").properties.environment as { variables: Record<string, string> }).variables;
        assert.strictEqual(env.ATLAS_SECRET_ARN, undefined);
    });

    it("refuses stores it cannot watch, naming the argument", async () => {
        const cases: [(a: RecoveryPointWatchArgs) => RecoveryPointWatchArgs, string][] = [
            [
                (a) => ({ ...a, stores: [] }),
                "RecoveryPointWatch 'watch': stores must list at least one store; a watch of nothing is silence.",
            ],
            [
                (a) => ({ ...a, atlasKeySecretArn: SECRET.replace("us-west-2", "us-east-1") }),
                "RecoveryPointWatch 'watch': atlasKeySecretArn is a secret of us-east-1; region is us-west-2, where the function reads it.",
            ],
            [
                (a) => ({ ...a, stores: [a.stores[0], a.stores[0]] }),
                "RecoveryPointWatch 'watch': store 'orders' appears twice in stores; each store needs its own name.",
            ],
            [
                (a) => ({ ...a, stores: [{ ...a.stores[2], copyRegion: "us-west-2" } as WatchedStore] }),
                "RecoveryPointWatch 'watch': store 'search' has its copy in us-west-2, the region itself; a DR copy lives elsewhere.",
            ],
        ];
        for (const [edit, message] of cases) await assert.rejects(runWatch({ edit }), { message });
    });

    it("takes the targets from the pack's config file for the stack, as the pack and the report do", () => {
        const staging = recoveryTargets("staging");
        const store = (kind: WatchedStore["kind"]) => ({ kind, store: "x" });
        assert.deepStrictEqual(
            [rpoTargetHours(store("atlas"), staging), rpoTargetHours(store("s3"), staging), rpoTargetHours(store("opensearch"), staging)],
            [8, 168, 26],
        );
        assert.deepStrictEqual(recoveryTargets("no-such-stack"), {});
        // A file the pack cannot read either stops the program with its name.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-targets-"));
        fs.mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
        fs.writeFileSync(path.join(dir, "policies", "config", "broken.json"), "{");
        fs.writeFileSync(path.join(dir, "policies", "config", "odd.json"), JSON.stringify({ "dr-recovery-objectives": { targets: 8 } }));
        assert.throws(
            () => recoveryTargets("broken", dir),
            /^Error: policies\/config\/broken\.json is not JSON \(.+\); the watch reads its dr-recovery-objectives targets from it\.$/,
        );
        assert.throws(() => recoveryTargets("odd", dir), {
            message: 'policies/config/odd.json: "dr-recovery-objectives".targets must be an object (got 8).',
        });
        fs.rmSync(dir, { recursive: true });
        assert.strictEqual(rpoTargetHours(store("s3"), {}), DEFAULT_TARGETS.objects.region!.rpoHours);
    });
});

describe("continuity:watch (infra/config/watch.ts)", () => {
    const context = { primaryRegion: "us-west-2" as const, atlas: true };

    it("defaults the schedule to hourly and keeps the secret's ARN", () => {
        assert.deepStrictEqual(parseWatch({ atlasKeySecretArn: SECRET }, context), {
            watch: { schedule: "rate(1 hour)", atlasKeySecretArn: SECRET },
            problems: [],
        });
        assert.deepStrictEqual(parseWatch(undefined, { ...context, atlas: false }), { watch: { schedule: "rate(1 hour)" }, problems: [] });
        assert.deepStrictEqual(
            parseWatch({ schedule: "rate(15 minutes)", atlasKeySecretArn: SECRET }, context).watch?.schedule,
            "rate(15 minutes)",
        );
    });

    it("names the key, the value and what is allowed", () => {
        const texts = (raw: unknown, ctx = context) => parseWatch(raw, ctx).problems.map(watchProblemText);
        assert.deepStrictEqual(texts({ schedule: "rate(2 hours)", atlasKeySecretArn: SECRET }), [
            "continuity:watch.schedule must be rate(1 hour) or rate(N minutes) with N from 2 to 60 (or rate(1 minute)): " +
                'the alarms read one-hour periods and count an hour without a reading as a failure (got "rate(2 hours)")',
        ]);
        // No secret named: the component creates one (see "creates an empty secret…"), so nothing is missing.
        assert.deepStrictEqual(texts({}), []);
        assert.deepStrictEqual(texts({ atlasKeySecretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:atlas" }), [
            "continuity:watch.atlasKeySecretArn must be the complete ARN of a Secrets Manager secret " +
                "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>) " +
                '(got "arn:aws:secretsmanager:us-west-2:123456789012:secret:atlas")',
        ]);
        assert.deepStrictEqual(texts({ atlasKeySecretArn: SECRET.replace("us-west-2", "eu-west-1") }), [
            "continuity:watch.atlasKeySecretArn must be a secret of continuity:regions.primary (us-west-2), where the watch runs: " +
                "a secret of eu-west-1 is lost with that region's outage or out of the function's reach " +
                `(got "${SECRET.replace("us-west-2", "eu-west-1")}")`,
        ]);
        assert.deepStrictEqual(texts({ scheduel: "rate(1 hour)", atlasKeySecretArn: SECRET }), [
            'continuity:watch.scheduel is not a known setting; the settings here are schedule, atlasKeySecretArn (got "rate(1 hour)")',
        ]);
        assert.deepStrictEqual(parseWatch({ atlasKeySecretArn: SECRET }, { ...context, atlas: false }).problems, [
            {
                path: ["watch", "atlasKeySecretArn"],
                message: "names Atlas API keys, but the stack has no Atlas cluster whose copies the watch reads",
                value: SECRET,
            },
        ]);
    });

    it("as a tier of the stack configuration: the problems as the config pipeline words them, the targets with the settings", () => {
        const ctx = {
            stack: "staging",
            production: false,
            regions: { primary: "us-west-2", dr: "us-east-1" },
            tiers: { atlas: {} },
        } as TierContext;
        const other = SECRET.replace("us-west-2", "eu-west-1");
        const bad = watchTier.schema(ctx).safeParse({ atlasKeySecretArn: other });
        const problems = new Problems();
        problems.fromZod("watch", bad.error!, { atlasKeySecretArn: other });
        assert.deepStrictEqual(problems.list, [
            "continuity:watch.atlasKeySecretArn must be a secret of continuity:regions.primary (us-west-2), where the watch runs: " +
                "a secret of eu-west-1 is lost with that region's outage or out of the function's reach " +
                `(got "${other}")`,
        ]);
        const good = watchTier.schema(ctx).parse({ atlasKeySecretArn: SECRET });
        assert.deepStrictEqual(good, { schedule: "rate(1 hour)", atlasKeySecretArn: SECRET, targets: recoveryTargets("staging") });
        assert.strictEqual(good.targets.targets?.objects?.region?.rpoHours, 168);
        // Without an Atlas tier (a stack without one, or one whose Atlas settings are reported already): no key needed.
        assert.deepStrictEqual(watchTier.schema({ ...ctx, tiers: {} }).parse({}), {
            schedule: "rate(1 hour)",
            targets: recoveryTargets("staging"),
        });
    });

    it("allows only rate expressions EventBridge accepts that run at least hourly", () => {
        const ok = ["rate(1 hour)", "rate(1 minute)", "rate(5 minutes)", "rate(60 minutes)"];
        assert.deepStrictEqual(
            ok.map(scheduleProblem),
            ok.map(() => undefined),
        );
        const bad = ["rate(1 hours)", "rate(5 minute)", "rate(61 minutes)", "rate(0 minutes)", "cron(0 * * * ? *)", "rate(2 hours)"];
        assert.deepStrictEqual(
            bad.map((b) => scheduleProblem(b) !== undefined),
            bad.map(() => true),
        );
        assert.match(scheduleProblem("rate(1 hours)")!, /EventBridge wants the unit singular for 1 and plural above$/);
    });
});
