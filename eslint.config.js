import js from "@eslint/js";
import convexPlugin from "@convex-dev/eslint-plugin";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // examples/: apps outside Roster that install convex-clerk-sync from its packed tarball, checked by
    // their own typecheck and tests in .ci/run (here the package would resolve to Roster's workspace copy).
    ignores: [
      "**/dist",
      "**/node_modules",
      "**/_generated",
      "artifacts",
      ".cache",
      "reports",
      ".stryker-tmp",
      "examples",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}", "playground/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...convexPlugin.configs.recommended,
  // The same Convex rules for the component's functions (the plugin's preset matches only **/convex/**).
  ...convexPlugin.configs.recommended.map((config) => ({ ...config, files: ["packages/*/src/component/**/*.ts"] })),
  {
    // Vitest's asymmetric matchers (expect.stringContaining …) are typed `any`.
    files: ["**/*.test.{ts,tsx}"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
