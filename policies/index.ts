// The continuity-guard policy pack: refuses a stack whose cloud resources leave data without a copy
// in another region, clusters without replicas, or backups kept too briefly. One module per tier.
import { PolicyPack } from "@pulumi/policy";
import { atlasPolicies } from "./atlas";
import { protectionPolicies } from "./protection";
import { searchPolicies } from "./search";
import { storagePolicies } from "./storage";

new PolicyPack("continuity-guard", { policies: [...atlasPolicies, ...storagePolicies, ...searchPolicies, ...protectionPolicies] });
