/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  // Packages stay external (Node loads them from node_modules at run time): bundling CommonJS
  // packages such as @remix-run/node into the ESM server build breaks their require() of builtins,
  // and better-sqlite3 is a native addon.
  serverDependenciesToBundle: [],
  browserNodeBuiltinsPolyfill: { modules: {} },
  // Opt in to the React Router v7 behaviours that change nothing for this app (quiets the build).
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
};
