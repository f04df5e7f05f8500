// The watch's environment (config.ts) and its Digest arithmetic (atlas.ts): what a wrong deployment is told.
import * as assert from "assert";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { digestAuthorization, parseDigestChallenge } from "../../infra/functions/recovery-watch/atlas";
import { watch, WatchDeps } from "../../infra/functions/recovery-watch/index";
import { ATLAS, NOW, SEARCH, SECRET_ARN, UPLOADS } from "./recovery-watch.fakes";

const env = (stores: unknown[]): Record<string, string> => ({
    WATCH_STORES: JSON.stringify(stores),
    ATLAS_SECRET_ARN: SECRET_ARN,
    ENVIRONMENT: "staging",
});

describe("recovery-point watch: environment and Digest (infra/functions/recovery-watch)", () => {
    describe("bad environment: the run fails before reading anything, naming the field and the value", () => {
        const cases: [string, Record<string, string | undefined>, string][] = [
            [
                "unset",
                { WATCH_STORES: undefined },
                "WATCH_STORES is not set; expected a JSON array of stores [{store, kind, rpoHours, ...}].",
            ],
            [
                "not JSON",
                { WATCH_STORES: "[{store: uploads}]" },
                'WATCH_STORES is not valid JSON: "[{store: uploads}]"; expected a JSON array of stores.',
            ],
            [
                "not an array",
                { WATCH_STORES: '{"store":"x"}' },
                'WATCH_STORES is {"store":"x"}; expected a non-empty JSON array of stores.',
            ],
            ["empty", { WATCH_STORES: "[]" }, "WATCH_STORES is []; expected a non-empty JSON array of stores."],
            [
                "unknown kind",
                { WATCH_STORES: JSON.stringify([UPLOADS, { ...UPLOADS, store: "t", kind: "dynamodb" }]) },
                'WATCH_STORES[1].kind is "dynamodb"; allowed: "atlas", "s3", "opensearch".',
            ],
            [
                "missing field",
                { WATCH_STORES: JSON.stringify([{ ...UPLOADS, copyBucket: undefined }]) },
                'WATCH_STORES[0].copyBucket (store "uploads", kind "s3") is missing; expected the DR copy bucket\'s name.',
            ],
            [
                "bad region",
                { WATCH_STORES: JSON.stringify([{ ...ATLAS, copyRegion: "us-east-1" }]) },
                'WATCH_STORES[0].copyRegion (store "orders-db", kind "atlas") is ' +
                    '"us-east-1"; expected an Atlas region name such as US_EAST_1.',
            ],
            [
                "rpoHours as text",
                { WATCH_STORES: JSON.stringify([{ ...SEARCH, rpoHours: "24" }]) },
                'WATCH_STORES[0].rpoHours is "24"; expected a number of hours greater than 0.',
            ],
            [
                "duplicate store",
                { WATCH_STORES: JSON.stringify([UPLOADS, SEARCH, { ...SEARCH }]) },
                'WATCH_STORES[2].store is "search", already used by WATCH_STORES[1]; each store needs its own name.',
            ],
            [
                "atlas without a secret",
                { ATLAS_SECRET_ARN: undefined, WATCH_STORES: JSON.stringify([UPLOADS, ATLAS]) },
                'ATLAS_SECRET_ARN is not set, but store "orders-db" is of kind "atlas"; expected the ARN of the secret holding ' +
                    '{"publicKey","privateKey"}.',
            ],
            [
                "bad timeout",
                { WATCH_TIMEOUT_MS: "10s" },
                'WATCH_TIMEOUT_MS is "10s"; expected a whole number of milliseconds greater than 0.',
            ],
        ];
        for (const [title, overrides, message] of cases) {
            it(title, async () => {
                const e: Record<string, string | undefined> = { ...env([UPLOADS]), ...overrides };
                const touched: string[] = [];
                const deps: WatchDeps = {
                    s3: () => (touched.push("s3"), new S3Client({})),
                    cloudwatch: new CloudWatchClient({}),
                    secrets: () => (touched.push("secrets"), new SecretsManagerClient({})),
                    now: () => NOW,
                    log: (line) => touched.push(line),
                };
                await assert.rejects(watch(e, deps), { message });
                assert.deepStrictEqual(touched, []);
            });
        }
    });

    it("Digest: the RFC 2617 example gives its documented response, and challenges parse with quoted commas", () => {
        const challenge = parseDigestChallenge(
            'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
                'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
        );
        assert.deepStrictEqual(challenge, {
            realm: "testrealm@host.com",
            qop: "auth,auth-int",
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            opaque: "5ccc069c403ebaf9f0171e9517f40e41",
        });
        const header = digestAuthorization(
            challenge!,
            "GET",
            "/dir/index.html",
            { publicKey: "Mufasa", privateKey: "Circle Of Life" },
            "0a4f113b",
        );
        assert.strictEqual(
            header,
            'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
                'algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", ' +
                'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
        );
        assert.strictEqual(parseDigestChallenge('Basic realm="x"'), undefined);
    });
});
