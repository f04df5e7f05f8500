// A STAND-IN for pulumi-language-nodejs, for the conformance suite only: the module proxy refuses
// the real host's source (see ../langhost/go.mod). It does what the real host does for a preview:
// Run starts the program through the program's own @pulumi/pulumi/cmd/run with the engine's
// arguments, and RunPlugin starts a policy pack (run-policy-pack) or a dynamic provider.
// The CLI starts it as `pulumi-language-nodejs <engine address>` and reads the port from stdout.
import * as cp from "child_process";
import { createRequire } from "module";
import { followParent } from "./lifeline";

const r = createRequire(require.resolve("@pulumi/pulumi/proto/language_grpc_pb"));
const grpc = r("@grpc/grpc-js");
const rpc = r("./language_grpc_pb");
const pb = r("./language_pb");
const plugin = r("./plugin_pb");
const engineAddress = process.argv[process.argv.length - 1];
const SDK_VERSION: string = require("@pulumi/pulumi/package.json").version;
/** The programs and packs this host started: stopped with it should the CLI go away without a word. */
const children = new Set<cp.ChildProcess>();
followParent(children);

function envOf(list: string[]): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const kv of list) {
        const i = kv.indexOf("=");
        env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return env;
}

const impl = {
    handshake(_call: any, cb: any) {
        cb(null, new pb.LanguageHandshakeResponse());
    },
    getPluginInfo(_call: any, cb: any) {
        const p = new plugin.PluginInfo();
        p.setVersion(SDK_VERSION);
        cb(null, p);
    },
    getRequiredPlugins(_call: any, cb: any) {
        cb(null, new pb.GetRequiredPluginsResponse());
    },
    getRequiredPackages(_call: any, cb: any) {
        cb(null, new pb.GetRequiredPackagesResponse());
    },
    run(call: any, cb: any) {
        const req = call.request;
        const info = req.getInfo();
        const pwd: string = info ? info.getProgramDirectory() : req.getPwd();
        const entry: string = (info ? info.getEntryPoint() : req.getProgram()) || ".";
        const options = info?.getOptions()?.toJavaScript() ?? {};
        let runPath: string;
        try {
            runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
        } catch {
            const resp = new pb.RunResponse();
            resp.setError("It looks like the Pulumi SDK has not been installed. Have you run npm install or yarn install?");
            cb(null, resp);
            return;
        }
        const args = [
            runPath,
            "--monitor",
            req.getMonitorAddress(),
            "--engine",
            engineAddress,
            "--organization",
            req.getOrganization(),
            "--project",
            req.getProject(),
            "--stack",
            req.getStack(),
            "--pwd",
            pwd,
        ];
        if (req.getDryrun()) args.push("--dry-run");
        args.push("--parallel", String(req.getParallel()), entry, ...req.getArgsList());
        const config: Record<string, string> = {};
        req.getConfigMap().forEach((v: string, k: string) => (config[k] = v));
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PULUMI_CONFIG: JSON.stringify(config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
        };
        if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
        if (typeof options.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
        const nodeargs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
        const child = cp.spawn(process.execPath, [...nodeargs, ...args], { cwd: pwd, env, stdio: ["ignore", "inherit", "inherit"] });
        children.add(child);
        child.on("close", (code) => {
            children.delete(child);
            const resp = new pb.RunResponse();
            // 32: the program already logged its error (cmd/run's nodeJSProcessExitedAfterLoggingUserActionableMessage).
            if (code === 32) resp.setBail(true);
            else if (code) resp.setError(`Program exited with non-zero exit code: ${code}`);
            cb(null, resp);
        });
    },
    runPlugin(call: any) {
        const req = call.request;
        const info = req.getInfo();
        const dir: string = info ? info.getProgramDirectory() : req.getPwd();
        const script = require.resolve(
            req.getKind() === "analyzer" ? "@pulumi/pulumi/cmd/run-policy-pack" : "@pulumi/pulumi/cmd/dynamic-provider",
            { paths: [dir] },
        );
        const child = cp.spawn(process.execPath, [script, ...req.getArgsList(), dir], { cwd: dir, env: envOf(req.getEnvList()) });
        children.add(child);
        const send = (set: (x: any) => void) => {
            const x = new pb.RunPluginResponse();
            set(x);
            call.write(x);
        };
        child.stdout.on("data", (d: Buffer) => send((x) => x.setStdout(d)));
        child.stderr.on("data", (d: Buffer) => send((x) => x.setStderr(d)));
        child.on("close", (code) => {
            children.delete(child);
            send((x) => x.setExitcode(code ?? 1));
            call.end();
        });
    },
};

const server = new grpc.Server();
server.addService(rpc.LanguageRuntimeService, impl);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
    if (err) throw err;
    console.log(port);
});
