import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    RECOVERY_WATCH_HANDLER,
    recoveryWatchArchive,
    recoveryWatchFiles,
    requiredModules,
} from "../../infra/functions/recovery-watch/archive";
import { transpileFunction } from "../../tools/functions/build";
import { WatchSummary } from "../../infra/functions/recovery-watch/index";
import { ATLAS, NOW, SEARCH, UPLOADS } from "./recovery-watch.fakes";
import { watchStand } from "./recovery-watch.mocks";

describe("recovery-point watch (infra/functions/recovery-watch)", () => {
    let logs: string[];
    const { env, metrics } = watchStand((stand) => ({ logs } = stand));
    describe("the deployment archive (archive.ts)", () => {
        const texts = async (archive: ReturnType<typeof recoveryWatchArchive>) => {
            const assets = (await archive.assets) as Record<string, { text: Promise<string> }>;
            const out: Record<string, string> = {};
            for (const name of Object.keys(assets)) out[name] = await assets[name].text;
            return out;
        };

        it("is deterministic: the same sources give the same files, byte for byte", async () => {
            const first = await texts(recoveryWatchArchive());
            const second = await texts(recoveryWatchArchive());
            assert.deepStrictEqual(Object.keys(first), [
                "atlas.js",
                "config.js",
                "index.js",
                "metrics.js",
                "opensearch.js",
                "s3.js",
                "util.js",
            ]);
            assert.deepStrictEqual(second, first);
            assert.strictEqual(RECOVERY_WATCH_HANDLER, "index.handler");
            assert.match(first["index.js"], /exports\.handler = handler;/);
        });

        it("requires only node builtins, the runtime's AWS SDK clients and its own files", () => {
            const sources = recoveryWatchFiles();
            assert.deepStrictEqual(requiredModules(sources["index.js"]), [
                "@aws-sdk/client-cloudwatch",
                "@aws-sdk/client-s3",
                "@aws-sdk/client-secrets-manager",
                "./atlas",
                "./config",
                "./metrics",
                "./opensearch",
                "./s3",
                "./util",
            ]);
            const all = new Set(Object.values(sources).flatMap(requiredModules));
            assert.deepStrictEqual([...all].sort(), [
                "./atlas",
                "./config",
                "./metrics",
                "./opensearch",
                "./s3",
                "./util",
                "@aws-sdk/client-cloudwatch",
                "@aws-sdk/client-s3",
                "@aws-sdk/client-secrets-manager",
                "crypto",
                "http",
                "https",
            ]);
        });

        it("ships the committed lambda/*.js, which are what its TypeScript sources give (npm run build:functions)", () => {
            const sources = path.join(__dirname, "..", "..", "infra", "functions", "recovery-watch");
            assert.deepStrictEqual(
                recoveryWatchFiles(),
                transpileFunction(sources),
                "infra/functions/recovery-watch/lambda is stale: run `npm run build:functions` and commit the result",
            );
        });

        it("refuses to build an archive without the function's index.js, naming the command that writes it", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-lambda-"));
            try {
                assert.throws(() => recoveryWatchFiles(dir), {
                    message: `recovery-watch: no index.js in ${path.relative(process.cwd(), dir)}; run \`npm run build:functions\` (the handler is index.handler).`,
                });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses a file that requires a library the runtime lacks, naming file and module", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-src-"));
            try {
                fs.writeFileSync(path.join(dir, "index.ts"), 'import { x } from "./extra";\nexport const handler = async () => x;\n');
                fs.writeFileSync(path.join(dir, "extra.ts"), 'import axios from "axios";\nexport const x = axios;\n');
                assert.throws(() => transpileFunction(dir), {
                    message:
                        'recovery-watch: extra.js requires "axios", which the Lambda runtime does not provide; allowed: node builtins, ' +
                        "@aws-sdk/client-cloudwatch, @aws-sdk/client-s3, @aws-sdk/client-secrets-manager and the function's own files.",
                });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("the transpiled handler runs: loaded from a directory of the archive's files, against the same stand-ins", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-js-"));
            const saved = { ...process.env };
            const RealDate = Date;
            const realLog = console.log;
            try {
                for (const [name, js] of Object.entries(recoveryWatchFiles())) fs.writeFileSync(path.join(dir, name), js);
                // The runtime provides the SDK; here the repository's copy, the very modules aws-sdk-client-mock patched.
                fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"), "dir");
                Object.assign(process.env, env([ATLAS, UPLOADS, SEARCH]));
                class FixedDate extends RealDate {
                    constructor(...args: unknown[]) {
                        if (args.length === 0) super(NOW.getTime());
                        else super(...(args as [string]));
                    }
                    static now() {
                        return NOW.getTime();
                    }
                }
                global.Date = FixedDate as DateConstructor;
                console.log = (line: string) => logs.push(line);

                const mod = require(path.join(dir, "index.js")) as { handler: (e?: unknown) => Promise<WatchSummary> };
                const summary = await mod.handler({ source: "aws.events", "detail-type": "Scheduled Event" });
                global.Date = RealDate;
                console.log = realLog;
                assert.deepStrictEqual(summary, {
                    published: [
                        { store: "orders-db", kind: "atlas", ageHours: 5.5, recoveryPoint: "2026-12-04T06:30:00.000Z" },
                        { store: "uploads", kind: "s3", ageHours: 2.25, recoveryPoint: "2026-12-04T09:45:00.000Z" },
                        { store: "search", kind: "opensearch", ageHours: 6.125, recoveryPoint: "2026-12-04T05:52:30.000Z" },
                    ],
                    failed: [],
                });
                assert.strictEqual(logs.length, 3);
                assert.deepStrictEqual(
                    metrics()
                        .map((m) => [m.dims![0].Value, m.value])
                        .sort(),
                    [
                        ["orders-db", 5.5],
                        ["search", 6.125],
                        ["uploads", 2.25],
                    ],
                );
            } finally {
                global.Date = RealDate;
                console.log = realLog;
                for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
                Object.assign(process.env, saved);
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
