import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".cache/**", "bench/tmp/**", "test/screenshots/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // db/ is the bottom layer: the loader (ingest/) and the pages (app/) build on it, never the reverse,
    // so the query layer can run, and be tested, on its own.
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/ingest", "**/ingest/**", "**/app", "**/app/**", "~/*"], message: "db/ imports nothing from ingest/ or app/: shared vocabulary lives in db/vocabulary.ts" }] },
      ],
    },
  },
  {
    // Migrations are written against Kysely<any> on purpose: they must not change when the typed schema does.
    files: ["db/migrations/**", "db/dialect.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
