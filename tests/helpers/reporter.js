// Mocha's spec reporter, closed by one plain line with the counts ("N passed, N failed") that CI
// reads: mocha's own summary is not a format CI knows. A hook that fails is a failure, and the tests
// it kept from running are counted and named as not run: a suite never disappears from the counts.
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountingSpec extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const settled = new Set();
        const failedHooks = [];
        runner.on(EVENT_TEST_PASS, (t) => settled.add(t));
        runner.on(EVENT_TEST_PENDING, (t) => settled.add(t));
        runner.on(EVENT_TEST_FAIL, (t) => (t.type === "hook" ? failedHooks.push(t.fullTitle()) : settled.add(t)));
        runner.once(EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats;
            const notRun = [];
            const walk = (suite) => {
                suite.tests.forEach((t) => settled.has(t) || notRun.push(t.fullTitle()));
                suite.suites.forEach(walk);
            };
            walk(runner.suite);
            const skipped = pending > 0 ? `, ${pending} skipped` : "";
            const unrun = notRun.length > 0 ? `, ${notRun.length} not run` : "";
            if (notRun.length > 0) {
                process.stdout.write(`\nNot run, because a hook failed (${failedHooks.join("; ") || "see above"}):\n`);
                notRun.forEach((t) => process.stdout.write(`  - ${t}\n`));
                // A run with tests left out never passes, whatever mocha counted.
                process.exitCode = process.exitCode || 1;
            }
            process.stdout.write(`${passes} passed, ${failures} failed${skipped}${unrun}\n`);
        });
    }
}

module.exports = CountingSpec;
