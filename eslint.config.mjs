// Lint for the whole repository: typescript-eslint's recommended rules (syntax only, no type information, so it
// runs in seconds) and lines of at most 140 characters. Layout is prettier's (.prettierrc.json). `npm run lint`
// runs both; `npm test` runs it first.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "reports/**",
            "tests/fixtures/awsguard-pack/**",
            "tools/conformance/cli/**",
            "**/*.d.ts",
            "infra/functions/*/lambda/**",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: {
                require: "readonly",
                module: "writable",
                exports: "writable",
                process: "readonly",
                console: "readonly",
                __dirname: "readonly",
                __filename: "readonly",
                Buffer: "readonly",
                setTimeout: "readonly",
                clearTimeout: "readonly",
                setInterval: "readonly",
                clearInterval: "readonly",
                setImmediate: "readonly",
            },
        },
        rules: {
            "max-len": [
                "error",
                { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
            ],
            // Resource properties reach policies, the check and the report as untyped JSON: @pulumi/policy types them
            // `any` (PolicyResource.props), and so does the Pulumi runtime's wire format. Narrowing happens where a
            // value is read, not at every signature.
            "@typescript-eslint/no-explicit-any": "off",
            // Deliberate lazy loads: the check and the packs load heavy modules only when a path needs them (start-up
            // time), and dynamic providers are serialized by Pulumi, so their code must `require` at run time.
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
        },
    },
    {
        // Expected output is written as it is printed, aligned columns included.
        files: ["tests/**"],
        rules: { "no-regex-spaces": "off" },
    },
);
