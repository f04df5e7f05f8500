// npm run test:conformance [case …] — the same programs and packs through the real CLI (built from
// its Go modules; see build.ts and preview.ts) and through `npm run check`; prints every difference
// in the resources (URN, operation, type, parent, provider), the policy violations (pack, policy,
// level, resource, message) and the exit class (pass / mandatory violation / error, and for an
// error, the cause both must name). Exits 1 on a difference that no allow-list entry of its case
// explains. The same cases run as counted tests in `npm run test:all`
// (tests/conformance/cli.conformance.ts).
import { spawn } from "child_process";
import * as path from "path";
import { isDefaultProvider } from "../check/report";
import { absoluteFlags, DEFAULT_PASSPHRASE, prepareProgram, runPreview } from "./preview";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAMS = path.join(ROOT, "tests", "fixtures", "programs");
const PACKS = path.join(ROOT, "tests", "fixtures", "packs");
const GUARD = path.join(ROOT, "policies");
const AWSGUARD = path.join(ROOT, "tests", "fixtures", "awsguard-pack");

export interface Case {
    name: string;
    /** The Pulumi project directory. */
    dir: string;
    stack: string;
    packs: { dir: string; config?: string }[];
    /** Environment of both runs (a key set to undefined is removed). */
    env?: NodeJS.ProcessEnv;
    /** Environment of `pulumi stack init` instead of `env` (a passphrase stack is initialised with its passphrase). */
    prepareEnv?: NodeJS.ProcessEnv;
    /**
     * Secret config set with `pulumi config set --secret` into the CLI's copy of the program; the check
     * then runs on that copy too and decrypts them with the same passphrase.
     */
    secrets?: Record<string, string>;
    /** Both runs are stopped after this many seconds (the check's --timeout; the CLI gets Ctrl-C). */
    timeoutSeconds?: number;
    /** A case that must fail: both runs end in an error that names this (or, each in its own words, these). */
    cause?: RegExp | { cli: RegExp; check: RegExp };
    /** Differences that are expected, each with its reason (also listed in the README). */
    allow?: { difference: RegExp; reason: string }[];
}

const TRANSPILE_ONLY = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
const guard = (stack = "staging") => ({ dir: GUARD, config: path.join(GUARD, "config", `${stack}.json`) });
// awsguard has no config file, and the CLI takes one config file per pack or none: with it, continuity-guard
// runs with its schema defaults (the strict, production values).
const both = [{ dir: GUARD }, { dir: AWSGUARD }];
const fixture = (name: string, extra: Partial<Case> & { stack?: string; program?: string } = {}): Case => ({
    name,
    dir: path.join(PROGRAMS, extra.program ?? name),
    stack: "test",
    packs: both,
    env: TRANSPILE_ONLY,
    ...extra,
});
const PASSPHRASE = "correct horse battery staple";
// Placeholders for the secrets a real deployment sets (README, "Deploying for real").
const OUR_SECRETS = {
    "mongodbatlas:publicKey": "conformance-public-key",
    "mongodbatlas:privateKey": "conformance-private-key",
    "continuity:alertWebhookUrl": "https://hooks.example.com/conformance",
};

export const CASES: Case[] = [
    // This repository's program and stacks, type-checked as `pulumi preview` does, with the secrets a
    // deployment sets.
    ...["staging", "production"].map((stack): Case => ({
        name: `continuity ${stack}`,
        dir: ROOT,
        stack,
        packs: [guard(stack)],
        secrets: OUR_SECRETS,
    })),
    ...[
        "policy-document",
        "two-regions",
        "resource-objects",
        "acm-certificate",
        "relative-files",
        "main-src",
        "esm-program",
        "transforms",
        "callback-function",
    ].map((n) => fixture(n)),
    ...["storage-violations", "search-violations", "service-violations", "aws-handwritten", "atlas-handwritten", "data-stores"].map((n) =>
        fixture(n),
    ),
    fixture("data-stores weakened", {
        program: "data-stores",
        packs: [{ dir: GUARD, config: path.join(PROGRAMS, "data-stores", "weakened-config.json") }],
    }),
    // dr-recovery-objectives through the CLI: a production database copied weekly only, and every 6 hours.
    ...["weekly", "all"].map((stack) =>
        fixture(`database-copies ${stack}`, { program: "database-copies", stack, packs: [guard("production")] }),
    ),
    fixture("cross-tier broken", {
        program: "cross-tier",
        stack: "broken",
        packs: [{ dir: GUARD, config: path.join(PROGRAMS, "cross-tier", "guard-config.json") }],
    }),
    fixture("cross-tier fixed", {
        program: "cross-tier",
        stack: "fixed",
        packs: [{ dir: GUARD, config: path.join(PROGRAMS, "cross-tier", "guard-config.json") }],
    }),
    fixture("cloud-lookups answered", { program: "cloud-lookups", stack: "answered" }),
    // The program makes several lookups at once: either run may fail on another of them first.
    fixture("cloud-lookups unanswered", {
        program: "cloud-lookups",
        stack: "unanswered",
        packs: [guard()],
        cause: /no answer for the invoke 'aws:(ec2\/getVpc:getVpc|s3\/bucket:Bucket)'/,
    }),
    fixture("cloud-lookups broken", { program: "cloud-lookups", stack: "broken", packs: [guard()], cause: /aws:ec2\/getVpc:getVpc/ }),
    fixture("unanswered-invoke", { packs: [guard()], cause: /aws:secretsmanager\/getSecretVersion:getSecretVersion/ }),
    fixture("throwing-apply", {
        packs: [guard()],
        env: { ...TRANSPILE_ONLY, ACME_SITE_DOMAIN_FOR_TESTS: undefined },
        cause: /ACME_SITE_DOMAIN_FOR_TESTS is not set/,
    }),
    fixture("type-error", { packs: [guard()], env: { PULUMI_NODEJS_TRANSPILE_ONLY: undefined }, cause: /TS2322/ }),
    fixture("bad-config", { stack: "broken", packs: [guard()], cause: /continuity:regions\.dr/ }),
    fixture("keeps-running", { packs: [guard()], timeoutSeconds: 60, cause: /did not finish within 60 s/ }),
    fixture("passphrase right", { program: "passphrase-secrets", env: { ...TRANSPILE_ONLY, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE } }),
    fixture("passphrase wrong", {
        program: "passphrase-secrets",
        packs: [guard()],
        prepareEnv: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
        env: { ...TRANSPILE_ONLY, PULUMI_CONFIG_PASSPHRASE: "Tr0ub4dor&3" },
        cause: /incorrect passphrase/,
    }),
    fixture("passphrase none", {
        program: "passphrase-secrets",
        packs: [guard()],
        prepareEnv: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
        env: { ...TRANSPILE_ONLY, PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined },
        cause: /passphrase must be set with PULUMI_CONFIG_PASSPHRASE/,
        allow: [
            {
                difference: /^the check's error does not name/,
                reason:
                    "without the passphrase the CLI refuses a stack with secure values before the program runs; the check runs the program with placeholders " +
                    "for those values (so that it works where the passphrase is not at hand) and fails here only because this program parses one",
            },
        ],
    }),
    // Packs that crash: while loading, and in the middle of a preview.
    fixture("pack throws at load", {
        program: "policy-document",
        packs: [guard(), { dir: path.join(PACKS, "throws-at-load") }],
        cause: {
            cli: /throws-at-load" failed to start: .*exit status 32/,
            check: /throws-at-load failed to start: it exited with code 32[^]*deliberately thrown while loading/,
        },
    }),
    fixture("policy throws", {
        program: "policy-modes",
        stack: "throw",
        packs: [{ dir: path.join(PACKS, "policy-throws") }],
        cause: /policy 'explodes'[^]*kaboom from explodes/,
    }),
    fixture("pack crashes mid-preview", {
        program: "policy-modes",
        stack: "crash",
        packs: [{ dir: path.join(PACKS, "policy-throws") }],
        cause: {
            cli: /failed to run policy: error reading from server: EOF/,
            check: /policy-throws crashed during Analyze\(.*\): it exited with code 7/,
        },
    }),
];

type Exit = "pass" | "mandatory violation" | "error";

export interface ResourceView {
    op: string;
    type: string;
    parent: string;
    provider: string;
}

export interface Outcome {
    exit: Exit;
    /** For an error: the messages that say why. */
    detail: string;
    resources: Map<string, ResourceView>;
    /** "pack | policy | level | urn | message" */
    violations: string[];
    seconds: number;
}

export interface CaseResult {
    name: string;
    cli: Outcome;
    check: Outcome;
    differences: string[];
    /** Differences an allow-list entry explains, with its reason. */
    allowed: { difference: string; reason: string }[];
}

const flags = (c: Case) =>
    c.packs
        .flatMap((p) => ["--policy-pack", p.dir])
        .concat(c.packs.every((p) => p.config) ? c.packs.flatMap((p) => ["--policy-pack-config", p.config!]) : []);

function withEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = { ...process.env, ...extra };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    return env;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        child.on("error", reject);
        child.on("close", (status) =>
            resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
        );
    });
}

/** The policy's own message: the Node.js policy SDK sends the policy's description as its first line. */
function ownMessage(message: string, description: string | undefined): string {
    const lines = message.replace(/\n+$/, "").split("\n");
    return (lines.length > 1 && lines[0] === description ? lines.slice(1) : lines).join("\n").trim();
}

async function viaCheck(c: Case, dir: string, env: NodeJS.ProcessEnv): Promise<Outcome & { descriptions: Map<string, string> }> {
    const started = Date.now();
    const args = [
        "--stack",
        c.stack,
        "--cwd",
        dir,
        "--json",
        ...flags(c),
        ...(c.timeoutSeconds ? ["--timeout", String(c.timeoutSeconds)] : []),
    ];
    const r = await run(
        process.execPath,
        [
            require.resolve("ts-node/dist/bin"),
            "--transpile-only",
            "-P",
            path.join(ROOT, "tsconfig.json"),
            path.join(ROOT, "tools/check/index.ts"),
            ...args,
        ],
        env,
    );
    const seconds = (Date.now() - started) / 1000;
    const descriptions = new Map<string, string>();
    if (r.status !== 0 && r.status !== 1)
        return { exit: "error", detail: r.stderr.trim(), resources: new Map(), violations: [], seconds, descriptions };
    const doc = JSON.parse(r.stdout);
    const resources = new Map<string, ResourceView>();
    for (const x of doc.resources) {
        if (isDefaultProvider(x)) continue;
        resources.set(x.urn, { op: x.external ? "read" : "create", type: x.type, parent: x.parent ?? "", provider: x.provider?.urn ?? "" });
    }
    const violations: string[] = doc.packs.flatMap((p: any) =>
        p.diagnostics.map((d: any) => {
            descriptions.set(`${p.name}/${d.policyName}`, d.description);
            return [p.name, d.policyName, d.enforcementLevel, d.urn ?? "", d.message.trim()].join(" | ");
        }),
    );
    return { exit: r.status === 1 ? "mandatory violation" : "pass", detail: "", resources, violations, seconds, descriptions };
}

/** The CLI's streamed JSON events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW): one engine event per line. */
function events(stdout: string): Record<string, any>[] {
    return stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .flatMap((l) => {
            try {
                return [JSON.parse(l)];
            } catch {
                return [];
            }
        });
}

/** A provider reference `<urn>::<id>` without its id (unknown in a preview). */
const providerUrn = (ref: string | undefined) => (ref ? ref.slice(0, ref.lastIndexOf("::")) : "");

/** `timeoutSeconds`: set when the suite stopped the run after that long. */
export function cliOutcome(
    stdout: string,
    stderr: string,
    status: number | null,
    timeoutSeconds: number | undefined,
    seconds: number,
    descriptions: Map<string, string>,
): Outcome {
    const evs = events(stdout);
    const resources = new Map<string, ResourceView>();
    const violations: string[] = [];
    const errors: string[] = [];
    for (const e of evs) {
        if (e.resourcePreEvent) {
            const m = e.resourcePreEvent.metadata;
            resources.set(m.urn, { op: m.op, type: m.type, parent: m.new?.parent ?? "", provider: providerUrn(m.new?.provider) });
        } else if (e.policyEvent) {
            const p = e.policyEvent;
            const message = ownMessage(p.message, descriptions.get(`${p.policyPackName}/${p.policyName}`));
            violations.push([p.policyPackName, p.policyName, p.enforcementLevel, p.resourceUrn ?? "", message].join(" | "));
        } else if (e.diagnosticEvent?.severity === "error" && e.diagnosticEvent.message.trim() !== "preview failed") {
            errors.push(e.diagnosticEvent.message.trim());
        }
    }
    if (timeoutSeconds !== undefined) errors.push(`did not finish within ${timeoutSeconds} s (stopped by the suite)`);
    if (stderr.trim()) errors.push(stderr.trim());
    const mandatory = violations.some((v) => v.split(" | ")[2] === "mandatory");
    // A mandatory violation fails a preview with no other error than "preview failed".
    const exit: Exit = status === 0 ? "pass" : errors.length === 0 && mandatory ? "mandatory violation" : "error";
    return { exit, detail: exit === "error" ? errors.join("\n") : "", resources, violations, seconds };
}

export function compareResources(cli: Map<string, ResourceView>, check: Map<string, ResourceView>): string[] {
    const rows: string[] = [];
    for (const [urn, r] of cli) {
        const o = check.get(urn);
        if (!o) {
            rows.push(`resource only in the CLI's preview: ${urn}`);
            continue;
        }
        for (const k of ["op", "type", "parent", "provider"] as const) {
            if (r[k] !== o[k]) rows.push(`resource ${urn}: ${k} is '${r[k]}' in the CLI's preview, '${o[k]}' in the check`);
        }
    }
    for (const urn of check.keys()) if (!cli.has(urn)) rows.push(`resource only in the check: ${urn}`);
    return rows;
}

/** What `a` holds more often than `b` (a violation reported twice by one side counts). */
export function surplus(a: string[], b: string[]): string[] {
    const left = [...b];
    return a.filter((x) => {
        const i = left.indexOf(x);
        if (i < 0) return true;
        left.splice(i, 1);
        return false;
    });
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " / ").slice(0, 600);

export async function compareCase(c: Case): Promise<CaseResult> {
    const prepared = prepareProgram(c.dir, c.stack, { env: c.env, prepareEnv: c.prepareEnv, secrets: c.secrets });
    try {
        // `--json` then streams the engine's events, one a line: resources with parent and provider, and the policy violations.
        prepared.env.PULUMI_ENABLE_STREAMING_JSON_PREVIEW = "true";
        // With secrets of its own, the case's config lives in the copy: the check reads it there.
        const checkDir = c.secrets ? prepared.dir : c.dir;
        const checkEnv = withEnv({ ...(c.secrets ? { PULUMI_CONFIG_PASSPHRASE: DEFAULT_PASSPHRASE } : {}), ...c.env });
        // The two runs are independent (own processes, ports and directories): side by side they take half the time.
        const [cliRun, check] = await Promise.all([
            runPreview(prepared, c.stack, ["--json", ...absoluteFlags(c.dir, flags(c))], { timeoutSeconds: c.timeoutSeconds }),
            viaCheck(c, checkDir, checkEnv),
        ]);
        const cli = cliOutcome(
            cliRun.stdout,
            cliRun.stderr,
            cliRun.status,
            cliRun.timedOut ? c.timeoutSeconds : undefined,
            cliRun.seconds,
            check.descriptions,
        );

        const rows: string[] = [];
        if (cli.exit !== check.exit) {
            rows.push(
                `exit: CLI ${cli.exit}${cli.detail ? ` (${oneLine(cli.detail)})` : ""}; check ${check.exit}${check.detail ? ` (${oneLine(check.detail)})` : ""}`,
            );
        }
        if (c.cause) {
            const cause = c.cause instanceof RegExp ? { cli: c.cause, check: c.cause } : c.cause;
            if (cli.exit === "error" && !cause.cli.test(cli.detail))
                rows.push(`the CLI's error does not name ${cause.cli}: ${oneLine(cli.detail)}`);
            if (check.exit === "error" && !cause.check.test(check.detail))
                rows.push(`the check's error does not name ${cause.check}: ${oneLine(check.detail)}`);
            if (cli.exit !== "error" && check.exit !== "error") rows.push(`expected an error; both ended in ${cli.exit}`);
        }
        // After an error neither run reports a complete graph; the exit class and its cause are the comparison.
        if (cli.exit !== "error" && check.exit !== "error") {
            rows.push(...compareResources(cli.resources, check.resources));
            surplus(cli.violations, check.violations).forEach((v) => rows.push(`violation only from the CLI: ${v}`));
            surplus(check.violations, cli.violations).forEach((v) => rows.push(`violation only from the check: ${v}`));
        }
        const allowed: CaseResult["allowed"] = [];
        const differences: string[] = [];
        for (const row of rows) {
            const entry = c.allow?.find((a) => a.difference.test(row));
            if (entry) allowed.push({ difference: row, reason: entry.reason });
            else differences.push(row);
        }
        return { name: c.name, cli, check, differences, allowed };
    } finally {
        prepared.cleanup();
    }
}

export function describeResult(r: CaseResult): string[] {
    const verdict = r.differences.length > 0 ? "DIFF   " : r.allowed.length > 0 ? "ALLOWED" : "same   ";
    const what =
        r.cli.exit === "error" && r.check.exit === "error"
            ? "error in both"
            : `${r.cli.resources.size} resources, ${r.cli.violations.length} violations, ${r.cli.exit}`;
    const out = [`${verdict} ${r.name} (${what}; CLI ${r.cli.seconds.toFixed(0)} s, check ${r.check.seconds.toFixed(0)} s)`];
    r.differences.forEach((d) => out.push(`        ${d}`));
    r.allowed.forEach((a) => out.push(`        allowed: ${a.difference}`, `          because ${a.reason}`));
    return out;
}

if (require.main === module) {
    (async () => {
        const only = process.argv.slice(2);
        const unknown = only.filter((n) => !CASES.some((c) => c.name === n));
        if (unknown.length > 0) {
            console.error(`no such case: ${unknown.join(", ")}; the cases are:\n  ${CASES.map((c) => c.name).join("\n  ")}`);
            process.exit(2);
        }
        const started = Date.now();
        let differences = 0;
        let cases = 0;
        for (const c of CASES.filter((c) => only.length === 0 || only.includes(c.name))) {
            const r = await compareCase(c);
            cases++;
            differences += r.differences.length;
            describeResult(r).forEach((l) => console.log(l));
        }
        console.log(
            `${cases} case${cases === 1 ? "" : "s"}, ${differences} difference${differences === 1 ? "" : "s"} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
        process.exit(differences > 0 ? 1 : 0);
    })();
}
