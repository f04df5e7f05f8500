// Transforms, as the engine runs them on a registration before it records it
// (pkg/resource/deploy/source_eval.go): a resource's own `transforms` option applies to it and its
// descendants, stack transforms to every later resource. Each is a callback into the program's
// process (the Callbacks service), given the resource's type, name, properties and options, whose
// answer replaces them.

import { ProgramError } from "./project";
import { monitorProto } from "./pulumiInternals";

/** The transforms of one program run. `parentOf` follows a registered resource to its parent. */
export class Transforms {
    private readonly stackTransforms: any[] = [];
    private readonly resourceTransforms = new Map<string, any[]>();
    private readonly callbackClients = new Map<string, any>();

    constructor(private readonly parentOf: (urn: string) => string | undefined) {}

    /** A transform registered for the whole stack (registerStackTransform). */
    addStackTransform(callback: any): void {
        this.stackTransforms.push(callback);
    }

    /** Runs the transforms that apply to the registration `req` of `urn`, in the engine's order; they rewrite `req`. */
    async apply(req: any, urn: string): Promise<void> {
        const own: any[] = req.getTransformsList();
        this.resourceTransforms.set(urn, own);
        const chain = [...own];
        for (let parent: string | undefined = req.getParent(); parent; parent = this.parentOf(parent)) {
            chain.push(...(this.resourceTransforms.get(parent) ?? []));
        }
        chain.push(...this.stackTransforms);
        for (const callback of chain) await this.applyOne(req, callback);
    }

    /** Closes the clients of the program's Callbacks service. */
    close(): void {
        for (const c of this.callbackClients.values()) c.close();
    }

    private async applyOne(req: any, callback: any): Promise<void> {
        const { grpc, respb, struct, callbackpb, callbackrpc } = monitorProto();
        const target: string = callback.getTarget();
        const clients = this.callbackClients;
        if (!clients.has(target)) clients.set(target, new callbackrpc.CallbacksClient(target, grpc.credentials.createInsecure()));
        const treq = new respb.TransformRequest();
        treq.setType(req.getType());
        treq.setName(req.getName());
        treq.setCustom(req.getCustom());
        treq.setParent(req.getParent());
        treq.setProperties(req.getObject() ?? new struct.Struct());
        treq.setOptions(transformOptions(req, respb));
        const invoke = new callbackpb.CallbackInvokeRequest();
        invoke.setToken(callback.getToken());
        invoke.setRequest(treq.serializeBinary());
        const resp = await new Promise<any>((resolve, reject) =>
            clients
                .get(target)
                .invoke(invoke, (err: any, r: any) =>
                    err
                        ? reject(
                              new ProgramError(`A transform of ${req.getType()} '${req.getName()}' failed: ${err.details || err.message}`),
                          )
                        : resolve(r),
                ),
        );
        const tresp = respb.TransformResponse.deserializeBinary(resp.getResponse_asU8());
        if (tresp.getProperties()) req.setObject(tresp.getProperties());
        if (tresp.getOptions()) applyTransformOptions(req, tresp.getOptions());
    }
}

/** A registration's options as a transform sees them (the engine's TransformResourceOptions). */
function transformOptions(req: any, respb: any): any {
    const o = new respb.TransformResourceOptions();
    o.setDependsOnList(req.getDependenciesList());
    o.setProtect(req.getProtect());
    o.setIgnoreChangesList(req.getIgnorechangesList());
    o.setReplaceOnChangesList(req.getReplaceonchangesList());
    o.setVersion(req.getVersion());
    o.setAliasesList(req.getAliasesList());
    o.setProvider(req.getProvider());
    if (req.getCustomtimeouts()) o.setCustomTimeouts(req.getCustomtimeouts());
    o.setPluginDownloadUrl(req.getPlugindownloadurl());
    o.setRetainOnDelete(req.getRetainondelete());
    o.setDeletedWith(req.getDeletedwith());
    if (req.getDeletebeforereplacedefined()) o.setDeleteBeforeReplace(req.getDeletebeforereplace());
    o.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    for (const [k, v] of req.getProvidersMap().entries()) o.getProvidersMap().set(k, v);
    o.setImport(req.getImportid());
    return o;
}

/** The options a transform returned, written back into the registration as the engine does. */
function applyTransformOptions(req: any, o: any): void {
    req.setDependenciesList(o.getDependsOnList());
    req.setProtect(o.getProtect());
    req.setIgnorechangesList(o.getIgnoreChangesList());
    req.setReplaceonchangesList(o.getReplaceOnChangesList());
    req.setAliasesList(o.getAliasesList());
    req.setProvider(o.getProvider());
    req.setCustomtimeouts(o.getCustomTimeouts());
    req.setRetainondelete(o.getRetainOnDelete());
    req.setDeletedwith(o.getDeletedWith());
    req.setDeletebeforereplacedefined(o.hasDeleteBeforeReplace());
    req.setDeletebeforereplace(o.getDeleteBeforeReplace() ?? false);
    req.setAdditionalsecretoutputsList(o.getAdditionalSecretOutputsList());
    req.setImportid(o.getImport());
}
