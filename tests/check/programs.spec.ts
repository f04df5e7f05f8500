// The check on programs written as other teams write them, one idiom each (tests/fixtures/programs),
// run as a user runs it: a separate process, its exit code, its output.
import * as assert from "assert";
import * as path from "path";
import { inBackground, Run, runTool } from "../helpers/process";
import { ROOT } from "../helpers/program";

const PROGRAMS = path.join(ROOT, "tests", "fixtures", "programs");
const PACK = path.join(ROOT, "policies");
const AWSGUARD = path.join(ROOT, "tests", "fixtures", "awsguard-pack");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The check as a process in a fixture program's directory. */
const check = (dir: string, args: string[], env: NodeJS.ProcessEnv = {}) => runTool("check", args, path.join(PROGRAMS, dir), env);

// Every case starts when this file loads, in the background queue (two at a time, 2 cores); each test
// awaits its own, so one failure fails one test.
const cases = new Map<string, Promise<Run>>();
// A case that waits out its --timeout idles for most of it: it does not hold one of the two places.
const idle = new Set(["keeps-running"]);
function run(name: string, dir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
    if (!cases.has(name)) {
        const started = idle.has(name) ? check(dir, args, env) : inBackground(() => check(dir, args, env));
        started.catch(() => undefined); // awaited, and failed, by its test
        cases.set(name, started);
    }
    return cases.get(name)!;
}
const json = (r: Run) => JSON.parse(r.stdout);
const resource = (doc: any, type: string, name: string) => doc.resources.find((x: any) => x.type === type && x.name === name);
const summaryOf = (r: Run) =>
    r.stdout
        .trim()
        .split("\n")
        .slice(-1)[0]
        .replace(/ \(\d+\.\d s\)$/, "");
/** continuity-guard's verdict on a program: "<policy> <resource name>", sorted. */
const verdict = (doc: any) =>
    doc.packs
        .filter((p: any) => p.name === "continuity-guard")
        .flatMap((p: any) => p.diagnostics.map((d: any) => `${d.policyName} ${String(d.urn).split("::").pop()}`))
        .sort();
/** What the guard says of a plain bucket that holds data: no versioning, no KMS, no copy elsewhere, not protected. */
const unguardedBucket = (name: string) => [
    // No copy elsewhere and no versions: the region's loss and a deletion both miss their RPO/RTO targets.
    `dr-recovery-objectives ${name}`,
    `dr-recovery-objectives ${name}`,
    `protection-stateful-resources ${name}`,
    `storage-bucket-kms-encryption ${name}`,
    `storage-bucket-versioning ${name}`,
    `storage-dr-copy ${name}`,
];
const NO_POLICIES = (dir: string) =>
    `${path.join(PROGRAMS, dir)} has no policies/ pack: checking with continuity-guard (${PACK}) and its defaults (the strict, production values).`;

const CASES: [string, string, string[], NodeJS.ProcessEnv?][] = [
    ["resource-objects", "resource-objects", ["--stack", "test", "--json"]],
    ["resource-objects awsguard", "resource-objects", ["--stack", "test", "--policy-pack", PACK, "--policy-pack", AWSGUARD]],
    ["callback-function", "callback-function", ["--stack", "test", "--json"]],
    ["throwing-apply", "throwing-apply", ["--stack", "test"]],
    ["unanswered-invoke", "unanswered-invoke", ["--stack", "test"]],
    ["relative-files", "relative-files", ["--stack", "test", "--json"]],
    ["main-src", "main-src", ["--stack", "test", "--json"]],
    ["esm-program", "esm-program", ["--stack", "test", "--json"]],
    ["policy-document", "policy-document", ["--stack", "test", "--json"]],
    ["two-regions", "two-regions", ["--stack", "test"]],
    ["two-regions json", "two-regions", ["--stack", "test", "--json"]],
    ["cloud-lookups answered", "cloud-lookups", ["--stack", "answered"]],
    ["cloud-lookups unanswered", "cloud-lookups", ["--stack", "unanswered"]],
    ["acm-certificate", "acm-certificate", ["--stack", "test", "--policy-pack", PACK, "--policy-pack", AWSGUARD]],
    ["passphrase none", "passphrase-secrets", ["--stack", "test"]],
    ["passphrase right", "passphrase-secrets", ["--stack", "test", "--json"], { PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple" }],
    ["passphrase wrong", "passphrase-secrets", ["--stack", "test"], { PULUMI_CONFIG_PASSPHRASE: "Tr0ub4dor&3" }],
    ["keeps-running", "keeps-running", ["--stack", "test", "--timeout", "45"]],
    ["transforms", "transforms", ["--stack", "test", "--json"]],
    ["type-error", "type-error", ["--stack", "test"], { PULUMI_NODEJS_TRANSPILE_ONLY: "" }],
    ["cloud-lookups broken", "cloud-lookups", ["--stack", "broken"]],
];

for (const [name, dir, args, env] of CASES) run(name, dir, args, env);

describe("the check on programs as other teams write them (tests/fixtures/programs)", () => {
    it("resource objects as inputs reach the packs as the engine sends them: a custom resource's id (unknown), a component's URN, nested too", async () => {
        const r = await run("resource-objects", "resource-objects", []);
        // The guard judges the program's bucket as data, as it judges anyone's: exit 1.
        assert.strictEqual(r.status, 1, r.stderr);
        const doc = json(r);
        assert.deepStrictEqual(verdict(doc), unguardedBucket("uploads"));
        assert.strictEqual(resource(doc, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "app-read").properties.role, UNKNOWN);
        assert.strictEqual(resource(doc, "aws:iam/instanceProfile:InstanceProfile", "app").properties.role, UNKNOWN);
        assert.deepStrictEqual(resource(doc, "aws:iam/policyAttachment:PolicyAttachment", "app-logs").properties.roles, [UNKNOWN]);
        assert.deepStrictEqual(resource(doc, "aws:lambda/function:Function", "thumbnails").properties.environment, {
            variables: { NETWORK: "urn:pulumi:test::resource-objects::acme:network:Network::core", UPLOADS: UNKNOWN },
        });
        assert.strictEqual(
            doc.summary.replace(/ \(\d+\.\d s\)$/, ""),
            "Check FAILED: 8 resources to create; 1 pack, 56 policies, 6 mandatory violations, 0 advisory",
        );
    });

    it("resource objects as inputs: both packs run to the end, awsguard's one advisory and no crash", async () => {
        const r = await run("resource-objects awsguard", "resource-objects", []);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.match(
            r.stdout,
            /- \[advisory\]  s3-bucket-logging-enabled  \(1\)\n {12}urn:pulumi:test::resource-objects::aws:s3\/bucket:Bucket::uploads\n {14}Bucket logging must be defined\./,
        );
        assert.strictEqual(summaryOf(r), "Check FAILED: 8 resources to create; 2 packs, 82 policies, 6 mandatory violations, 1 advisory");
    });

    it("a Lambda written as a callback is serialized with its code, as the CLI's preview serializes it, and its bucket judged", async () => {
        const r = await run("callback-function", "callback-function", []);
        assert.strictEqual(r.status, 1, r.stderr);
        const doc = json(r);
        assert.deepStrictEqual(verdict(doc), unguardedBucket("uploads"));
        const lambda = resource(doc, "aws:lambda/function:Function", "thumbnail").properties;
        assert.strictEqual(lambda.handler, "__index.handler");
        assert.deepStrictEqual(Object.keys(lambda.code.assets), ["__index.js"]);
        assert.match(
            lambda.code.assets["__index.js"].text,
            /^exports\.handler = __f0;\n[^]*console\.log\(`new objects: \$\{keys\.join\(", "\)\}`\);/,
        );
        assert.strictEqual(
            doc.summary.replace(/ \(\d+\.\d s\)$/, ""),
            "Check FAILED: 16 resources to create; 1 pack, 56 policies, 6 mandatory violations, 0 advisory",
        );
    });

    it("a throwing apply fails the run at once with the program's own error, exit 2", async () => {
        const r = await run("throwing-apply", "throwing-apply", []);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(r.stdout, "");
        const lines = r.stderr.trim().split("\n");
        assert.deepStrictEqual(lines.slice(0, 4), [
            NO_POLICIES("throwing-apply"),
            "The program failed before the policies could run:",
            `Running program '${path.join(PROGRAMS, "throwing-apply", "index.ts")}' failed with an unhandled exception:`,
            "Error: ACME_SITE_DOMAIN_FOR_TESTS is not set: cannot name the host for bucket acme-site-content",
        ]);
    });

    it("an unanswered cloud lookup feeding a stack output fails by name, with the entry to add, exit 2", async () => {
        const r = await run("unanswered-invoke", "unanswered-invoke", []);
        assert.strictEqual(r.status, 2);
        const file = path.join(PROGRAMS, "unanswered-invoke", "Pulumi.test.invokes.yaml");
        assert.strictEqual(
            r.stderr.trim(),
            [
                NO_POLICIES("unanswered-invoke"),
                "The program failed before the policies could run:",
                `The offline check has no answer for the invoke 'aws:secretsmanager/getSecretVersion:getSecretVersion' (arguments: {"secretId":"acme/api-key"}). A real preview asks the cloud; offline, the answer comes from ${file}, which does not exist yet. Add this entry to it and fill in 'result' with the outputs the program reads:`,
                "",
                "aws:secretsmanager/getSecretVersion:getSecretVersion:",
                "  - args:",
                "      secretId: acme/api-key",
                "    result: {} # the outputs the program reads, by their Pulumi names",
            ].join("\n"),
        );
    });

    it("runs in its project directory: relative reads, process.cwd() and a walk of www/; a sibling <dir>.ts or <dir>.json never shadows it", async () => {
        const r = await run("relative-files", "relative-files", []);
        assert.strictEqual(r.status, 1, r.stderr);
        const doc = json(r);
        assert.deepStrictEqual(verdict(doc), unguardedBucket("site"));
        assert.deepStrictEqual(
            doc.resources
                .filter((x: any) => x.type === "aws:s3/bucketObjectv2:BucketObjectv2")
                .map((x: any) => [x.name, x.properties.key, x.properties.contentType]),
            [
                ["css/site.css", "css/site.css", "text/css"],
                ["index.html", "index.html", "text/html"],
            ],
        );
        assert.strictEqual(resource(doc, "aws:s3/bucket:Bucket", "site").properties.bucket, "acme-static-site");
    });

    it("honours main: src/ (the program directory becomes the working directory)", async () => {
        const r = await run("main-src", "main-src", []);
        assert.strictEqual(r.status, 0, r.stderr);
        const doc = json(r);
        assert.deepStrictEqual(
            doc.resources.filter((x: any) => x.type === "aws:sqs/queue:Queue").map((x: any) => x.properties.name),
            ["orders", "invoices"],
        );
        assert.deepStrictEqual(doc.outputs, { cwd: "main-src/src" });
    });

    it("loads an ES-module program (type module, top-level await, .js and .mjs imports) as the CLI does", async () => {
        const r = await run("esm-program", "esm-program", []);
        assert.strictEqual(r.status, 1, r.stderr);
        const doc = json(r);
        assert.deepStrictEqual(verdict(doc), unguardedBucket("archive"));
        assert.strictEqual(resource(doc, "aws:s3/bucket:Bucket", "archive").properties.bucket, "acme-archive-eu-central-1");
        assert.deepStrictEqual(
            resource(doc, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "archive").properties.rules,
            [{ expiration: { days: 30 }, filter: {}, id: "expire", status: "Enabled" }],
        );
        assert.deepStrictEqual(doc.outputs, { archiveBucket: "acme-archive-eu-central-1" });
    });

    it("renders aws.iam.getPolicyDocument as the provider does", async () => {
        const r = await run("policy-document", "policy-document", []);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.deepStrictEqual(verdict(json(r)), unguardedBucket("assets"));
        const expected = JSON.stringify(
            {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Action: "s3:*",
                        Resource: ["arn:aws:s3:::acme-assets/*", "arn:aws:s3:::acme-assets"],
                        Principal: "*",
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    {
                        Sid: "ReadFromCdn",
                        Effect: "Allow",
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::acme-assets/*",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                    },
                ],
            },
            null,
            2,
        );
        assert.strictEqual(resource(json(r), "aws:s3/bucketPolicy:BucketPolicy", "assets").properties.policy, expected);
    });

    it("answers getRegion and getAvailabilityZones per explicit provider, and shows and counts those providers as the CLI does", async () => {
        const r = await run("two-regions", "two-regions", []);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, / \+   ├─ pulumi:providers:aws\s+east\n \+   ├─ pulumi:providers:aws\s+ireland\n/);
        assert.strictEqual(summaryOf(r), "Check passed: 14 resources to create; 1 pack, 56 policies, 0 mandatory violations, 0 advisory");
        const doc = json(await run("two-regions json", "two-regions", []));
        assert.deepStrictEqual(
            doc.resources.filter((x: any) => x.type === "aws:ec2/subnet:Subnet").map((x: any) => x.properties.availabilityZone),
            ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f", "eu-west-1a", "eu-west-1b", "eu-west-1c"],
        );
        assert.deepStrictEqual(doc.outputs.zones.ireland, {
            region: "eu-west-1",
            names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
            zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"],
        });
        // A subnet's provider is its explicit provider, with that provider's region; no default provider appears.
        const subnet = resource(doc, "aws:ec2/subnet:Subnet", "ireland-eu-west-1a");
        assert.deepStrictEqual([subnet.provider.name, subnet.provider.properties.region], ["ireland", "eu-west-1"]);
        assert.deepStrictEqual(
            doc.resources.filter((x: any) => x.type === "pulumi:providers:aws").map((x: any) => x.name),
            ["east", "ireland"],
        );
    });

    it("takes cloud lookups (invokes and Resource.get) from Pulumi.<stack>.invokes.yaml", async () => {
        const r = await run("cloud-lookups answered", "cloud-lookups", []);
        // The bucket the program creates is data: judged (the bucket it only reads is not its to judge).
        assert.strictEqual(r.status, 1, r.stderr);
        // A read shows as the CLI shows it (>) and is not counted as a create.
        assert.match(r.stdout, / > {3}├─ aws:s3\/bucket:Bucket\s+logs\n/);
        assert.strictEqual(summaryOf(r), "Check FAILED: 3 resources to create; 1 pack, 56 policies, 6 mandatory violations, 0 advisory");
    });

    it("fails a cloud lookup without an answers file by name, with the entry to add, exit 2", async () => {
        const r = await run("cloud-lookups unanswered", "cloud-lookups", []);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(
            r.stderr.trim().split("\n").slice(1, 3).join("\n"),
            [
                "The program failed before the policies could run:",
                `The offline check has no answer for the invoke 'aws:ec2/getVpc:getVpc' (arguments: {"default":true}). A real preview asks the cloud; offline, the answer comes from ${path.join(PROGRAMS, "cloud-lookups", "Pulumi.unanswered.invokes.yaml")}, which does not exist yet. Add this entry to it and fill in 'result' with the outputs the program reads:`,
            ].join("\n"),
        );
    });

    it("sends an ACM certificate's planned state with its computed id unknown: awsguard's stack policy says so instead of crashing, shown against the stack as the engine shows it", async () => {
        const r = await run("acm-certificate", "acm-certificate", []);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /- \[advisory\]  acm-certificate-expiration  \(1\)\n {12}urn:pulumi:test::acm-certificate::pulumi:pulumi:Stack::acm-certificate-test\n {14}can't run policy 'acm-certificate-expiration' from policy pack 'pulumi-awsguard@v0\.0\.0' during preview: string value at \.id can't be known during preview\n/,
        );
        assert.strictEqual(summaryOf(r), "Check passed: 5 resources to create; 2 packs, 82 policies, 0 mandatory violations, 1 advisory");
    });

    it("passphrase secrets: without the passphrase the program gets placeholders and its failure names those keys", async () => {
        const r = await run("passphrase none", "passphrase-secrets", []);
        assert.strictEqual(r.status, 2);
        assert.deepStrictEqual(r.stderr.trim().split("\n").slice(1), [
            "The program failed before the policies could run:",
            "Configuration 'passphrase-secrets:backupSettings' value 'https://secret.placeholder.invalid/offline-check' is not a valid JSON object",
            "Note: these secret config keys received a placeholder, not their value, because the stack's secrets could not be decrypted here (set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE for a passphrase stack): passphrase-secrets:dbPassword, passphrase-secrets:backupSettings.",
        ]);
    });

    it("passphrase secrets: decrypted as the CLI decrypts them, secret to the packs, never in the output", async () => {
        const r = await run("passphrase right", "passphrase-secrets", []);
        // The RDS instance is judged as any database: one zone, no copy, no deletion protection, no final snapshot.
        assert.strictEqual(r.status, 1, r.stderr);
        // The RPO/RTO targets miss the same gaps: a lost instance or zone means a restore, a lost region loses the data.
        assert.deepStrictEqual(verdict(json(r)), [
            "database-cross-region-copy db",
            "database-deletion-protection db",
            "database-final-snapshot db",
            "database-multi-az db",
            "dr-recovery-objectives db",
            "dr-recovery-objectives db",
            "dr-recovery-objectives db",
        ]);
        const db = resource(json(r), "aws:rds/instance:Instance", "db");
        assert.deepStrictEqual(
            [db.properties.password, db.properties.backupRetentionPeriod, db.properties.backupWindow],
            ["[secret]", "[secret]", "[secret]"],
        );
        assert.doesNotMatch(r.stdout + r.stderr, /s3cret-Passw0rd|03:00-04:00/);
    });

    it("passphrase secrets: a wrong passphrase ends with exit 2 and one message", async () => {
        const r = await run("passphrase wrong", "passphrase-secrets", []);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(
            r.stderr.trim().split("\n").slice(1).join("\n"),
            `${path.join(PROGRAMS, "passphrase-secrets", "Pulumi.test.yaml")}: incorrect passphrase: the passphrase from PULUMI_CONFIG_PASSPHRASE does not unlock this stack's encryptionsalt (pulumi preview stops with "get stack secrets manager: incorrect passphrase"); set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.`,
        );
        assert.doesNotMatch(r.stderr, /Tr0ub4dor/);
    });

    it("applies transforms as the engine does: a stack transform to every later resource, a resource's transforms to it and its children", async () => {
        const r = await run("transforms", "transforms", []);
        assert.strictEqual(r.status, 1, r.stderr);
        const doc = json(r);
        // The stack transform's protect and versioning count; KMS and a copy elsewhere are still missing.
        assert.deepStrictEqual(verdict(doc), ["dr-recovery-objectives data", "storage-bucket-kms-encryption data", "storage-dr-copy data"]);
        const tagsAndProtect = (type: string, name: string) => {
            const x = resource(doc, type, name);
            return [x.properties.tags, x.options.protect];
        };
        assert.deepStrictEqual(tagsAndProtect("aws:s3/bucket:Bucket", "data"), [
            { "cost-center": "4711", "managed-by": "pulumi", team: "analytics" },
            true,
        ]);
        assert.deepStrictEqual(tagsAndProtect("aws:s3/bucketVersioning:BucketVersioning", "data"), [undefined, true]);
        assert.deepStrictEqual(tagsAndProtect("aws:sqs/queue:Queue", "jobs"), [
            { "cost-center": "4711", "managed-by": "pulumi" },
            undefined,
        ]);
    });

    it("type-checks a TypeScript program as the CLI does by default: a type error is exit 2 with ts-node's message", async () => {
        const r = await run("type-error", "type-error", []);
        assert.strictEqual(r.status, 2);
        assert.deepStrictEqual(r.stderr.trim().split("\n").slice(1), [
            "The program failed before the policies could run:",
            `Running program '${path.join(PROGRAMS, "type-error", "index.ts")}' failed with an unhandled exception:`,
            "TSError: ⨯ Unable to compile TypeScript:",
            "index.ts(5,38): error TS2322: Type 'string' is not assignable to type 'Input<number | undefined>'.",
        ]);
    });

    it("a broken answers file is exit 2 with one message naming the file and the problem", async () => {
        const r = await run("cloud-lookups broken", "cloud-lookups", []);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(
            r.stderr.trim().split("\n").slice(1).join("\n"),
            [
                `${path.join(PROGRAMS, "cloud-lookups", "Pulumi.broken.invokes.yaml")}: aws:ec2/getVpc:getVpc must hold a list of answers ("- args: ...  result: ..."), like`,
                "",
                "aws:ec2/getAmi:getAmi:",
                "  - args: { mostRecent: true }",
                "    result: { id: ami-0123456789abcdef0 }",
                "",
                "It holds a mapping.",
            ].join("\n"),
        );
    });

    it("a program that never ends hits the deadline, which names how far it got, exit 2", async () => {
        const r = await run("keeps-running", "keeps-running", []);
        assert.strictEqual(r.status, 2);
        // Whether the pack had started by then depends on the machine's load; the program's part does not.
        assert.match(
            r.stderr.trim().split("\n").slice(1).join("\n"),
            /^The check did not finish within 45 s \(--timeout\): the program's code had finished and registered the stack outputs \(2 resources registered \(the last: aws:sns\/topic:Topic 'events'\), 0 invokes answered\), but its process kept running: something keeps Node's event loop alive \(a timer, a server, an open socket\); [01] of 1 policy pack had started\.$/,
        );
    });
});
