import * as assert from "assert";
import { ConfigError, parseConfig } from "../../infra/config";
import { VALID, Settings, raw, edit, problems } from "./fixtures";

describe("stack configuration (infra/config.ts)", () => {
    describe("refuses keys that nothing reads", () => {
        it("a misspelled project namespace, naming the key and the namespace it meant", () => {
            // Before: `continuty:storage` was read by nothing and the storage tier silently vanished.
            assert.deepStrictEqual(
                problems(VALID, { extra: { "continuty:storage": JSON.stringify({ buckets: [{ name: "uploads-1" }] }) } }),
                [
                    'continuty:storage is read by nothing: its namespace "continuty" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean continuity:storage?',
                ],
            );
        });

        it("a misspelled provider namespace, with a transposition counted as one edit", () => {
            assert.deepStrictEqual(
                problems(VALID, {
                    extra: { "asw:region": "us-west-2", "mongodbatals:publicKey": "k" },
                    secretKeys: ["mongodbatals:publicKey"],
                }),
                [
                    'asw:region is read by nothing: its namespace "asw" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean aws:region?',
                    'mongodbatals:publicKey is read by nothing: its namespace "mongodbatals" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean mongodbatlas:publicKey?',
                ],
            );
        });

        it("a namespace close to none, without a guess", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "datadog:apiKey": "k" }, secretKeys: ["datadog:apiKey"] }), [
                'datadog:apiKey is read by nothing: its namespace "datadog" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi)',
            ]);
        });

        it("a project key named like a property every object inherits", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "continuity:constructor": "x" } }), [
                'continuity:constructor is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:watch, continuity:alertWebhookUrl (got "x")',
            ]);
        });

        it("accepts the namespaces the program, its providers and the engine read", () => {
            const c = parseConfig(
                raw(VALID, {
                    extra: {
                        "aws:region": "us-west-2",
                        "mongodbatlas:publicKey": "pub",
                        "mongodbatlas:privateKey": "priv",
                        "pulumi:tags": JSON.stringify({ team: "sre" }),
                    },
                    secretKeys: ["mongodbatlas:publicKey", "mongodbatlas:privateKey"],
                }),
            );
            assert.strictEqual(c.environment, "staging");
        });
    });

    describe("keeps secrets out of plain text and out of every message", () => {
        const SECRET = "hunter2-Sup3rS3cret";
        const withDbPassword = edit((s) => (s.service.task.environment = { APP_ENV: "staging", DB_PASSWORD: SECRET }));

        it("refuses a secure value nested in a structured key, pointing to task secrets by ARN", () => {
            // The engine marks the whole key secret; the program cannot tell which leaf is, so it would
            // write the password into the task definition in plain text.
            const found = problems(withDbPassword, { secretKeys: ["continuity:service"] });
            assert.deepStrictEqual(found, [
                "continuity:service holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "Give the container a secret by its ARN in continuity:service.task.secrets.<NAME> (a Secrets Manager secret or an SSM parameter): ECS reads it when a task starts and its value never enters the stack. " +
                    "The other settings of continuity:service are checked once it holds no secret.",
            ]);
        });

        it("names the right home of a secret for the other structured keys", () => {
            assert.deepStrictEqual(problems(VALID, { secretKeys: ["continuity:atlas", "continuity:alerting"] }), [
                "continuity:atlas holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "The Atlas API keys belong in mongodbatlas:publicKey and mongodbatlas:privateKey, set with --secret. " +
                    "The other settings of continuity:atlas are checked once it holds no secret.",
                "continuity:alerting holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "A chat or incident webhook belongs in continuity:alertWebhookUrl, set with --secret. " +
                    "The other settings of continuity:alerting are checked once it holds no secret.",
            ]);
        });

        it("refuses plaintext AWS credentials in the stack file, without echoing them", () => {
            const found = problems(VALID, {
                extra: { "aws:accessKey": "AKIAEXAMPLE0000", "aws:secretKey": SECRET, "aws:token": SECRET + "t" },
            });
            assert.deepStrictEqual(found, [
                "aws:accessKey must be set as a secret (pulumi config set --secret aws:accessKey ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
                "aws:secretKey must be set as a secret (pulumi config set --secret aws:secretKey ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
                "aws:token must be set as a secret (pulumi config set --secret aws:token ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
            ]);
            assert.ok(!found.join("\n").includes("AKIAEXAMPLE0000"));
        });

        it("accepts AWS credentials set as secrets", () => {
            const c = parseConfig(
                raw(VALID, { extra: { "aws:accessKey": "AKIA", "aws:secretKey": SECRET }, secretKeys: ["aws:accessKey", "aws:secretKey"] }),
            );
            assert.strictEqual(c.environment, "staging");
        });

        it("refuses a secret environment, which names and tags resources", () => {
            assert.deepStrictEqual(problems(VALID, { secretKeys: ["continuity:environment"] }), [
                "continuity:environment must not be a secret: it names and tags resources, which are stored in plain text (set it without --secret)",
            ]);
        });

        it("reads task secrets as ARNs of Secrets Manager secrets and SSM parameters", () => {
            const secrets = {
                DB_PASSWORD: "arn:aws:secretsmanager:us-west-2:123456789012:secret:app/db-AbCdEf:password::",
                API_TOKEN: "arn:aws:ssm:us-west-2:123456789012:parameter/app/api-token",
            };
            const c = parseConfig(raw(edit((s) => (s.service.task.secrets = secrets))));
            assert.deepStrictEqual(c.service.task.secrets, secrets);
        });

        it("refuses a task secret that is not such an ARN, without echoing it (it may be the secret itself)", () => {
            const found = problems(edit((s) => (s.service.task.secrets = { DB_PASSWORD: SECRET })));
            assert.deepStrictEqual(found, [
                "continuity:service.task.secrets.DB_PASSWORD must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, optionally :<json key>:<version stage>:<version id>) " +
                    "or of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>) (got a value that is not; not shown, in case it is the secret itself)",
            ]);
        });

        it("refuses a variable set both in plain text and from a secret", () => {
            const settings = edit((s) => {
                s.service.task.environment = { DB_PASSWORD: "x" };
                s.service.task.secrets = { DB_PASSWORD: "arn:aws:ssm:us-west-2:123456789012:parameter/db" };
            });
            assert.deepStrictEqual(problems(settings), [
                'continuity:service.task.secrets.DB_PASSWORD names a variable that continuity:service.task.environment already sets: a container variable comes from one or the other (got "arn:aws:ssm:us-west-2:123456789012:parameter/db")',
            ]);
        });

        // Every path by which a bad config is reported, each with a secret in it: none may print it.
        const leaks: [string, Settings, Parameters<typeof raw>[1]][] = [
            ["a secret nested in the service", withDbPassword, { secretKeys: ["continuity:service"] }],
            [
                "a secret service with bad values too",
                edit((s) => Object.assign(s.service.task, { cpu: 768, environment: { K: SECRET } })),
                { secretKeys: ["continuity:service"] },
            ],
            [
                "a secret regions value",
                edit((s) => (s.regions = { primary: SECRET, dr: "us-east-1" })),
                { secretKeys: ["continuity:regions"] },
            ],
            ["a secret environment of an unknown name", edit((s) => (s.environment = SECRET)), { secretKeys: ["continuity:environment"] }],
            ["an unknown secret key", VALID, { extra: { "continuity:dbPassword": SECRET }, secretKeys: ["continuity:dbPassword"] }],
            [
                "a secret in an unknown namespace",
                VALID,
                { extra: { "continuty:dbPassword": SECRET }, secretKeys: ["continuty:dbPassword"] },
            ],
            ["a plaintext key in an unknown namespace", VALID, { extra: { "continuty:service": JSON.stringify({ password: SECRET }) } }],
            [
                "a webhook that is not https",
                VALID,
                { extra: { "continuity:alertWebhookUrl": SECRET }, secretKeys: ["continuity:alertWebhookUrl"] },
            ],
            ["a plaintext webhook", VALID, { extra: { "continuity:alertWebhookUrl": SECRET } }],
            ["plaintext Atlas keys", VALID, { extra: { "mongodbatlas:privateKey": SECRET, "mongodbatlas:publicKey": SECRET } }],
            ["a task secret given as its value", edit((s) => (s.service.task.secrets = { DB_PASSWORD: SECRET })), {}],
        ];
        for (const [what, settings, opts] of leaks) {
            it(`never echoes a secret: ${what}`, () => {
                const found = problems(settings, opts);
                assert.ok(found.length > 0);
                for (const p of found) assert.ok(!p.includes(SECRET) && !p.includes("Sup3r"), `leaked: ${p}`);
            });
        }

        it("names an unknown secret key without its value", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "continuity:dbPassword": SECRET }, secretKeys: ["continuity:dbPassword"] }), [
                "continuity:dbPassword is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:watch, continuity:alertWebhookUrl (got a secret value, not shown)",
            ]);
        });
    });

    it("reports several bad keys together, in one error", () => {
        const settings = edit((s) => {
            s.regions.dr = "us-west-2";
            s.atlas.electableNodes = 2;
            s.atlas.backup = { snapshotIntervalHours: 5, retentionDays: 3 };
            s.alerting.emails = ["oncall"];
        });
        let error: ConfigError | undefined;
        try {
            parseConfig(raw(settings));
        } catch (e) {
            error = e as ConfigError;
        }
        assert.ok(error instanceof ConfigError);
        assert.strictEqual(
            error.message,
            [
                "The stack configuration has 4 problems:",
                '  - continuity:regions.dr must differ from continuity:regions.primary (us-west-2) (got "us-west-2")',
                "  - continuity:atlas.electableNodes must be one of 3, 5, 7: a replica set needs an odd number of at least 3 electable nodes (got 2)",
                "  - continuity:atlas.backup.snapshotIntervalHours must be one of 1, 2, 4, 6, 8, 12 (got 5)",
                '  - continuity:alerting.emails[0] must be an e-mail address (got "oncall")',
            ].join("\n"),
        );
    });
});

describe("stack configuration: sizes and drills for the DR plan (infra/config.ts)", () => {
    it("reads sizes per bucket and for the cluster, and the drill months (April and October by default)", () => {
        const c = parseConfig(
            raw(
                edit((s) => {
                    s.atlas.sizeGiB = 200;
                    s.atlas.dailyChangeGiB = 4;
                    s.storage = { buckets: [{ name: "acme-uploads", sizeGiB: 800, dailyChangeGiB: 10 }, { name: "acme-exports" }] };
                }),
            ),
        );
        assert.deepStrictEqual([c.atlas.sizeGiB, c.atlas.dailyChangeGiB], [200, 4]);
        assert.deepStrictEqual(
            c.storage.buckets.map((b) => [b.name, b.sizeGiB, b.dailyChangeGiB]),
            [
                ["acme-uploads", 800, 10],
                ["acme-exports", undefined, undefined],
            ],
        );
        assert.deepStrictEqual(c.drills, { months: [4, 10] });
        assert.deepStrictEqual(parseConfig(raw({ ...VALID, drills: { last: "2026-10-14", months: [3, 9] } })).drills, {
            last: "2026-10-14",
            months: [3, 9],
        });
    });

    it("refuses sizes and drill settings out of range, naming the key and the value", () => {
        assert.deepStrictEqual(
            problems(
                edit((s) => {
                    s.atlas.sizeGiB = 0;
                    s.storage = { buckets: [{ name: "acme-uploads", sizeGiB: 2_000_000, dailyChangeGiB: -1 }] };
                    s.drills = { last: "2026-02-30", months: [4, 13] };
                }),
            ),
            [
                "continuity:atlas.sizeGiB must be a number of GiB above 0, at most 1048576 (1 PiB) (got 0)",
                'continuity:drills.last must be a date written YYYY-MM-DD (got "2026-02-30")',
                "continuity:drills.months[1] must be a whole number from 1 to 12 (got 13)",
                "continuity:storage.buckets[0].sizeGiB must be a number of GiB above 0, at most 1048576 (1 PiB) (got 2000000)",
                "continuity:storage.buckets[0].dailyChangeGiB must be a number of GiB from 0 to 1048576 (1 PiB) (got -1)",
            ],
        );
        assert.deepStrictEqual(problems({ ...VALID, drills: { months: [] } }), [
            "continuity:drills.months must name at least one month: the plan tests the DR plan twice a year (got [])",
        ]);
        assert.deepStrictEqual(problems({ ...VALID, drills: { months: [4, 4] } }), [
            "continuity:drills.months must not name a month twice (got [4,4])",
        ]);
        assert.deepStrictEqual(problems({ ...VALID, drills: { next: "2027-04-01" } }), [
            'continuity:drills.next is not a known setting; the settings here are last, months (got "2027-04-01")',
        ]);
    });
});
