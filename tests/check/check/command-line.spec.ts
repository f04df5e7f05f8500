import * as assert from "assert";
import * as path from "path";
import { parseArgs } from "../../../tools/check/index";
import { ROOT } from "../../helpers/program";
import { PACK, FIXTURES } from "./fixtures";

describe("npm run check (tools/check)", () => {
    describe("command line", () => {
        it("defaults to the project's pack and the stack's config file", () => {
            assert.deepStrictEqual(parseArgs(["--stack", "production"], ROOT).packs, [
                { dir: PACK, configFile: path.join(PACK, "config", "production.json") },
            ]);
        });
        it("pairs the n-th --policy-pack-config with the n-th pack, as the CLI does", () => {
            const packs = parseArgs(
                [
                    "-s",
                    "staging",
                    "--policy-pack",
                    "policies",
                    "--policy-pack",
                    "tests/fixtures/packs/healthy",
                    "--policy-pack-config",
                    "policies/config/staging.json",
                    "--policy-pack-config",
                    "tests/fixtures/programs/cross-tier/guard-config.json",
                ],
                ROOT,
            ).packs;
            assert.deepStrictEqual(packs, [
                { dir: PACK, configFile: path.join(PACK, "config", "staging.json") },
                {
                    dir: path.join(FIXTURES, "packs", "healthy"),
                    configFile: path.join(FIXTURES, "programs", "cross-tier", "guard-config.json"),
                },
            ]);
        });
        it("refuses a number of --policy-pack-config flags other than none or one per pack, in the CLI's words", () => {
            assert.throws(
                () =>
                    parseArgs(
                        [
                            "-s",
                            "staging",
                            "--policy-pack",
                            "policies",
                            "--policy-pack",
                            "tests/fixtures/packs/healthy",
                            "--policy-pack-config",
                            "policies/config/staging.json",
                        ],
                        ROOT,
                    ),
                { message: 'the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (1 for 2).' },
            );
            assert.throws(() => parseArgs(["-s", "staging", "--policy-pack-config", "a.json", "--policy-pack-config", "b.json"], ROOT), {
                message:
                    'the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (2 for the one default pack).',
            });
        });
        it("resolves relative pack and config paths from --cwd, as pulumi --cwd does (it changes directory first)", () => {
            const opts = parseArgs(
                [
                    "-s",
                    "test",
                    "--cwd",
                    "tests/fixtures/programs/cross-tier",
                    "--policy-pack",
                    "../../../../policies",
                    "--policy-pack-config",
                    "guard-config.json",
                ],
                ROOT,
            );
            assert.deepStrictEqual(opts.packs, [
                { dir: PACK, configFile: path.join(FIXTURES, "programs", "cross-tier", "guard-config.json") },
            ]);
        });
        it("checks a project without policies/ with continuity-guard, and says so", () => {
            const dir = path.join(FIXTURES, "programs", "two-regions");
            const opts = parseArgs(["-s", "staging", "--cwd", dir], ROOT);
            assert.deepStrictEqual(opts.packs, [{ dir: PACK, configFile: path.join(PACK, "config", "staging.json") }]);
            assert.strictEqual(
                opts.defaultPackNote,
                `${dir} has no policies/ pack: checking with continuity-guard (${PACK}) and ${path.join(PACK, "config", "staging.json")}.`,
            );
            assert.deepStrictEqual(parseArgs(["-s", "test", "--cwd", dir], ROOT).packs, [{ dir: PACK, configFile: undefined }]);
        });
        it("takes the deadline and the pack start time from flags or the environment, in seconds, with generous defaults", () => {
            const defaults = parseArgs(["-s", "staging"], ROOT, {});
            assert.deepStrictEqual([defaults.timeoutMs, defaults.packStartTimeoutMs], [600_000, 300_000]);
            const env = parseArgs(["-s", "staging"], ROOT, { CONTINUITY_CHECK_TIMEOUT: "900", CONTINUITY_PACK_START_TIMEOUT: "120" });
            assert.deepStrictEqual([env.timeoutMs, env.packStartTimeoutMs], [900_000, 120_000]);
            const flags = parseArgs(["-s", "staging", "--timeout", "30", "--pack-start-timeout", "2.5"], ROOT, {
                CONTINUITY_CHECK_TIMEOUT: "900",
            });
            assert.deepStrictEqual([flags.timeoutMs, flags.packStartTimeoutMs], [30_000, 2_500]);
            assert.throws(() => parseArgs(["-s", "staging", "--timeout", "soon"], ROOT), {
                message: "--timeout must be a positive number of seconds, found 'soon'.",
            });
        });
        it("refuses a directory that is not a pack", () => {
            assert.throws(() => parseArgs(["--stack", "staging", "--policy-pack", "infra"], ROOT), {
                message: `${path.join(ROOT, "infra")} is not a policy pack: it has no PulumiPolicy.yaml.`,
            });
        });
    });
});
