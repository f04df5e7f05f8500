// AWS regions in which MongoDB Atlas can run a dedicated cluster on AWS. Atlas names its AWS
// regions after the AWS code (us-west-2 → US_WEST_2), so the Atlas name is derived, never configured.

export const AWS_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "ca-west-1",
    "mx-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "me-south-1",
    "me-central-1",
    "il-central-1",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

export function isAwsRegion(value: unknown): value is AwsRegion {
    return typeof value === "string" && (AWS_REGIONS as readonly string[]).includes(value);
}

export function atlasRegionName(region: AwsRegion): string {
    return region.toUpperCase().replace(/-/g, "_");
}
