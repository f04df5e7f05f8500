// mocha's settings for `npm test`. Every time limit comes from one setting, CONTINUITY_TEST_TIMEOUT_MS
// (default 10 minutes): tests that start programs and policy packs must not fail because the machine
// is busy, and a test that hangs still ends. Specs do not set their own limits.
module.exports = {
    require: ["ts-node/register/transpile-only"],
    spec: ["tests/**/*.spec.ts"],
    extension: ["ts"],
    timeout: Number(process.env.CONTINUITY_TEST_TIMEOUT_MS ?? 600_000),
    forbidOnly: true,
    reporter: "tests/helpers/reporter.js",
    ignore: ["tests/fixtures/**"],
};
