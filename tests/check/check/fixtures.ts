// Paths and helpers shared by the specs of `npm run check` (tools/check).
import * as path from "path";
import { CheckResult } from "../../../tools/check/check";
import { ROOT } from "../../helpers/program";

export const PACK = path.join(ROOT, "policies");
export const FIXTURES = path.join(ROOT, "tests", "fixtures");

export const ours = (r: CheckResult) => r.packs.find((p) => p.info.name === "continuity-guard")!;
