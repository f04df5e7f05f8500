// The continuity-guard policy pack: refuses a stack whose cloud resources leave data without a copy
// in another region, clusters without replicas, backups kept too briefly or failing silently, or a
// service that one failure takes down. One module per tier; policies/pack.ts assembles them.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./pack";

new PolicyPack("continuity-guard", { policies });
