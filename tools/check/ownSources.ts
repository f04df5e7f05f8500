// Imported first by the command (index.ts): from here on, the check's own modules come from the
// compile cache instead of being transpiled again (compileCache.ts).
import { cacheOwnSources } from "./compileCache";

cacheOwnSources();
