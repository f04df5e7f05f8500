// The provider resources the engine adds to a program's graph. A resource registered without an
// explicit provider gets its package's default provider, configured from the stack's `<package>:*`
// keys (aws:region among them); the engine hands that provider, with its inputs, to every analyzer.
import * as fs from "fs";
import { secretValue } from "./wire";
import { RecordedResource } from "./engine";

export interface ProviderRef {
    type: string;
    name: string;
    urn: string;
    properties: Record<string, unknown>;
}

function packageVersion(pkg: string, searchFrom: string): string | undefined {
    try {
        const file = require.resolve(`@pulumi/${pkg}/package.json`, { paths: [searchFrom, __dirname] });
        const version = JSON.parse(fs.readFileSync(file, "utf8")).version as string;
        return version.replace(/^v/, "");
    } catch {
        return undefined;
    }
}

/** The provider's URN in a provider reference `urn::id` (a URN itself has four `::` parts). */
export function providerUrn(ref: string): string {
    return ref.split("::").slice(0, 4).join("::");
}

export interface StackOfProviders {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    projectDir: string;
}

/**
 * The provider of each resource as it registers, in registration order (as the engine knows it then:
 * an explicit provider registers before the resources that name it). `defaults()` are the default
 * providers created so far, one per package, in the order of their first use.
 */
export function providerResolver(stack: StackOfProviders): {
    add(r: RecordedResource): ProviderRef | undefined;
    defaults(): RecordedResource[];
    providerOf(urn: string): ProviderRef | undefined;
} {
    const byUrn = new Map<string, RecordedResource>();
    const defaults = new Map<string, RecordedResource>();
    const assigned = new Map<string, ProviderRef>();

    const asRef = (r: RecordedResource): ProviderRef => ({ type: r.type, name: r.name, urn: r.urn, properties: r.properties });

    const add = (r: RecordedResource): ProviderRef | undefined => {
        byUrn.set(r.urn, r);
        if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
        if (r.provider) {
            const explicit = byUrn.get(providerUrn(r.provider));
            if (explicit) assigned.set(r.urn, asRef(explicit));
            return assigned.get(r.urn);
        }
        const pkg = r.type.split(":")[0];
        if (!defaults.has(pkg)) {
            const version = packageVersion(pkg, stack.projectDir);
            const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
            const properties: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(stack.config)) {
                if (!key.startsWith(`${pkg}:`)) continue;
                const k = key.slice(pkg.length + 1);
                properties[k] = stack.secretKeys.includes(key) ? secretValue(value) : value;
            }
            if (version) properties.version = version;
            defaults.set(pkg, {
                type: `pulumi:providers:${pkg}`,
                name,
                urn: `urn:pulumi:${stack.stack}::${stack.project}::pulumi:providers:${pkg}::${name}`,
                custom: true,
                properties,
                dependencies: [],
                propertyDependencies: {},
                options: {},
            });
        }
        assigned.set(r.urn, asRef(defaults.get(pkg)!));
        return assigned.get(r.urn);
    };
    return { add, defaults: () => [...defaults.values()], providerOf: (urn) => assigned.get(urn) };
}

/**
 * Adds the default providers a real preview would create, and resolves every resource's provider.
 * Returns the providers (to put before the resources that use them) and a lookup by resource URN.
 */
export function resolveProviders(
    resources: RecordedResource[],
    stack: StackOfProviders,
): { defaults: RecordedResource[]; providerOf(urn: string): ProviderRef | undefined } {
    const resolver = providerResolver(stack);
    for (const r of resources) resolver.add(r);
    return { defaults: resolver.defaults(), providerOf: resolver.providerOf };
}
