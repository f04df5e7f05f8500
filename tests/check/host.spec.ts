import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { redact, secretStrings } from "../../tools/check/programFailure";
import { programLocation, readProject } from "../../tools/check/project";

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-host-"));
    for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
}

describe("the language host side of the check (tools/check/host.ts)", () => {
    it("places the program as the CLI does from main: none, a directory, a file", () => {
        const none = project({ "Pulumi.yaml": "name: a\nruntime: nodejs\n" });
        assert.deepStrictEqual(programLocation(readProject(none)), { pwd: none, entry: "." });
        const dir = project({
            "Pulumi.yaml": "name: a\nmain: app/\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
            "app/index.js": "",
        });
        assert.deepStrictEqual(programLocation(readProject(dir)), { pwd: path.join(dir, "app"), entry: "." });
        assert.deepStrictEqual(readProject(dir).options, { typescript: false });
        const file = project({ "Pulumi.yaml": "name: a\nmain: src/main.ts\nruntime: nodejs\n", "src/main.ts": "" });
        assert.deepStrictEqual(programLocation(readProject(file)), { pwd: file, entry: path.join("src", "main.ts") });
    });

    it("refuses a main outside the project, an absolute or missing one, and another runtime, naming what it found", () => {
        const outside = project({ "Pulumi.yaml": "name: a\nmain: ../elsewhere\nruntime: nodejs\n" });
        assert.throws(() => programLocation(readProject(outside)), {
            message: "Pulumi.yaml: project 'main' must be a subfolder of the project, found '../elsewhere'.",
        });
        const absolute = project({ "Pulumi.yaml": "name: a\nmain: /srv/app\nruntime: nodejs\n" });
        assert.throws(() => programLocation(readProject(absolute)), {
            message: "Pulumi.yaml: project 'main' must be a relative path, found '/srv/app'.",
        });
        const missing = project({ "Pulumi.yaml": "name: a\nmain: src/\nruntime: nodejs\n" });
        assert.throws(() => programLocation(readProject(missing)), {
            message: `Pulumi.yaml: project 'main' is 'src/', but ${path.join(missing, "src")} does not exist.`,
        });
        const python = project({ "Pulumi.yaml": "name: a\nruntime: python\n" });
        assert.throws(() => programLocation(readProject(python)), {
            message: `${path.join(python, "Pulumi.yaml")}: runtime 'python' — the offline check runs Node.js programs only (runtime: nodejs, TypeScript or JavaScript).`,
        });
    });

    it("blanks the stack's secret plaintexts (whole values and structured leaves) in a message, never the placeholder", () => {
        const config = {
            "a:password": "hunter2-hunter2",
            "a:settings": '{"token":"tok-123456","days":14,"x":"ab"}',
            "a:plain": "visible-value",
            "a:missing": "https://secret.placeholder.invalid/offline-check",
        };
        const secrets = secretStrings(config, ["a:password", "a:settings", "a:missing"]);
        assert.deepStrictEqual(secrets, ['{"token":"tok-123456","days":14,"x":"ab"}', "hunter2-hunter2", "tok-123456"]);
        assert.strictEqual(
            redact("failed: hunter2-hunter2 / tok-123456 / visible-value / https://secret.placeholder.invalid/offline-check", secrets),
            "failed: [secret] / [secret] / visible-value / https://secret.placeholder.invalid/offline-check",
        );
    });
});
