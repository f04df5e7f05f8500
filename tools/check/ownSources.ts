// Imported first by the command (index.ts): from here on, the check's own modules come from the
// compile cache instead of being transpiled again (compileCache.ts), and @pulumi/pulumi, which the
// check loads for its wire format, loads as lean as in the program and pack processes (lean-sdk.js).
import "./lean-sdk";
import { cacheOwnSources } from "./compileCache";

cacheOwnSources();
