// A STAND-IN resource provider (pulumi-resource-aws, pulumi-resource-mongodbatlas) for the
// conformance suite only: provider plugins cannot be downloaded here. The smallest provider that
// lets the engine preview a program: Check returns the inputs, Diff reports no change, Create in a
// preview returns the inputs with every output-only property of the type unknown (as a bridged
// provider plans them), and invokes and reads (`Resource.get`) get the check's own answers
// (tools/check/invokes.ts and the stack's Pulumi.<stack>.invokes.yaml).
import { createRequire } from "module";
import { invokeAnswersPath, readInvokeAnswers } from "../../check/invokeAnswers";
import { invokeResult } from "../../check/invokes";
import { computedOutputs } from "../../check/planned";
import { UNKNOWN_VALUE, unwrapSecrets } from "../../check/wire";
import { followParent } from "./lifeline";

const r = createRequire(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb"));
const grpc = r("@grpc/grpc-js");
const rpc = r("./provider_grpc_pb");
const pb = r("./provider_pb");
const plugin = r("./plugin_pb");
const empty = r("google-protobuf/google/protobuf/empty_pb");
const struct = r("google-protobuf/google/protobuf/struct_pb");

const VERSION = process.env.CONFORMANCE_PROVIDER_VERSION ?? "0.0.0";
followParent();
let config: Record<string, unknown> = {};

/** Check and CheckConfig: the inputs as given (a real provider validates and fills in defaults here). */
function checkInputs(call: any, cb: any): void {
    const x = new pb.CheckResponse();
    x.setInputs(call.request.getNews());
    cb(null, x);
}

/** The check's answer to an invoke (or to the read of a resource type), for this stack and this provider's region. */
function answer(token: string, args: Record<string, unknown>): Record<string, unknown> {
    const stack = process.env.PULUMI_STACK_FOR_CONFORMANCE ?? "";
    const answersFile = invokeAnswersPath(process.cwd(), stack);
    const region = unwrapSecrets(config.region);
    return invokeResult(token, args, {
        providerRegion: typeof region === "string" ? region : undefined,
        answers: readInvokeAnswers(answersFile),
        answersFile,
    });
}

const impl = {
    handshake(_call: any, cb: any) {
        cb(null, new pb.ProviderHandshakeResponse());
    },
    getPluginInfo(_call: any, cb: any) {
        const p = new plugin.PluginInfo();
        p.setVersion(VERSION);
        cb(null, p);
    },
    checkConfig: checkInputs,
    diffConfig(_call: any, cb: any) {
        cb(null, new pb.DiffResponse());
    },
    configure(call: any, cb: any) {
        config = call.request.getArgs()?.toJavaScript() ?? {};
        const x = new pb.ConfigureResponse();
        x.setAcceptsecrets(true);
        x.setAcceptresources(true);
        x.setSupportspreview(true);
        cb(null, x);
    },
    check: checkInputs,
    diff(_call: any, cb: any) {
        cb(null, new pb.DiffResponse());
    },
    create(call: any, cb: any) {
        const req = call.request;
        const type = req.getUrn().split("::")[2].split("$").pop();
        const props = req.getProperties()?.toJavaScript() ?? {};
        // A bridged provider's planned state carries the resource's `id` attribute too, unknown until created.
        for (const k of ["id", ...computedOutputs(type, process.cwd())]) if (!(k in props)) props[k] = UNKNOWN_VALUE;
        const x = new pb.CreateResponse();
        x.setId(req.getPreview() ? "" : `${req.getUrn().split("::").pop()}-id`);
        x.setProperties(struct.Struct.fromJavaScript(props));
        cb(null, x);
    },
    invoke(call: any, cb: any) {
        try {
            const x = new pb.InvokeResponse();
            x.setReturn(struct.Struct.fromJavaScript(answer(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {})));
            cb(null, x);
        } catch (e) {
            cb({ code: grpc.status.UNKNOWN, details: (e as Error).message });
        }
    },
    // `Resource.get(name, id)`: the state of an existing resource, from the answers file as the check reads it.
    read(call: any, cb: any) {
        try {
            const req = call.request;
            const type = req.getUrn().split("::")[2].split("$").pop();
            const state = answer(type, { id: req.getId(), ...(req.getProperties()?.toJavaScript() ?? {}) });
            const x = new pb.ReadResponse();
            x.setId(req.getId());
            x.setProperties(struct.Struct.fromJavaScript(state));
            x.setInputs(struct.Struct.fromJavaScript(state));
            cb(null, x);
        } catch (e) {
            cb({ code: grpc.status.UNKNOWN, details: (e as Error).message });
        }
    },
    cancel(_call: any, cb: any) {
        cb(null, new empty.Empty());
    },
};

const server = new grpc.Server();
server.addService(rpc.ResourceProviderService, impl);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
    if (err) throw err;
    console.log(port);
});
