// The local answers about the AWS partition, Regions and account (invokes.ts): aws.getRegion,
// aws.getPartition, aws.getCallerIdentity and aws.elb.getServiceAccount, as @pulumi/aws v7
// (terraform-provider-aws v6) computes them, rule for rule, from the provider's source cited at each.
import { Args, has, InvokeContext, optString, refuse } from "./invokeCall";

/**
 * The account the check answers for. A placeholder (AWS's documentation example account), not a real account:
 * what a policy derives from it (ARNs, `aws:SourceAccount` conditions) has the real account in a real preview.
 */
export const CHECK_ACCOUNT_ID = "123456789012";
export const CHECK_PARTITION = "aws";

interface Partition {
    id: string;
    dnsSuffix: string;
    regionRegex: RegExp;
}

// hashicorp/aws-sdk-go-base v2, endpoints/endpoints_gen.go (the `partitions` table the provider resolves Regions
// with): partition ids, DNS suffixes and Region-name patterns. The ISO partitions are left out.
const PARTITIONS: Partition[] = [
    { id: "aws", dnsSuffix: "amazonaws.com", regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
    { id: "aws-cn", dnsSuffix: "amazonaws.com.cn", regionRegex: /^cn-\w+-\d+$/ },
    { id: "aws-eusc", dnsSuffix: "amazonaws.eu", regionRegex: /^eusc-(de)-\w+-\d+$/ },
    { id: "aws-us-gov", dnsSuffix: "amazonaws.com", regionRegex: /^us-gov-\w+-\d+$/ },
];

// The same file, `regions` of each partition: Region id → description (what aws.getRegion returns as
// `description`).
const REGION_DESCRIPTIONS: Record<string, string> = {
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)",
    "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
    "ap-southeast-7": "Asia Pacific (Thailand)",
    "ca-central-1": "Canada (Central)",
    "ca-west-1": "Canada West (Calgary)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-central-2": "Europe (Zurich)",
    "eu-north-1": "Europe (Stockholm)",
    "eu-south-1": "Europe (Milan)",
    "eu-south-2": "Europe (Spain)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "il-central-1": "Israel (Tel Aviv)",
    "me-central-1": "Middle East (UAE)",
    "me-south-1": "Middle East (Bahrain)",
    "mx-central-1": "Mexico (Central)",
    "sa-east-1": "South America (Sao Paulo)",
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "cn-north-1": "China (Beijing)",
    "cn-northwest-1": "China (Ningxia)",
    "eusc-de-east-1": "AWS European Sovereign Cloud (Germany)",
    "us-gov-east-1": "AWS GovCloud (US-East)",
    "us-gov-west-1": "AWS GovCloud (US-West)",
};

/** The partition of a Region: the first whose pattern it matches, else "aws" (aws-sdk-go-base's fallback). */
export function partitionOf(region: string): Partition {
    return PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[0];
}

/**
 * The EC2 endpoint host of a Region, what aws.getRegion returns as `endpoint`: terraform-provider-aws v6
 * internal/service/meta/region_data_source.go resolves it with aws-sdk-go-v2's EC2 endpoint resolver, whose
 * default rule is https://ec2.{Region}.{PartitionResult#dnsSuffix}, and keeps the host.
 */
function ec2Endpoint(region: string): string {
    return `ec2.${region}.${partitionOf(region).dnsSuffix}`;
}

const NO_REGION =
    "the AWS provider has no region: set the stack's aws:region (pulumi config set aws:region <region>), give the provider a region, or pass the call a region argument. A real preview fails the same way.";

/** The Region a call is about: its `region` argument, else the provider's. */
export function callRegion(args: Args, ctx: InvokeContext): string {
    const region = optString(args.region, "region");
    if (region !== undefined && region !== "") return region;
    if (!ctx.providerRegion) refuse(NO_REGION);
    return ctx.providerRegion;
}

// terraform-provider-aws v6, internal/service/meta/region_data_source.go (Read): `endpoint` selects the Region
// whose EC2 endpoint it is; `region` (else the deprecated `name`) selects by name and must agree with the
// endpoint; neither: the provider's Region. `name` and `region` conflict (ConfigValidators). The result sets
// description, endpoint, id, name and region from the Region found.
export function getRegion(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const endpoint = optString(args.endpoint, "endpoint");
    const region = optString(args.region, "region");
    const name = optString(args.name, "name");
    if (region !== undefined && name !== undefined) {
        refuse(
            `'name' and 'region' cannot both be given (the provider: Attribute "name" cannot be specified when "region" is specified); 'name' is the deprecated spelling of 'region'.`,
        );
    }
    let found: string | undefined;
    if (endpoint !== undefined) {
        found = Object.keys(REGION_DESCRIPTIONS).find((r) => ec2Endpoint(r) === endpoint);
        if (!found)
            refuse(
                `no AWS Region has the EC2 endpoint '${endpoint}' (the provider: finding Region by endpoint (${endpoint}): couldn't find resource).`,
            );
    }
    const wanted = region ?? name;
    if (wanted !== undefined && wanted !== "") {
        if (!has(REGION_DESCRIPTIONS, wanted))
            refuse(`there is no AWS Region '${wanted}' (the provider: finding Region by name (${wanted}): couldn't find resource).`);
        if (found !== undefined && found !== wanted)
            refuse(`the endpoint '${endpoint}' is the one of ${found}, not of ${wanted} (the provider: multiple Regions matched).`);
        found = wanted;
    }
    if (found === undefined) {
        if (!ctx.providerRegion) refuse(NO_REGION);
        if (!has(REGION_DESCRIPTIONS, ctx.providerRegion)) {
            refuse(
                `the provider's region '${ctx.providerRegion}' is not an AWS Region (the provider: finding Region by name (${ctx.providerRegion}): couldn't find resource).`,
            );
        }
        found = ctx.providerRegion;
    }
    return { description: REGION_DESCRIPTIONS[found], endpoint: ec2Endpoint(found), id: found, name: found, region: found };
}

// terraform-provider-aws v6, internal/service/meta/partition_data_source.go: the partition, DNS suffix and reverse
// DNS prefix of the provider's Region (no region override: @Region(overrideEnabled=false)). The reverse DNS
// prefix is the DNS suffix with its labels reversed (names.ReverseDNS: amazonaws.com → com.amazonaws).
export function getPartition(_args: Args, ctx: InvokeContext): Record<string, unknown> {
    if (!ctx.providerRegion) refuse(NO_REGION);
    const p = partitionOf(ctx.providerRegion);
    return { dnsSuffix: p.dnsSuffix, id: p.id, partition: p.id, reverseDnsPrefix: p.dnsSuffix.split(".").reverse().join(".") };
}

// The caller is a placeholder: account CHECK_ACCOUNT_ID, signed in through an assumed role (the shapes
// sts:GetCallerIdentity returns for a role session: an sts assumed-role ARN and a role id "AROA…:<session>").
// No region is needed; the partition is the provider Region's, "aws" without one.
export function getCallerIdentity(_args: Args, ctx: InvokeContext): Record<string, unknown> {
    const partition = ctx.providerRegion ? partitionOf(ctx.providerRegion).id : CHECK_PARTITION;
    return {
        accountId: CHECK_ACCOUNT_ID,
        arn: `arn:${partition}:sts::${CHECK_ACCOUNT_ID}:assumed-role/continuity-check/offline`,
        id: CHECK_ACCOUNT_ID,
        userId: "AROACONTINUITYCHECK:offline",
    };
}

// terraform-provider-aws v6, internal/service/elb/service_account_data_source.go, accountIDPerRegionMap: the
// account Elastic Load Balancing writes access logs from, per Region (Regions opened before August 2022; newer
// ones use the logdelivery.elasticloadbalancing.amazonaws.com service principal and the provider refuses them).
// Same table in the ELB user guide, "Enable access logs for your Application Load Balancer".
const ELB_ACCOUNTS: Record<string, string> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

// service_account_data_source.go (Read): the Region is the call's `region`, else the provider's; the id is the
// account, the ARN its root in the partition; a Region outside the table fails ("unsupported AWS Region").
export function getServiceAccount(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const region = callRegion(args, ctx);
    const account = has(ELB_ACCOUNTS, region) ? ELB_ACCOUNTS[region] : undefined;
    if (!account) {
        refuse(
            `the provider has no ELB log-delivery account for '${region}' (the provider: unsupported AWS Region: ${region}). Regions opened after August 2022 grant the service principal logdelivery.elasticloadbalancing.amazonaws.com instead.`,
        );
    }
    return { arn: `arn:${partitionOf(region).id}:iam::${account}:root`, id: account, region };
}
