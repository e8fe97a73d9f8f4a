import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/generated/**", "**/dist/**", "**/dist-graphiql/**", "**/test-results/**", ".clinigraph/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  // pnpm's hook file is CommonJS.
  { files: [".pnpmfile.cjs"], languageOptions: { sourceType: "commonjs", globals: { module: "writable" } } },
  // The web app's plain scripts run in the browser.
  { files: ["apps/web/public/**/*.js"], languageOptions: { globals: { window: "readonly" } } },
);
